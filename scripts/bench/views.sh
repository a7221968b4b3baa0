# The views are the product: every reporting view read on the generated
# history (history.sh's days, loaded once and kept), whole and for one day,
# one partner and one month, beside the floor measured in the same run: the
# unit tables the view reads, copied out whole.  What a view reads and which
# of its columns is a day or a partner is asked of the database, not listed
# here.  Goals: a day under 0.5 s, a month under 3 s, a whole view within 3x
# its floor.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

history_inbox
history_cluster
export PGDATABASE=lac_history
loaded=$(psql -X -A -t -c "SELECT count(*) FROM lac.loads WHERE batch_id = '$HISTORY_TO'" 2>/dev/null || echo 0)
if [ "$loaded" = 0 ]; then
	dropdb --if-exists --force lac_history && createdb lac_history && scripts/db-init >/dev/null
	scripts/reprocess --inbox "$HISTORY_INBOX" --work "$BENCH_DIR/history/work" --maps samples/maps \
		"$HISTORY_FROM" "$HISTORY_TO" 2>/dev/null
fi
scripts/db-init >/dev/null	# the views of this checkout
psql -X -q -c "VACUUM ANALYZE"
echo "  $(psql -X -A -t -c "SELECT sum(row_count) FROM reporting.load_audit") rows in the unit tables, $BENCH_DAYS days"

# Each view: its day column (its first DATE or TIMESTAMP), whether it has a
# partner_id, and the tables it reads at the end of its chain of views.
psql -X -A -t -F $'\t' -c "
	WITH RECURSIVE reads(view, rel) AS (
		SELECT view_schema || '.' || view_name, table_schema || '.' || table_name
		FROM information_schema.view_table_usage WHERE view_schema = 'reporting'
		UNION
		SELECT r.view, u.table_schema || '.' || u.table_name
		FROM reads r JOIN information_schema.view_table_usage u ON u.view_schema || '.' || u.view_name = r.rel)
	SELECT v.table_schema || '.' || v.table_name,
	       coalesce((SELECT c.column_name FROM information_schema.columns c
	                 WHERE c.table_schema = v.table_schema AND c.table_name = v.table_name
	                   AND (c.data_type = 'date' OR c.data_type LIKE 'timestamp%')
	                 ORDER BY c.ordinal_position LIMIT 1), '-'),
	       EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = v.table_schema
	               AND c.table_name = v.table_name AND c.column_name = 'partner_id'),
	       (SELECT string_agg(r.rel, ' ' ORDER BY r.rel) FROM reads r WHERE r.view = v.table_schema || '.' || v.table_name
	          AND r.rel NOT IN (SELECT table_schema || '.' || table_name FROM information_schema.views))
	FROM information_schema.views v WHERE v.table_schema = 'reporting' ORDER BY 1" >"$BENCH_DIR/views.tsv"

day=$(date -u -d "$HISTORY_FROM + 40 days" +%F)
month_from=$(date -u -d "$HISTORY_FROM + 28 days" +%Y-%m-01)
month_to=$(date -u -d "$month_from + 1 month" +%F)
partner=$(psql -X -A -t -c "SELECT partner_id FROM units.lead GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
out() { echo "COPY ($1) TO '/dev/null'"; }

printf '  %-34s %8s %8s %8s %8s %8s %7s\n' view whole floor ratio day month partner
while IFS=$'\t' read -r view daycol has_partner tables; do
	floor_sql=''
	for t in $tables; do floor_sql+="$(out "SELECT * FROM $t");"; done
	BENCH_RUNS=2 measure "$view floor" psql -X -q -c "$floor_sql" >/dev/null
	BENCH_RUNS=2 measure "$view whole" psql -X -q -c "$(out "SELECT * FROM $view")" >/dev/null
	SECONDS_OF["$view day"]=- SECONDS_OF["$view month"]=- SECONDS_OF["$view partner"]=-
	if [ "$daycol" != - ]; then
		measure "$view day" psql -X -q -c \
			"$(out "SELECT * FROM $view WHERE $daycol >= '$day' AND $daycol < DATE '$day' + 1")" >/dev/null
		measure "$view month" psql -X -q -c \
			"$(out "SELECT * FROM $view WHERE $daycol >= '$month_from' AND $daycol < '$month_to'")" >/dev/null
	fi
	[ "$has_partner" != t ] ||
		measure "$view partner" psql -X -q -c "$(out "SELECT * FROM $view WHERE partner_id = $partner")" >/dev/null
	printf '  %-34s %8s %8s %7.2fx %8s %8s %8s\n' "$view" "${SECONDS_OF[$view whole]}" "${SECONDS_OF[$view floor]}" \
		"$(echo "${SECONDS_OF[$view whole]} / (${SECONDS_OF[$view floor]} + 0.001)" | bc -l)" \
		"${SECONDS_OF[$view day]}" "${SECONDS_OF[$view month]}" "${SECONDS_OF[$view partner]}"
done <"$BENCH_DIR/views.tsv"
echo "  (seconds, best of runs; day $day, month from $month_from, partner $partner;"
echo "   goals: a day under 0.5 s, a month under 3 s, whole within 3x the floor)"

# Three years.  A day or a month of transactions is read through their
# indexes however many there are; what grows under such a read is the
# streams the transactions are joined to: the tables a transaction view
# reads that are no business unit's (lac-catalog tables).  A copy of this
# database is given 17 more copies of their rows, under ids no transaction
# has (1,095 days are 18 times the 60): a lead_id or transaction_id moved
# past every real one, a text key and a file name suffixed.  Each view that
# joins transactions to them is read there for the same day and month.
declare -A is_unit=() is_side=()
while IFS=$'\t' read -r table _ _ unit; do
	[ -z "$unit" ] || is_unit[$table]=1
done < <(lac-catalog tables)
joins_units() { local t; for t in "$@"; do [ -z "${is_unit[$t]:-}" ] || return 0; done; return 1; }
joins_sides() { local t; for t in "$@"; do [ -z "${is_side[$t]:-}" ] || return 0; done; return 1; }
while IFS=$'\t' read -r _ _ _ tables; do
	read -r -a reads <<<"$tables"
	joins_units "${reads[@]}" || continue
	for t in "${reads[@]}"; do [ -n "${is_unit[$t]:-}" ] || is_side[$t]=1; done
done <"$BENCH_DIR/views.tsv"
years=lac_history_3y
PGOPTIONS='-c client_min_messages=warning' psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $years" \
	-c "CREATE DATABASE $years TEMPLATE lac_history STRATEGY FILE_COPY"
mapfile -t sides < <(printf '%s\n' "${!is_side[@]}" | sort)
for t in "${sides[@]}"; do
	psql -X -A -t -d "$years" -c "
		SELECT 'INSERT INTO $t (' || string_agg(column_name, ', ' ORDER BY ordinal_position) || ') SELECT '
		       || string_agg(CASE WHEN column_name IN ('lead_id', 'transaction_id') THEN column_name || ' + c * 10000000000000'
		                          WHEN column_name IN ('key', 'src_file') THEN column_name || ' || ''.'' || c'
		                          ELSE column_name END, ', ' ORDER BY ordinal_position)
		       || ' FROM $t, generate_series(1, 17) c'
		FROM information_schema.columns WHERE table_schema || '.' || table_name = '$t'" |
		psql -X -q -d "$years" -v ON_ERROR_STOP=1
done
psql -X -q -d "$years" -c "VACUUM ANALYZE"
echo
echo "  three years of ${sides[*]} ($(
	for t in "${sides[@]}"; do psql -X -A -t -d "$years" -c "SELECT count(*) FROM $t"; done | paste -sd' ') rows):"
printf '  %-34s %8s %8s %8s %8s\n' view day 3y-day month 3y-month
while IFS=$'\t' read -r view daycol _ tables; do
	read -r -a reads <<<"$tables"
	if ! joins_units "${reads[@]}" || ! joins_sides "${reads[@]}" || [ "$daycol" = - ]; then continue; fi
	PGDATABASE=$years BENCH_RUNS=2 measure "$view day, 3 years" psql -X -q -c \
		"$(out "SELECT * FROM $view WHERE $daycol >= '$day' AND $daycol < DATE '$day' + 1")" >/dev/null
	PGDATABASE=$years BENCH_RUNS=2 measure "$view month, 3 years" psql -X -q -c \
		"$(out "SELECT * FROM $view WHERE $daycol >= '$month_from' AND $daycol < '$month_to'")" >/dev/null
	printf '  %-34s %8s %8s %8s %8s\n' "$view" "${SECONDS_OF[$view day]:--}" "${SECONDS_OF[$view day, 3 years]}" \
		"${SECONDS_OF[$view month]:--}" "${SECONDS_OF[$view month, 3 years]}"
done <"$BENCH_DIR/views.tsv"
psql -X -q -d postgres -c "DROP DATABASE $years"
echo "  (seconds, best of runs; the transactions' own tables as they are: a day or a month reads its own)"
