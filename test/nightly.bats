#!/usr/bin/env bats
# The nightly pipeline and reprocessing, end to end on the sample days.

bats_require_minimum_version 1.5.0
load test_helper

# The three sample days, night after night, are run once for the file, into
# a database of its own ($DAYS_DB) that tests copy: what they saw is kept
# under $BATS_FILE_TMPDIR (views, and each night's report).
setup_file() {
	pg_setup_file
	pg_env
	export DAYS_DB="nightly_days_$$"
	PGDATABASE=postgres createdb -T "$LAC_TEST_TEMPLATE" "$DAYS_DB"
	export PGDATABASE=$DAYS_DB LAC_WORK="$BATS_FILE_TMPDIR/work"
	all_days "$BATS_FILE_TMPDIR"
	views >"$BATS_FILE_TMPDIR/views"
}

teardown_file() {
	PGDATABASE=postgres psql -X -q -c "DROP DATABASE IF EXISTS \"$DAYS_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
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

# A copy of the sample inbox, to take files from or put files in.
own_inbox() {
	cp -r "$INBOX" "$BATS_TEST_TMPDIR/inbox"
	INBOX_DIR="$BATS_TEST_TMPDIR/inbox"
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
	sql "SELECT day, feed, status, file, row_count, rejected FROM reporting.feed_status ORDER BY 1, 2, 4"
}

all_days() {	# DIR: each night's report into DIR/nightly-DAY.out
	for day in 20261031 20261101 20261102; do
		nightly "$day" >"$1/nightly-$day.out" 2>&1 || { cat "$1/nightly-$day.out"; return 1; }
	done
}

@test "the sample days, night after night: exact revenue, calls and dispositions" {
	pg_copy_of "$DAYS_DB"
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
	pg_copy_of "$DAYS_DB"
	before=$(cat "$BATS_FILE_TMPDIR/views")
	assert_equal "$(views)" "$before"
	nightly 20261102 >/dev/null 2>&1	# the three days again: its trail has the two before
	assert_equal "$(views)" "$before"
	nightly 20261101 >/dev/null 2>&1
	assert_equal "$(views)" "$before"
}

@test "reprocess a range in large steps: exactly the views of the nights; done days are skipped" {
	want=$(cat "$BATS_FILE_TMPDIR/views")
	run "$REPO/scripts/reprocess" -j 2 --chunk 2 --inbox "$INBOX" 20261031 20261102
	assert_success
	assert_line --regexp '^reprocess: [23]/3 days, 20261031\.\.20261101 ok, [0-9]+ rows/s, [0-9]+ s left$'
	assert_line --regexp '^reprocess: 3 days from 20261031 to 20261102 in [0-9]+s \(1250 rows loaded\)$'
	assert_equal "$(views | grep -v '|20261[01][0-9]*|[0-9]*$')" "$(grep -v '|20261[01][0-9]*|[0-9]*$' <<<"$want")"
	# In one step: the same, and three days cost one run of the filters and one load.
	empty_tables
	psql -X -q -c "TRUNCATE lac.loads"
	run "$REPO/scripts/reprocess" --inbox "$INBOX" 20261031 20261102
	assert_success
	assert_equal "$(sql "SELECT COUNT(DISTINCT run_id) FROM lac.loads")" 1
	assert_equal "$(views | grep -v '|20261[01][0-9]*|[0-9]*$')" "$(grep -v '|20261[01][0-9]*|[0-9]*$' <<<"$want")"
	run "$REPO/scripts/reprocess" --inbox "$INBOX" 20261031 20261102
	assert_success
	assert_line "reprocess: 3 of 3 days already done: skipped (--force to redo)"
	run "$REPO/scripts/reprocess" --force --inbox "$INBOX" 20261101 20261101
	assert_line --regexp '^reprocess: 1/1 days, 20261101\.\.20261101 ok, '
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
	assert_line --partial "nightly: refusing "
	assert_line --partial ": inbox file names are letters, digits, \".\", \"_\" and \"-\""
	assert_file_not_exist "$BATS_TEST_TMPDIR/ran"
	assert_equal "$(sql "SELECT COUNT(*) FROM lac.loads")" 0
}

@test "a corrupt input stops the run with a clear message, and earlier loads stand" {
	own_inbox
	pg_copy_of "$DAYS_DB"
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
