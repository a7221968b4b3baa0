# History at the speed of the filters: BENCH_DAYS (60) generated days of
# BENCH_ROWS (45,000) boberdoo transactions, their Invoca calls and broker
# files, reprocessed into an empty private PostgreSQL by scripts/reprocess
# (its defaults: as many runs at once as cores and one more); beside it, in
# the same run, the filters alone on the same files (the floor: every export
# split, every day's calls joined, two at a time) and psql's \copy of the
# rows that were loaded; and one nightly (a day and its trail of two) on the
# loaded database.  Prints seconds a day and the projection to three years
# (1,095 days).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

history_inbox
history_cluster
export PGDATABASE=lac_history
dropdb --if-exists --force lac_history && createdb lac_history && scripts/db-init >/dev/null
echo "  input: $BENCH_DAYS days from $HISTORY_FROM, $(du -sm "$HISTORY_INBOX" | cut -f1) MB"

work=$BENCH_DIR/history/work
rm -rf "$work"
BENCH_RUNS=1 measure "reprocess" scripts/reprocess --inbox "$HISTORY_INBOX" --work "$work" \
	--maps samples/maps "$HISTORY_FROM" "$HISTORY_TO"
rows=$(psql -X -A -t -c "SELECT sum(row_count) FROM reporting.load_audit")
echo "  loaded: $rows rows into the unit tables"
night=$(date -u -d "$HISTORY_TO - 1 day" +%Y%m%d)
measure "one nightly ($night, trail 2)" scripts/nightly --inbox "$HISTORY_INBOX" --work "$work" --maps samples/maps "$night"

# An ordinary night: ten days of BENCH_NIGHT_ROWS (30,000) transactions loaded, then one nightly
# (three days, the transfers' week) as cron runs it; the goal is 3 s.
night_inbox=$BENCH_DIR/history/night-inbox
[ -d "$night_inbox/$HISTORY_FROM" ] ||
	test/gen/history.py "$night_inbox" "$HISTORY_FROM" 10 "${BENCH_NIGHT_ROWS:-30000}" >/dev/null
night_to=$(date -u -d "$HISTORY_FROM + 9 days" +%Y%m%d) night=$(date -u -d "$HISTORY_FROM + 8 days" +%Y%m%d)
dropdb --if-exists --force lac_night && createdb lac_night && PGDATABASE=lac_night scripts/db-init >/dev/null
PGDATABASE=lac_night scripts/reprocess --inbox "$night_inbox" --work "$work.night" --maps samples/maps \
	"$HISTORY_FROM" "$night_to" >/dev/null 2>&1
PGDATABASE=lac_night measure "an ordinary nightly ($night, ${BENCH_NIGHT_ROWS:-30000} a day, trail 2)" \
	scripts/nightly --inbox "$night_inbox" --work "$work.night" --maps samples/maps "$night"

# The floor: the filters that read every row, on the same files, two at a time.
floor=$BENCH_DIR/history/floor
rm -rf "$floor" && mkdir -p "$floor"
split_all() {
	printf '%s\n' "$HISTORY_INBOX"/*/boberdoo_transactions_*.csv |
		xargs -P 2 -I{} sh -c 'd=$(basename "$1" .csv); d=${d#boberdoo_transactions_}
			split-by-unit --rules samples/unit-rules.txt --day "$d" -o "$2/$d" --rejects "$2/$d.rejects" "$1" 2>/dev/null' sh {} "$floor"
}
join_all() {
	printf '%s\n' "$HISTORY_INBOX"/*/invoca_calls_*.csv |
		xargs -P 2 -I{} sh -c 'd=$(basename "$1" .csv); d=${d#invoca_calls_}
			call-lead-join --calls "$1" --leads "$2/$d/lead_call.tsv" -o "$2/$d" --rejects "$2/$d.join-rejects" 2>/dev/null' sh {} "$floor"
}
export floor
export -f split_all join_all
BENCH_RUNS=1 measure "filters alone: split" bash -c split_all
BENCH_RUNS=1 measure "filters alone: join" bash -c join_all
SECONDS_OF[floor]=$(echo "${SECONDS_OF[filters alone: split]} + ${SECONDS_OF[filters alone: join]}" | bc -l)

# psql \copy of the rows loaded, table by table, into empty tables.
dump=$BENCH_DIR/history/dump
rm -rf "$dump" && mkdir -p "$dump"
mapfile -t tables < <(lac-catalog tables | cut -f1)
for t in "${tables[@]}"; do
	psql -X -q -c "\\copy $t TO '$dump/$t.tsv'"
done
copy_all() {
	local t
	for t in $(lac-catalog tables | cut -f1); do	# table names: the catalog allows no space in them
		psql -X -q -c "\\copy $t FROM '$dump/$t.tsv'"
	done
}
export dump
export -f copy_all
psql -X -q -c "TRUNCATE $(IFS=,; echo "${tables[*]}")"
BENCH_RUNS=1 measure "psql \\copy of the same rows" bash -c copy_all

per_day() { echo "${SECONDS_OF[$1]} / $BENCH_DAYS" | bc -l; }
echo
printf '  %-30s %6.3f s a day, %5.1f min for 1,095 days\n' \
	"reprocess" "$(per_day "reprocess")" "$(echo "$(per_day "reprocess") * 1095 / 60" | bc -l)" \
	"floor (filters alone)" "$(per_day floor)" "$(echo "$(per_day floor) * 1095 / 60" | bc -l)" \
	"psql \\copy (load alone)" "$(per_day "psql \\copy of the same rows")" \
	"$(echo "$(per_day "psql \\copy of the same rows") * 1095 / 60" | bc -l)"
ratio "reprocess" floor
ratio "reprocess" "psql \\copy of the same rows"
echo "  (goals: under 10 minutes for 1,095 days; a night of three days under 3 s)"
