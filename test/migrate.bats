#!/usr/bin/env bats
# The catalog and the database: scripts/db-init brings any older database to
# the catalog without losing a row, and README's "Adding a field" works as
# written.

bats_require_minimum_version 1.5.0
load test_helper

FIX="$BATS_TEST_DIRNAME/fixtures/before-catalog"

setup_file() {
	pg_setup_file
}

teardown_file() {
	pg_teardown_file
}

teardown() {
	pg_teardown
}

setup() {
	pg_setup
	WORK="$BATS_TEST_TMPDIR/work"
	export LAC_WORK="$WORK"
}

# A database as it was before the catalog: its tables and views, loaded by the
# nightly of the three sample days back then.
old_database() {
	psql -X -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA units CASCADE; DROP SCHEMA reporting CASCADE;
		DROP SCHEMA newest CASCADE; DROP SCHEMA lac CASCADE" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -f "$FIX/tables.sql" -f "$FIX/views.sql" >/dev/null 2>&1
	gzip -dc "$FIX/units-data.sql.gz" | psql -X -q -v ON_ERROR_STOP=1 >/dev/null
}

# Everything the unit tables held before the field, load times included: what must survive a
# migration.  One psql: a query writes each table's SELECT, \gexec runs them in the catalog's order.
all_rows() {
	psql -X -A -t -v ON_ERROR_STOP=1 -v tables="$(lac-catalog tables | cut -s -f1)" <<-'SQL'
	SELECT format('SELECT %L; SELECT %s FROM %s ORDER BY src_file, src_line, batch_id', '== ' || t.name,
	              string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position), t.name)
	FROM unnest(string_to_array(:'tables', E'\n')) WITH ORDINALITY AS t (name, n)
	LEFT JOIN information_schema.columns c
	  ON c.table_schema || '.' || c.table_name = t.name AND c.column_name <> 'coverage_type'
	GROUP BY t.name, t.n
	ORDER BY t.n
	\gexec
	SQL
}

@test "README's 'Adding a field' on a database made before the catalog: old rows intact, new days carry the field" {
	old_database
	grep -v '^	coverage_type ' "$REPO/catalog/streams.txt" >"$BATS_TEST_TMPDIR/catalog.txt"
	export LAC_CATALOG="$BATS_TEST_TMPDIR/catalog.txt"
	# The old calls table still holds what call-lead-join once computed: db-init keeps it unless told.
	run "$REPO/scripts/db-init"
	assert_failure 1
	assert_line "lac-catalog: units.calls has a column lead_count that the catalog does not ($LAC_CATALOG): its data stays; to drop it, give --drop units.calls.lead_count; nothing was changed"
	assert_line "db-init: nothing was changed"
	assert_equal "$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'lac'")" 0
	"$REPO/scripts/db-init" --drop units.calls.lead_count --drop units.calls.revenue
	before=$(all_rows)
	revenue=$(sql "SELECT day, unit, SUM(revenue) FROM reporting.revenue_daily GROUP BY 1, 2 ORDER BY 1, 2")
	assert_equal "$(wc -l <<<"$revenue")" 15

	# The one edit: a custom boberdoo column, declared in the catalog.
	printf '\tcoverage_type      VARCHAR(64)              from Custom_Coverage_Type  optional\n' >"$BATS_TEST_TMPDIR/line"
	sed -i "/^	test_lead /r $BATS_TEST_TMPDIR/line" "$LAC_CATALOG"
	run "$REPO/scripts/db-init"
	assert_success
	assert_equal "$(sql "SELECT version, changes FROM lac.schema_version ORDER BY version" | tr '\n' ' ')" \
		"1|drop units.calls.lead_count; drop units.calls.revenue; add units.broker_sales.sale_at_daylight; create lac.feeds 2|add units.lead.coverage_type; add units.cpa_cpt.coverage_type; add units.warm_transfer.coverage_type; add units.drip.coverage_type; add units.lead_call.coverage_type "
	# Nothing was lost: every old row is there, the new column NULL.
	assert_equal "$(all_rows)" "$before"
	assert_equal "$(sql "SELECT COUNT(*), COUNT(coverage_type) FROM units.lead")" "417|0"
	# Again: nothing to do, nothing recorded.
	"$REPO/scripts/db-init"
	assert_equal "$(sql "SELECT COUNT(*) FROM lac.schema_version")" 2

	run "$REPO/scripts/reprocess" --force --inbox "$INBOX" 20261101 20261102
	assert_success
	assert_equal "$(sql "SELECT batch_id, COUNT(*), COUNT(coverage_type) FROM units.lead GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" \
		"20261031|144|0 20261101|138|89 20261102|135|80 "
	assert_equal "$(sql "SELECT coverage_type, COUNT(*) FROM reporting.lead_transactions WHERE batch_id = '20261101'
		GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" "Family|89 Individual|89 |110 "
	# And the figures are the ones the business had before the field.
	assert_equal "$(sql "SELECT day, unit, SUM(revenue) FROM reporting.revenue_daily GROUP BY 1, 2 ORDER BY 1, 2")" "$revenue"
}

@test "everything db-init prints for Redshift, an empty database or a migration, is read by Redshift's SQL parser" {
	old_database
	run "$REPO/scripts/db-init" --print --redshift --drop units.calls.lead_count --drop units.calls.revenue
	assert_success
	assert_line "ALTER TABLE units.lead ADD COLUMN coverage_type VARCHAR(64);"
	assert_line "ALTER TABLE units.calls DROP COLUMN lead_count;"
	# An empty database's SQL, parsed by make sql-check (make test runs it first): the parse
	# is of the SQL as it is now, and has every kind of statement.
	"$REPO/scripts/db-init" --print --fresh --redshift >"$BATS_TEST_TMPDIR/fresh.sql"
	without_time() { sed -E "s/CAST\('[0-9: -]+' AS TIMESTAMP\)/CAST('(the time)' AS TIMESTAMP)/" "$1"; }
	[ "$(without_time "$BATS_TEST_TMPDIR/fresh.sql")" = "$(without_time "$REPO/build/redshift-fresh.sql")" ] ||
		fail "the Redshift parse is of older SQL: make sql-check"
	# A statement a line, where it starts and what sqlfluff read it as: every one of the file.
	parsed=$REPO/build/redshift-fresh.parse
	assert_equal "$(wc -l <"$parsed")" "$(grep -c ';$' "$BATS_TEST_TMPDIR/fresh.sql")"
	# 11 unit tables, lac.feeds, lac.schema_version and lac.loads; the views, each dropped first.
	assert_equal "$(cut -f2 "$parsed" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" \
		"create_schema_statement=5 create_table_statement=14 create_view_statement=21 drop_view_statement=21 insert_statement=1 "
	assert_equal "$(grep -c '^CREATE TABLE IF NOT EXISTS units\.' "$BATS_TEST_TMPDIR/fresh.sql")" 11
	# The migration's statements that an empty database does not have (the ALTERs), parsed here.
	awk 'BEGIN { RS = ";\n" } NR == FNR { fresh[$0] = 1; next } !($0 in fresh) { printf "%s;\n", $0 }' \
		"$BATS_TEST_TMPDIR/fresh.sql" - <<<"$output" >"$BATS_TEST_TMPDIR/migration.sql"
	grep -q '^ALTER TABLE units.calls DROP COLUMN lead_count;$' "$BATS_TEST_TMPDIR/migration.sql"
	refute grep -q '^CREATE VIEW' "$BATS_TEST_TMPDIR/migration.sql"
	run --separate-stderr "$REPO/scripts/sql-parse" "$BATS_TEST_TMPDIR/migration.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_line --regexp $'^.*/migration.sql:1\talter_table_statement$'
	assert_equal "$(cut -f2 <<<"$output" | sort -u | tr '\n' ' ')" "alter_table_statement insert_statement "
	# Printing changed nothing.
	assert_equal "$(sql "SELECT COUNT(*) FROM information_schema.columns WHERE column_name = 'coverage_type'")" 0
}

@test "the SQL parser names the statement it cannot read, by file and line, and fails" {
	printf 'CREATE TABLE a.b (c INTEGER);\n-- a comment; then a statement over two lines\nSELECT c\nFROM WHERE (;\nSELECT \x27x;\ny\x27 AS "z;\nw";\n' >"$BATS_TEST_TMPDIR/bad.sql"
	run --separate-stderr "$REPO/scripts/sql-parse" "$BATS_TEST_TMPDIR/bad.sql"
	assert_failure 1
	assert_equal "$stderr" "sql-parse: $BATS_TEST_TMPDIR/bad.sql:3: unparsable: SELECT c"
	assert_equal "$output" "$BATS_TEST_TMPDIR/bad.sql:1	create_table_statement
$BATS_TEST_TMPDIR/bad.sql:5	select_statement"
}

@test "a column of another type stops db-init, naming table, column and both types; nothing changes" {
	psql -X -q -c "ALTER TABLE units.lead DROP COLUMN zip CASCADE; ALTER TABLE units.lead ADD COLUMN zip INTEGER" 2>/dev/null
	sed 's/^\tsrc  *VARCHAR(256) /	src                VARCHAR(300) /' "$REPO/catalog/streams.txt" >"$BATS_TEST_TMPDIR/catalog.txt"
	before=$(sql "SELECT COUNT(*) FROM lac.schema_version")
	LAC_CATALOG="$BATS_TEST_TMPDIR/catalog.txt" run "$REPO/scripts/db-init"
	assert_failure 1
	assert_line --regexp "^lac-catalog: units.lead.zip is INTEGER in the database and VARCHAR\(32\) in the catalog \(.*catalog.txt:[0-9]+\): nothing was changed$"
	assert_line --regexp "^lac-catalog: units.lead.src is VARCHAR\(256\) in the database and VARCHAR\(300\) in the catalog"
	assert_equal "$(sql "SELECT COUNT(*) FROM lac.schema_version")" "$before"
	assert_equal "$(sql "SELECT data_type FROM information_schema.columns WHERE table_name = 'lead' AND column_name = 'src'")" "character varying"
}

@test "a transaction twice in a unit table (a day loaded under two names) stops db-init at the unique index, naming it" {
	split-by-unit --rules "$RULES" -o "$BATS_TEST_TMPDIR/1101" --rejects /dev/null "$DAY1101" 2>/dev/null
	rs-copy --table units.lead --batch 20261101 "$BATS_TEST_TMPDIR/1101/lead.tsv" 2>/dev/null
	# As a database loaded before the index was unique.
	psql -X -q -c "DROP INDEX units.lead_transaction_id_once"
	rs-copy --table units.lead --batch 1101-again "$BATS_TEST_TMPDIR/1101/lead.tsv" 2>/dev/null
	run "$REPO/scripts/db-init"
	assert_failure 1
	assert_line --regexp '^psql:.*ERROR:  could not create unique index "lead_transaction_id_once"$'
	assert_line --regexp '^DETAIL:  Key \(transaction_id\)=\([0-9]+\) is duplicated\.$'
	assert_line "db-init: failed; nothing was changed"
	# The older batch deleted, it goes through.
	psql -X -q -c "DELETE FROM units.lead WHERE batch_id = '1101-again'"
	run "$REPO/scripts/db-init"
	assert_success
	assert_equal "$(sql "SELECT COUNT(*), COUNT(DISTINCT transaction_id) FROM reporting.unit_transactions")" "138|138"
}

@test "the database, the programs' headers and the catalog say the same columns" {
	# Every table's columns, asked at once: "SCHEMA.TABLE|COLUMN COLUMN...", a line a table.
	declare -A columns_of
	while IFS='|' read -r table columns; do
		columns_of[$table]=$columns
	done < <(sql "SELECT table_schema || '.' || table_name, string_agg(column_name, ' ' ORDER BY ordinal_position)
		FROM information_schema.columns GROUP BY 1")
	for row in $(lac-catalog tables | cut -s -f1,2 | tr '\t' ':'); do
		table=${row%%:*} stream=${row#*:}
		want="$(lac-catalog header "$stream" | tr '\t' ' ') batch_id loaded_at"
		assert_equal "${columns_of[$table]:-}" "$want"
	done
	for p in split-by-unit cpa-normalize wt-match dispo-map; do
		stream=$(awk -v p="$p" '$1 == "stream" && $4 == p { print $2; exit }' "$REPO/catalog/streams.txt")
		assert_equal "$("$p" --header)" "$(lac-catalog header "$stream")"
	done
	for s in calls call_lead_links call_lead_unmatched; do
		assert_equal "$(call-lead-join --header="$s")" "$(lac-catalog header "$s")"
	done
	assert_equal "$(dispo-map --header=unmapped)" "$(lac-catalog header unmapped)"
	# The built-in copy is the file as it is now.
	assert_equal "$(LAC_CATALOG= lac-catalog tables)" "$(lac-catalog tables)"
	assert_equal "$(LAC_CATALOG= split-by-unit --header)" "$(split-by-unit --header)"
}
