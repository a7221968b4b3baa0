#!/usr/bin/env bats
# The nightly pipeline and reprocessing, end to end on the sample days.

bats_require_minimum_version 1.5.0
load test_helper

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

nightly() {
	"$REPO/scripts/nightly" --inbox "${INBOX_DIR:-$INBOX}" "$@"
}

# What a reader of the warehouse sees, without load times.
views() {
	sql "SELECT day, unit, SUM(transactions), SUM(boberdoo_amount), SUM(broker_amount), SUM(commission), SUM(revenue)
		FROM reporting.revenue_daily GROUP BY 1, 2 ORDER BY 1, 2"
	sql "SELECT complete_call_id, start_at, phone, campaign, lead_count, revenue, disposition FROM reporting.calls ORDER BY 1"
	sql "SELECT unit, transaction_id, revenue, disposition FROM reporting.lead_transactions ORDER BY 2"
	sql "SELECT transaction_id, amount, reason FROM reporting.call_lead_unmatched ORDER BY 1"
	sql "SELECT * FROM reporting.unmapped_dispositions ORDER BY 1, 2"
	sql "SELECT table_name, batch_id, row_count FROM reporting.load_audit ORDER BY 1, 2"
}

all_days() {
	for day in 20261031 20261101 20261102; do
		nightly "$day" >"$BATS_TEST_TMPDIR/nightly-$day.out" 2>&1 || { cat "$BATS_TEST_TMPDIR/nightly-$day.out"; return 1; }
	done
}

@test "the sample days, night after night: exact revenue, calls and dispositions" {
	all_days
	run sql "SELECT day, unit, SUM(revenue) FROM reporting.revenue_daily GROUP BY 1, 2 ORDER BY 1, 2"
	assert_output "2026-10-31|cpa_cpt|1956.75
2026-10-31|drip|378.43
2026-10-31|lead|2106.67
2026-10-31|lead_call|1650.50
2026-10-31|warm_transfer|620.00
2026-11-01|cpa_cpt|0.00
2026-11-01|drip|504.69
2026-11-01|lead|2018.95
2026-11-01|lead_call|1855.00
2026-11-01|warm_transfer|2285.00
2026-11-02|cpa_cpt|0.00
2026-11-02|drip|417.20
2026-11-02|lead|2109.52
2026-11-02|lead_call|1428.00
2026-11-02|warm_transfer|1425.00"
	# Every lead of a call keeps its revenue; the call before midnight got its lead from the next export.
	assert_equal "$(sql "SELECT phone, lead_count, revenue FROM reporting.calls WHERE lead_count >= 2 ORDER BY 1" | tr '\n' ' ')" \
		"+17135550101|2|105.00 +17135550102|3|140.50 "
	assert_equal "$(sql "SELECT lead_count, revenue FROM reporting.calls WHERE phone = '+17135550105'")" "1|45.00"
	# Inbound-call revenue is linked or unmatched, never lost: together they are the lead_call unit's.
	assert_equal "$(sql "SELECT (SELECT SUM(amount) FROM reporting.call_lead_links) + (SELECT SUM(amount) FROM reporting.call_lead_unmatched)")" \
		"$(sql "SELECT SUM(amount) FROM reporting.unit_transactions WHERE unit = 'lead_call'")"
	assert_equal "$(sql "SELECT SUM(amount) FROM reporting.unit_transactions WHERE unit = 'lead_call'")" "4933.50"
	# A later status report's chargeback, and the feedback of the calls.
	assert_equal "$(sql "SELECT owed, latest_status FROM reporting.broker_owed WHERE lead_id = 26103179")" "0.00|cancelled"
	assert_equal "$(sql "SELECT disposition FROM reporting.calls WHERE complete_call_id = '1EF90B61-018E68B1'")" "sold"
	assert_equal "$(sql "SELECT COUNT(*) FROM reporting.unmapped_dispositions")" 4
	# The run says what it did.
	run cat "$BATS_TEST_TMPDIR/nightly-20261102.out"
	assert_line --regexp '^nightly 20261102: days 20261031 20261101 20261102; run folder .*; log .*$'
	assert_line --regexp '^  rs-copy \(3 days, one transaction\): rs-copy: rows in 135, loaded 135 into units.lead batch 20261102 \(replaced 0\)$'
	assert_line --regexp '^  dispo-map 20261102 harbor_dispositions_20261102.csv: dispo-map: rows in 12, out 12 \(mapped 10, unmapped 2 in 2 distinct statuses\), rejected 0$'
	assert_line --regexp '^Rejected rows: 28, in '
	assert_line --regexp '^Unmapped dispositions: 4 statuses, in '
	# An export column the catalog does not load is named once, for the analyst.
	assert_line "Columns in the export that are not loaded: Custom_TCPA_Consent (add them to $REPO/catalog/streams.txt to load them)"
	log=$(sed -n 's/^Log: //p' <<<"$output")
	assert_file_exist "$log"
	assert_equal "$(grep -c 'rs-copy: rows in' "$log")" 33
}

@test "running the days again gives identical views" {
	all_days
	before=$(views)
	all_days
	assert_equal "$(views)" "$before"
	nightly 20261101 >/dev/null 2>&1
	assert_equal "$(views)" "$before"
}

@test "reprocess a range, two days at a time: the same views; done days are skipped" {
	all_days
	want=$(views)
	empty_tables
	run "$REPO/scripts/reprocess" -j 2 --inbox "$INBOX" 20261031 20261102
	assert_success
	assert_line --regexp '^reprocess: \[[123]/3\] 20261101 ok in [0-9.]+s \(288 rows, [0-9]+ rows/s\)$'
	assert_line --regexp '^reprocess: 3 days from 20261031 to 20261102 in [0-9]+s$'
	assert_equal "$(views)" "$want"
	run "$REPO/scripts/reprocess" --inbox "$INBOX" 20261031 20261102
	assert_success
	assert_line "reprocess: [2/3] 20261101 already loaded: skipped (--force to redo)"
	run "$REPO/scripts/reprocess" --force --inbox "$INBOX" 20261101 20261101
	assert_line --regexp '^reprocess: \[1/1\] 20261101 ok in '
	assert_equal "$(views)" "$want"
}

@test "a corrupt input stops the run with a clear message, and earlier loads stand" {
	cp -r "$INBOX" "$BATS_TEST_TMPDIR/inbox"
	INBOX_DIR="$BATS_TEST_TMPDIR/inbox"
	nightly 20261031 >/dev/null 2>&1
	nightly 20261101 >/dev/null 2>&1
	before=$(views)
	f="$BATS_TEST_TMPDIR/inbox/20261102/boberdoo_transactions_20261102.csv.gz"
	head -c 4000 "$f" >"$f.cut" && mv "$f.cut" "$f"
	run nightly 20261102
	assert_failure 1
	assert_line --partial "split-by-unit: boberdoo_transactions_20261102.csv.gz: truncated gzip data"
	assert_line --regexp '^nightly: step "split-by-unit 20261102" failed \(exit 1\); no table was changed; log: '
	assert_equal "$(views)" "$before"
	# A broker file no map reads stops the run before anything is loaded too.
	cp -r "$INBOX/20261102" "$BATS_TEST_TMPDIR/inbox/"
	printf 'x\n' >"$BATS_TEST_TMPDIR/inbox/20261102/cpa/newbroker_20261102.csv"
	run nightly 20261102
	assert_failure 1
	assert_line "nightly: no map in $REPO/samples/maps reads $BATS_TEST_TMPDIR/inbox/20261102/cpa/newbroker_20261102.csv (add one with files = ...)"
	assert_equal "$(views)" "$before"
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
	assert_output "nightly: DAY is YYYYMMDD, not '2026-11-01'"
	run nightly 20261225
	assert_failure 1
	assert_output "nightly: no inbox folder $INBOX/20261225"
	run "$REPO/scripts/reprocess" 20261102 20261031
	assert_failure 2
}
