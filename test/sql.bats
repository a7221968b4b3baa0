#!/usr/bin/env bats
# sql/: one SQL for PostgreSQL and Redshift.

bats_require_minimum_version 1.5.0
load test_helper

@test "sql/ uses nothing Redshift lacks" {
	run "$REPO/scripts/sql-lint" "$REPO"/sql/*.sql "$REPO"/sql/redshift/*.sql
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
	run "$REPO/scripts/db-init" --print --redshift
	assert_success
	views=$(grep -c '^CREATE VIEW' "$REPO/sql/views.sql")
	assert_equal "$views" 11
	assert_equal "$(grep -c '^WITH NO SCHEMA BINDING;$' <<<"$output")" "$views"
	assert_line "ALTER TABLE units.lead ALTER DISTSTYLE KEY DISTKEY lead_id;"
	run "$REPO/scripts/db-init" --print
	refute_line "WITH NO SCHEMA BINDING;"
	refute_output --partial "ALTER DISTSTYLE"
}
