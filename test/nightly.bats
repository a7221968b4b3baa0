#!/usr/bin/env bats
# The nightly pipeline and reprocessing, end to end on the sample days.

bats_require_minimum_version 1.5.0
load test_helper
load nightly_helper

# The three sample days, night after night, are run once for the file, into
# a database of its own ($FILE_DB) that tests copy: what they saw is kept
# under $BATS_FILE_TMPDIR (views, and each night's report).
setup_file() {
	pg_setup_file
	pg_file_db nightly_days
	export LAC_WORK="$BATS_FILE_TMPDIR/work"
	all_days "$BATS_FILE_TMPDIR"
	views >"$BATS_FILE_TMPDIR/views"
}

teardown_file() {
	pg_drop_file_db
	pg_teardown_file
}

teardown() {
	pg_teardown
}

# Each test starts from a copy of the three days run night after night.
setup() {
	pg_setup "$FILE_DB"
	WORK="$BATS_TEST_TMPDIR/work"
	export LAC_WORK="$WORK"
}

@test "the sample days, night after night: exact revenue, calls and dispositions" {
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
	# Every feed due arrived, each file with its rows and rejects; every load is recorded with its run.
	assert_equal "$(sql "SELECT feed, status, file, row_count, rejected FROM reporting.feed_status WHERE day = '2026-11-02' AND expected = 1 ORDER BY 1" | tr '\n' ' ')" \
		"boberdoo|arrived|boberdoo_transactions_20261102.csv.gz|281|8 cpa-1043-acme|arrived|cpa/acme_sales_20261102.csv|7|1 cpa-2210-lonestar|arrived|cpa/lonestar_20261102.zip|4|0 invoca|arrived|invoca_calls_20261102.csv|43|0 "
	# 20261101 was loaded by its own night and again as the next night's trail: twice in every table.
	tables=$("$BIN/lac-catalog" tables | wc -l)
	assert_equal "$(sql "SELECT COUNT(*), COUNT(DISTINCT run_id), SUM(loads) FROM reporting.load_audit WHERE batch_id = '20261101'")" \
		"$tables|1|$((tables * 2))"
	# The run says what it did.
	run cat "$BATS_FILE_TMPDIR/nightly-20261102.out"
	assert_line --regexp '^nightly 20261031\.\.20261102: run 20261031-[A-Za-z0-9]{6}; log .*$'
	assert_line "nightly 20261031..20261102: done"
	assert_line "  units.lead: 417 rows loaded"
	assert_line "  split-by-unit: 852 rows read"
	assert_line "Rejected rows: 28 amount_sign=3 bad_datetime=3 bad_lead_id=1 bad_money=3 bad_phone=4 bad_transaction_type=3 bad_utf8=3 field_count=3 missing_value=3 no_transfer=2"
	assert_line "Unmapped dispositions: 4 rows"
	# An export column the catalog does not load is named once, for the analyst.
	assert_line "Columns in the export that are not loaded: Custom_TCPA_Consent (add them to the catalog to load them)"
	log=$(sed -n 's/^Log: //p' <<<"$output")
	assert_file_exist "$log"
	assert_equal "$(grep -c '^nightly 20261031..20261102: done$' "$log")" 1
}

@test "running the days again gives identical views" {
	before=$(cat "$BATS_FILE_TMPDIR/views")
	assert_equal "$(views)" "$before"
	nightly 20261102 >/dev/null 2>&1	# the three days again: its trail has the two before
	assert_equal "$(views)" "$before"
	nightly 20261101 >/dev/null 2>&1
	assert_equal "$(views)" "$before"
}

@test "reprocess a range in large steps: exactly the views of the nights; done days are skipped" {
	want=$(cat "$BATS_FILE_TMPDIR/views")
	empty_tables
	indexes=$(sql "SELECT indexdef FROM pg_indexes WHERE schemaname IN ('units', 'lac') ORDER BY 1")
	run "$REPO/scripts/reprocess" -j 2 --chunk 2 --inbox "$INBOX" 20261031 20261102
	assert_success
	# Into an empty database: loaded without the read indexes, which are all there again after.
	assert_line "reprocess: 3 days into a database of 0: the views' read indexes are built after the load"
	assert_equal "$(sql "SELECT indexdef FROM pg_indexes WHERE schemaname IN ('units', 'lac') ORDER BY 1")" "$indexes"
	assert [ "$(wc -l <<<"$indexes")" -gt 20 ]
	assert_line --regexp '^reprocess: [23]/3 days, 20261031\.\.20261101 ok, [0-9]+ rows/s, [0-9]+ s left$'
	assert_line --regexp '^reprocess: 3 days from 20261031 to 20261102 in [0-9]+s \(1250 rows loaded\)$'
	assert_equal "$(views | grep -v '|20261[01][0-9]*|[0-9]*$')" "$(grep -v '|20261[01][0-9]*|[0-9]*$' <<<"$want")"
	# In one step: the same, and three days cost one run of the filters and one load.
	empty_tables
	run "$REPO/scripts/reprocess" -j 1 --inbox "$INBOX" 20261031 20261102
	assert_success
	assert_equal "$(sql "SELECT COUNT(DISTINCT run_id) FROM lac.loads")" 1
	assert_equal "$(views | grep -v '|20261[01][0-9]*|[0-9]*$')" "$(grep -v '|20261[01][0-9]*|[0-9]*$' <<<"$want")"
	run "$REPO/scripts/reprocess" --inbox "$INBOX" 20261031 20261102
	assert_success
	assert_line "reprocess: 3 of 3 days already done: skipped (--force to redo)"
	run "$REPO/scripts/reprocess" --force --inbox "$INBOX" 20261101 20261101
	assert_line --regexp '^reprocess: 1/1 days, 20261101\.\.20261101 ok, '
}

@test "a corrupt input stops the run with a clear message, and earlier loads stand" {
	own_inbox
	before=$(views)
	f="$INBOX_DIR/20261102/boberdoo_transactions_20261102.csv.gz"
	head -c 4000 "$f" >"$f.cut" && mv "$f.cut" "$f"
	run nightly 20261102
	assert_failure 1
	assert_line --partial "split-by-unit: boberdoo_transactions_20261102.csv.gz: truncated gzip data"
	assert_line --regexp '^nightly: step "split-by-unit 20261102" failed \(exit 1\); no table was changed; log: '
	assert_equal "$(views)" "$before"
	# A broker file no map reads stops the run before anything is loaded too.
	cp "$INBOX/20261102/boberdoo_transactions_20261102.csv.gz" "$f"
	printf 'x\n' >"$INBOX_DIR/20261102/cpa/newbroker_20261102.csv"
	run nightly 20261102
	assert_failure 1
	assert_line "cpa-normalize: $INBOX_DIR/20261102/cpa/newbroker_20261102.csv: no map reads it (a new broker is a new map with files = ...)"
	assert_line --regexp '^nightly: step "cpa-normalize 20261102" failed \(exit 1\); no table was changed'
	assert_equal "$(views)" "$before"
}
