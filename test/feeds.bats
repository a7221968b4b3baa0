#!/usr/bin/env bats
# The nightly pipeline and its inbox: feeds missing, late or removed, file
# names that are data, the day locks, usage errors.

bats_require_minimum_version 1.5.0
load test_helper
load nightly_helper

setup_file() {
	pg_setup_file
	pg_file_db feeds
}

teardown_file() {
	pg_drop_file_db
	pg_teardown_file
}

setup() {
	pg_empty_file_db
	WORK="$BATS_TEST_TMPDIR/work"
	export LAC_WORK="$WORK"
}

@test "a day without a lead row is done once, not again every time" {
	own_inbox
	# A Saturday: no broker report is due.
	mkdir "$INBOX_DIR/20261107"
	head -1 "$DAY1101" >"$INBOX_DIR/20261107/boberdoo_transactions_20261107.csv"
	head -1 "$INBOX/20261101/invoca_calls_20261101.csv" >"$INBOX_DIR/20261107/invoca_calls_20261107.csv"
	run "$REPO/scripts/reprocess" --inbox "$INBOX_DIR" 20261107 20261107
	assert_success
	assert_equal "$(sql "SELECT row_count FROM reporting.load_audit WHERE table_name = 'units.lead' AND batch_id = '20261107'")" 0
	run "$REPO/scripts/reprocess" --inbox "$INBOX_DIR" 20261107 20261107
	assert_success
	assert_line "reprocess: 1 of 1 days already done: skipped (--force to redo)"
}

@test "a missing Invoca export: loaded what arrived, named, exit 4; the file arriving the next night completes it" {
	own_inbox
	nightly 20261031 >/dev/null 2>&1
	mv "$INBOX_DIR/20261101/invoca_calls_20261101.csv" "$BATS_TEST_TMPDIR/late.csv"
	run nightly --trail 0 20261101
	assert_failure 4
	assert_line "lac-catalog: 20261101: missing invoca_calls_20261101.csv"
	assert_line "nightly 20261101..20261101: done, but incomplete (a feed due is missing)"
	assert_equal "$(sql "SELECT feed, status FROM reporting.feed_status WHERE day = '2026-11-01' AND status <> 'arrived' ORDER BY 1")" "invoca|missing"
	# The day's transactions are loaded; its calls wait for their file.
	assert_equal "$(sql "SELECT COUNT(*) FROM units.lead WHERE batch_id = '20261101'")" 138
	assert_equal "$(sql "SELECT COUNT(*) FROM units.calls WHERE batch_id = '20261101'")" 0
	cp "$BATS_TEST_TMPDIR/late.csv" "$INBOX_DIR/20261101/invoca_calls_20261101.csv"
	# It arrives after the first run: a second later at least (times are to the second).
	touch -d "now + 2 seconds" "$INBOX_DIR/20261101/invoca_calls_20261101.csv"
	run nightly --trail 1 20261102
	assert_success
	assert_equal "$(sql "SELECT status FROM reporting.feed_status WHERE day = '2026-11-01' AND feed = 'invoca'")" "late"
	assert_equal "$(sql "SELECT COUNT(*) FROM units.calls WHERE batch_id = '20261101'")" 71
}

@test "a missing boberdoo export and a missing broker file are named as such; exit 4" {
	own_inbox
	rm "$INBOX_DIR/20261102/boberdoo_transactions_20261102.csv.gz" "$INBOX_DIR/20261102/cpa/acme_sales_20261102.csv"
	run nightly --trail 0 20261102
	assert_failure 4
	assert_line "lac-catalog: 20261102: missing the boberdoo export (boberdoo_transactions_20261102.csv*); missing Acme Health Brokers, LLC (cpa-1043-acme)"
	refute_output --partial "No such file"
	assert_equal "$(sql "SELECT feed, status FROM reporting.feed_status WHERE day = '2026-11-02' AND status = 'missing' ORDER BY 1" | tr '\n' ' ')" \
		"boberdoo|missing cpa-1043-acme|missing "
	# Nothing of the day's units or calls was loaded: there was nothing to load them from.  The
	# broker files that arrived were.
	assert_equal "$(sql "SELECT table_name FROM lac.loads WHERE table_name LIKE 'units.%' AND batch_id = '20261102' ORDER BY 1" | tr '\n' ' ')" \
		"units.broker_sales units.dispositions units.wt_sales "
}

@test "an export removed from the inbox is never loaded from an earlier split" {
	own_inbox
	nightly 20261102 >/dev/null 2>&1
	before=$(sql "SELECT COUNT(*), MAX(loaded_at) FROM units.lead WHERE batch_id = '20261101'")
	rm "$INBOX_DIR/20261101/boberdoo_transactions_20261101.csv"
	run nightly 20261102
	assert_failure 4
	assert_line "lac-catalog: 20261101: missing the boberdoo export (boberdoo_transactions_20261101.csv*)"
	# The second run loaded no unit of that day: the rows there are the first run's.
	assert_equal "$(sql "SELECT COUNT(*), MAX(loaded_at) FROM units.lead WHERE batch_id = '20261101'")" "$before"
	assert_equal "$(sql "SELECT COUNT(*) FROM lac.loads WHERE table_name = 'units.lead' AND batch_id = '20261101'")" 1
}

@test "a file name is data: one outside the safe names is refused, and nothing runs it" {
	own_inbox
	touch "$INBOX_DIR/20261102/cpa/acme_sales_;touch ran;#|e;#.csv"
	cd "$BATS_TEST_TMPDIR"
	run nightly --trail 0 20261102
	assert_failure 1
	assert_line --regexp "^lac-catalog: .*/20261102/cpa/acme_sales_;touch ran;#\\|e;#\\.csv: refused: inbox file names are letters, digits, '\\.', '_' and '-'$"
	assert_file_not_exist "$BATS_TEST_TMPDIR/ran"
	assert_equal "$(sql "SELECT COUNT(*) FROM lac.loads")" 0
}

@test "one lock per day: a second run of a day is refused while the first holds it" {
	mkdir -p "$WORK/locks"
	exec {held}>"$WORK/locks/20261101.lock"
	flock -n "$held"
	run nightly 20261102
	assert_failure 75
	assert_output "nightly: another run is working on 20261101; not starting"
	run nightly --trail 0 20261102
	assert_success
	exec {held}>&-
	run nightly 20261101
	assert_success
}

@test "usage errors" {
	run "$REPO/scripts/nightly" 2026-11-01
	assert_failure 2
	assert_output "nightly: a day is YYYYMMDD, not '2026-11-01'"
	run "$REPO/scripts/nightly" --range 20261102 20261101
	assert_failure 2
	assert_output "nightly: FROM comes after TO"
	run "$REPO/scripts/reprocess" 20261102 20261031
	assert_failure 2
	run "$REPO/scripts/reprocess" -j x 20261031 20261102
	assert_failure 2
	# A day with no inbox folder at all: every feed due is missing, and said so.
	run nightly --trail 0 20261225
	assert_failure 4
	assert_line "lac-catalog: 20261225: missing the boberdoo export (boberdoo_transactions_20261225.csv*); missing invoca_calls_20261225.csv; missing Acme Health Brokers, LLC (cpa-1043-acme); missing Lone Star Senior Benefits (cpa-2210-lonestar)"
}
