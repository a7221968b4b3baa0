#!/usr/bin/env bats
# A view's plan is code: every reporting view's plan, read with EXPLAIN on
# a database of generated days (enough rows for the planner to choose as it
# would on the business's), has no nested loop between two inputs of more
# than a few thousand rows.  Whole, and for one day where the view has a day.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	pg_file_db plans
	"$REPO/test/gen/history.py" "$BATS_FILE_TMPDIR/inbox" 20260302 2 20000
	"$REPO/scripts/reprocess" -j 1 --inbox "$BATS_FILE_TMPDIR/inbox" --work "$BATS_FILE_TMPDIR/work" \
		20260302 20260303 2>/dev/null
	psql -X -q -c "ANALYZE"
	# The nested loops of a query's plan: each with the rows the planner expects of its two inputs.
	psql -X -q -v ON_ERROR_STOP=1 <<-'SQL'
	CREATE FUNCTION lac.nested_loops(query TEXT) RETURNS TABLE (outer_rows FLOAT8, inner_rows FLOAT8) AS $$
	DECLARE plan JSONB;
	BEGIN
		EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
		RETURN QUERY
		SELECT (n -> 'Plans' -> 0 ->> 'Plan Rows')::FLOAT8, (n -> 'Plans' -> 1 ->> 'Plan Rows')::FLOAT8
		FROM jsonb_path_query(plan, 'strict $.**?(@."Node Type" == "Nested Loop")') n;
	END $$ LANGUAGE plpgsql;
	SQL
}

teardown_file() {
	pg_drop_file_db
}

setup() {
	pg_env
	export PGDATABASE=$FILE_DB
}

@test "the generated days are loaded: enough rows for the planner to care" {
	assert [ "$(sql "SELECT COUNT(*) FROM newest.transactions")" -gt 35000 ]
	assert [ "$(sql "SELECT COUNT(*) FROM newest.calls")" -gt 5000 ]
}

@test "no reporting view's plan joins two inputs of thousands of rows in a nested loop" {
	# Each view, a day of it by its first DATE or TIMESTAMP column, and a day
	# by each of its DATE columns (the business day of the transactions).
	run sql "
		WITH queries AS (
			SELECT v.table_name AS view, 'SELECT * FROM reporting.' || v.table_name AS query
			FROM information_schema.views v WHERE v.table_schema = 'reporting'
			UNION ALL
			SELECT v.table_name || ' (a ' || c.column_name || ')', 'SELECT * FROM reporting.' || v.table_name
			       || ' WHERE ' || c.column_name || ' = ''2026-03-02'''
			FROM information_schema.views v
			JOIN information_schema.columns c ON c.table_schema = v.table_schema AND c.table_name = v.table_name
			WHERE v.table_schema = 'reporting' AND c.data_type = 'date'
			UNION ALL
			SELECT v.table_name || ' (a day)', 'SELECT * FROM reporting.' || v.table_name || ' WHERE ' || c.column_name
			       || ' >= ''2026-03-02'' AND ' || c.column_name || ' < ''2026-03-03'''
			FROM information_schema.views v
			JOIN LATERAL (SELECT column_name FROM information_schema.columns c
			              WHERE c.table_schema = v.table_schema AND c.table_name = v.table_name
			                AND (c.data_type = 'date' OR c.data_type LIKE 'timestamp%')
			              ORDER BY c.ordinal_position LIMIT 1) c ON TRUE
			WHERE v.table_schema = 'reporting')
		SELECT q.view || ': a nested loop of ' || n.outer_rows || ' x ' || n.inner_rows || ' rows'
		FROM queries q, lac.nested_loops(q.query) n
		WHERE n.outer_rows > 3000 AND n.inner_rows > 3000
		UNION ALL SELECT COUNT(*) || ' queries' FROM queries"
	assert_success
	assert_output --regexp '^[0-9]+ queries$'
	assert [ "${output% queries}" -ge 30 ]
}

@test "the test itself: a plan with such a nested loop is found" {
	run sql "SELECT COUNT(*) FROM lac.nested_loops(
		'SELECT * FROM units.lead a JOIN units.lead b ON a.transaction_id < b.transaction_id')"
	assert_success
	assert_output 1
}

@test "a day of lead_transactions groups and ranks nothing: its leads' broker sums are looked up, not every lead's made" {
	# With three years of broker sales, a GROUP BY of every lead hashed for a
	# day took seconds (scripts/bench/HISTORY.md); broker_owed's counts come
	# from a GROUP BY that PostgreSQL removes when only owed is read.
	run sql "EXPLAIN SELECT * FROM reporting.lead_transactions
		WHERE transaction_at >= '2026-03-02' AND transaction_at < '2026-03-03'"
	assert_success
	refute_output --regexp 'Group Key|WindowAgg'
	# broker_owed read whole still has its GROUP BY: the test sees one when there is one.
	run sql "EXPLAIN SELECT * FROM reporting.broker_owed"
	assert_output --regexp 'Group Key'
}

@test "a day of revenue_daily finds that day's transactions by each unit table's business-day index, and reads no disposition" {
	# The business day is a date computed from transaction_at: without the
	# catalog's index on it, a day of the morning report read every transaction.
	run sql "EXPLAIN SELECT * FROM reporting.revenue_daily WHERE day = '2026-03-02'"
	assert_success
	while IFS=$'\t' read -r table stream _; do
		[ "$stream" = transactions ] || continue
		assert_output --partial "using ${table#*.}_business_day on ${table#*.} "
	done < <(lac-catalog tables)
	# Revenue does not depend on them (lead_transactions adds them).
	refute_output --partial "dispositions"
}

@test "a whole transaction view is read by parallel workers: the private cluster's price of a row passed from one" {
	# At PostgreSQL's default price (0.1) no plan that returns millions of
	# rows had a worker, and a whole view took a third longer (README,
	# "Benchmarks").  These tables are smaller than PostgreSQL's least size
	# for a parallel scan, and a worker's start is paid over fewer rows: both
	# are set to none here, to stand for months of rows.
	run sql "SET min_parallel_table_scan_size = 0; SET parallel_setup_cost = 0; EXPLAIN SELECT * FROM reporting.lead_transactions"
	assert_success
	assert_line --regexp '^ *-> +Gather '
	assert_line --regexp '^ *-> +Parallel Append '
	assert_line --regexp '^ *-> +Parallel Seq Scan on lead '
}

@test "a transaction is once in the unit tables: a month of them is read as it is, no newest rule joined" {
	# Its identity is 'once' (catalog/streams.txt): no newer copy to look for,
	# which cost a month of revenue_daily 7 of its 8 seconds (README, "Benchmarks").
	run sql "EXPLAIN SELECT * FROM reporting.unit_transactions WHERE business_day >= '2026-11-01' AND business_day < '2026-12-01'"
	assert_success
	assert_line --regexp '^ *-> +Index Scan using lead_business_day on lead '
	refute_output --partial "Join"
	refute_output --partial "SubPlan"
}
