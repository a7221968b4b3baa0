#!/usr/bin/env bats
# sql/: one SQL for PostgreSQL and Redshift.

bats_require_minimum_version 1.5.0
load test_helper

@test "sql/ and the SQL made from the catalog use nothing Redshift lacks" {
	"$REPO/scripts/db-init" --print --fresh >"$BATS_TEST_TMPDIR/postgres.sql"
	"$REPO/scripts/db-init" --print --fresh --redshift >"$BATS_TEST_TMPDIR/redshift.sql"
	run "$REPO/scripts/sql-lint" "$REPO"/sql/*.sql "$BATS_TEST_TMPDIR/postgres.sql" "$BATS_TEST_TMPDIR/redshift.sql"
	assert_success
	assert_output ""
}

@test "the lint finds each construct Redshift lacks" {
	cat >"$BATS_TEST_TMPDIR/bad.sql" <<-'SQL'
	SELECT COUNT(*) FILTER (WHERE x) FROM t;
	SELECT * FROM t, LATERAL (SELECT 1) s;
	INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING;
	SELECT DISTINCT ON (a) a FROM t;
	SELECT generate_series(1, 3);
	SELECT string_agg(a, ',') FROM t;
	CREATE TABLE u (a INTEGER[]);
	SELECT a IS DISTINCT FROM b FROM t;
	CREATE TABLE v (id SERIAL);
	SELECT E'\t';
	CREATE TABLE w (note TEXT);
	SELECT now(); -- SELECT now() in a comment is prose
	SQL
	run "$REPO/scripts/sql-lint" "$BATS_TEST_TMPDIR/bad.sql"
	assert_failure 1
	assert_equal "$(cut -d: -f2 <<<"$output" | sort -n | uniq | tr '\n' ' ')" "1 2 3 4 5 6 7 8 9 10 11 12 "
	assert_line "$BATS_TEST_TMPDIR/bad.sql:1: FILTER clause (Redshift lacks it)"
	assert_line "$BATS_TEST_TMPDIR/bad.sql:10: E'' literals (Redshift lacks it)"
	assert_equal "${#lines[@]}" 12
}

@test "Redshift gets late-binding views and its physical design; PostgreSQL neither" {
	run "$REPO/scripts/db-init" --print --fresh --redshift
	assert_success
	# The catalog's views (a newest view per stream with tables) and sql/views.sql's thirteen.
	assert_equal "$(grep -c '^CREATE VIEW newest\.' <<<"$output")" "$(lac-catalog tables | cut -s -f2 | sort -u | wc -l)"
	assert_equal "$(grep -c '^CREATE VIEW' "$REPO/sql/views.sql")" 13
	views=$(grep -c '^CREATE VIEW' <<<"$output")
	assert_equal "$views" 21
	assert_equal "$(grep -c '^WITH NO SCHEMA BINDING;$' <<<"$output")" "$views"
	assert_line "DISTSTYLE KEY DISTKEY (lead_id)"
	assert_line "COMPOUND SORTKEY (transaction_at);"
	assert_line "	partner_name VARCHAR(1024) ENCODE zstd,"
	run "$REPO/scripts/db-init" --print --fresh
	refute_line "WITH NO SCHEMA BINDING;"
	refute_output --partial "DISTKEY"
	refute_output --partial "ENCODE"
}
