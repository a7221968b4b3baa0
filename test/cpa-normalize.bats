#!/usr/bin/env bats
# bats file_tags=asan
# cpa-normalize: every broker's sales report -> one broker-sales stream, by a map.

bats_require_minimum_version 1.5.0
load test_helper

HEADER="partner_id	lead_id	phone	sale_at	sale_at_daylight	status	amount	product	report_kind	src_file	src_line"

normalize() {
	cpa-normalize --map "$MAPS/$1.map" --rejects "$BATS_TEST_TMPDIR/rejects.tsv" "${@:2}"
}

@test "--help, --version, usage errors" {
	run cpa-normalize --help
	assert_success
	assert_line --index 0 "cpa-normalize: a broker's sales report -> the canonical broker-sales stream"
	run cpa-normalize --version
	assert_output "cpa-normalize (leads-and-calls) 0.1.0"
	run cpa-normalize "$INBOX/20261102/cpa/acme_sales_20261102.csv"
	assert_failure 2
	assert_line --index 0 "cpa-normalize: give --map FILE or --maps DIR"
	# A dispositions map is not a sales map.
	run cpa-normalize --map "$MAPS/dispo-1102-harbor.map" /dev/null
	assert_failure 2
	assert_line --index 0 "cpa-normalize: $MAPS/dispo-1102-harbor.map:2: this is a dispositions map; this program reads sales maps"
}

@test "F3 ledger (1043): BOM, CRLF, \$1,234.50, a (\$95.00) chargeback; a bad row rejected" {
	run --separate-stderr normalize cpa-1043-acme "$INBOX/20261102/cpa/acme_sales_20261102.csv"
	assert_success
	assert_output "$HEADER
1043	26103109	+13799033688	2026-11-01 17:00:00		sold	95.00	Health PPO	ledger	acme_sales_20261102.csv	2
1043	26103111	+15252574156	2026-11-02 17:00:00		sold	120.50	Health HMO	ledger	acme_sales_20261102.csv	3
1043	26103117	+13378183474	2026-11-01 17:00:00		sold	1150.00	Dental	ledger	acme_sales_20261102.csv	4
1043	26103129	+12602597439	2026-11-02 17:00:00		sold	95.00	Health PPO	ledger	acme_sales_20261102.csv	5
1043	26103142	+18262637431	2026-11-01 17:00:00		sold	210.25	Health HMO	ledger	acme_sales_20261102.csv	6
1043	26103109	+13799033688	2026-11-02 17:00:00		cancelled	-95.00	Health PPO	ledger	acme_sales_20261102.csv	7
#end 6"
	assert_equal "$stderr" "cpa-normalize: acme_sales_20261102.csv:8: bad_lead_id: lead id 'N/A'
cpa-normalize: rows in 7, out 6 (sold=5 pending=0 cancelled=1), rejected 1 (bad_lead_id=1)"
	assert_equal "$(cut -s -f1,2,4 "$BATS_TEST_TMPDIR/rejects.tsv" | tail -1)" "acme_sales_20261102.csv	8	bad_lead_id"
}

@test "F3 status report (2210): a zip of a ';' file, Excel serial days" {
	run --separate-stderr normalize cpa-2210-lonestar "$INBOX/20261101/cpa/lonestar_20261101.zip" "$INBOX/20261102/cpa/lonestar_20261102.zip"
	assert_success
	assert_output "$HEADER
2210	26103177		2026-11-01 18:00:00		pending	95.50	Humana; Gold	status	lonestar_20261101.zip/LS_SALES_20261101.csv	2
2210	26103178		2026-11-01 18:00:00		pending	95.50	Humana; Gold	status	lonestar_20261101.zip/LS_SALES_20261101.csv	3
2210	26103179		2026-11-01 18:00:00		sold	95.50	Humana; Gold	status	lonestar_20261101.zip/LS_SALES_20261101.csv	4
2210	26103217		2026-11-01 18:00:00		sold	95.50	Humana; Gold	status	lonestar_20261101.zip/LS_SALES_20261101.csv	5
2210	26103177		2026-11-02 18:00:00		sold	95.50	Humana; Gold	status	lonestar_20261102.zip/LS_SALES_20261102.csv	2
2210	26103178		2026-11-02 18:00:00		cancelled	95.50	Humana; Gold	status	lonestar_20261102.zip/LS_SALES_20261102.csv	3
2210	26103179		2026-11-02 18:00:00		cancelled	95.50	Humana; Gold	status	lonestar_20261102.zip/LS_SALES_20261102.csv	4
2210	26103240		2026-11-02 18:00:00		pending	95.50	Humana; Gold	status	lonestar_20261102.zip/LS_SALES_20261102.csv	5
#end 8"
	assert_equal "$stderr" "cpa-normalize: rows in 8, out 8 (sold=3 pending=3 cancelled=2), rejected 0"
}

@test "F3 status report (3007): tab-separated under two title lines, Nov 24, 2026, a negative Chargeback" {
	run --separate-stderr normalize cpa-3007-gulfcoast "$INBOX/20261102/cpa/gulfcoast_fe_20261102.txt"
	assert_success
	assert_output "$HEADER
3007	26103103		2026-11-01 18:00:00		pending	95.00		status	gulfcoast_fe_20261102.txt	4
3007	26103137		2026-11-02 18:00:00		sold	95.00		status	gulfcoast_fe_20261102.txt	5
3007	26103173		2026-11-01 18:00:00		cancelled	0.00		status	gulfcoast_fe_20261102.txt	6
3007	26103103		2026-11-02 18:00:00		sold	95.00		status	gulfcoast_fe_20261102.txt	7
3007	26103196		2026-11-01 18:00:00		sold	95.00		status	gulfcoast_fe_20261102.txt	8
3007	26103196		2026-11-02 18:00:00		cancelled	-95.00		status	gulfcoast_fe_20261102.txt	9
#end 6"
}

@test "F4 warm transfers (1300): every transfer Y/N, 1:07 PM US Central, no lead id" {
	run --separate-stderr normalize wt-1300-hillcountry "$INBOX/20261101/wt/hillcountry_transfers_20261101.csv"
	assert_success
	assert_line --index 1 "1300		+13279428196	2026-11-01 05:04:00		sold	120.00		status	hillcountry_transfers_20261101.csv	2"
	assert_line --index 2 "1300		+16182214066	2026-11-01 08:37:00		cancelled			status	hillcountry_transfers_20261101.csv	3"
	assert_line --index 9 "1300		+15125550142	2026-11-01 21:15:00		sold	120.00		status	hillcountry_transfers_20261101.csv	10"
	assert_equal "$stderr" "cpa-normalize: rows in 9, out 9 (sold=6 pending=0 cancelled=3), rejected 0"
}

@test "F4 warm transfers (1301): '|' sales only, US Eastern, the repeated hour of 2026-11-01" {
	run --separate-stderr normalize wt-1301-magnolia "$INBOX/20261102/wt/magnolia_sales_20261102.txt"
	assert_success
	assert_line --index 1 "1301		+14678651953	2026-11-01 04:05:00		sold	120.00		ledger	magnolia_sales_20261102.txt	2"
	# 01:33 happened twice that night: read as standard time, as everywhere; the daylight reading beside it.
	assert_line --index 2 "1301		+16664906882	2026-11-01 06:33:00	2026-11-01 05:33:00	sold	95.00		ledger	magnolia_sales_20261102.txt	3"
	assert_equal "${#lines[@]}" 8
	assert_line --index 7 "#end 6"
}

@test "a fourth broker shape is onboarded by one map file and nothing else" {
	fix="$BATS_TEST_DIRNAME/fixtures/onboarding"
	run --separate-stderr cpa-normalize --map "$fix/cpa-4120-coastal.map" "$fix/coastal_senior_20261126.csv.gz"
	assert_success
	assert_output "$HEADER
4120	26103101	+15125550111	2026-11-24 20:00:00		sold	1234.50	Médico Plus, Gold	status	coastal_senior_20261126.csv.gz	2
4120	26103102		2026-11-24 20:00:00		pending	80.00	Básico	status	coastal_senior_20261126.csv.gz	3
4120	26103103	+15125550113	2026-11-25 20:00:00		cancelled	0.00	Básico	status	coastal_senior_20261126.csv.gz	4
4120	26103101	+15125550111	2026-11-26 20:00:00		cancelled	-1234.50	Médico Plus, Gold	status	coastal_senior_20261126.csv.gz	5
#end 4"
}

@test "a header without a mapped column: one error naming the map, the file and the column" {
	sed '1s/Commission Due/Commission/' "$INBOX/20261102/cpa/acme_sales_20261102.csv" >"$BATS_TEST_TMPDIR/acme.csv"
	run --separate-stderr normalize cpa-1043-acme "$BATS_TEST_TMPDIR/acme.csv"
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "cpa-normalize: $MAPS/cpa-1043-acme.map:19: column 'Commission Due' (for amount) is not in the header of acme.csv"
}

@test "archives with no matching entry, corrupt and truncated files: a clear error, exit 1" {
	(cd "$BATS_TEST_TMPDIR" && printf 'x\n' >notes.txt && zip -q nothing.zip notes.txt)
	run normalize cpa-2210-lonestar "$BATS_TEST_TMPDIR/nothing.zip"
	assert_failure 1
	assert_line --index 0 "cpa-normalize: nothing.zip: no archive entry matches '*.csv'"
	head -c 200 "$INBOX/20261101/cpa/lonestar_20261101.zip" >"$BATS_TEST_TMPDIR/torn.zip"
	run normalize cpa-2210-lonestar "$BATS_TEST_TMPDIR/torn.zip"
	assert_failure 1
	assert_line --index 0 --partial "cpa-normalize: torn.zip"
	gzip -c "$INBOX/20261102/cpa/acme_sales_20261102.csv" | head -c 150 >"$BATS_TEST_TMPDIR/cut.csv.gz"
	run normalize cpa-1043-acme "$BATS_TEST_TMPDIR/cut.csv.gz"
	assert_failure 1
	assert_line --partial "cpa-normalize: cut.csv.gz: truncated gzip data"
	printf 'Lead ID,Customer Phone,Sale Date,Policy Type,Annual Premium,Commission Due\n1,"(512) 555-0199,11/01/2026,x,1,2\n' >"$BATS_TEST_TMPDIR/open-quote.csv"
	run normalize cpa-1043-acme "$BATS_TEST_TMPDIR/open-quote.csv"
	assert_failure 1
	assert_line --index 0 "cpa-normalize: open-quote.csv:2: unterminated quoted field (file ends inside quotes)"
}

@test "values that do not parse are rejected with their reason; rows in = out + rejected" {
	printf 'Lead ID,Customer Phone,Sale Date,Policy Type,Annual Premium,Commission Due\r\n' >"$BATS_TEST_TMPDIR/bad.csv"
	printf '1001,(512) 555-0199,11/01/2026,PPO,,$95.00\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"
	printf '1002,(512) 555-0199,13/01/2026,PPO,,$95.00\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"
	printf '1003,(512) 555-0199,11/01/2026,PPO,,$95.0.0\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"
	printf '1004,(512) 555-0199,11/01/2026,PPO,,\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"
	printf '1005,call me,11/01/2026,PPO,,$10.00\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"
	printf '1006,(512) 555-0199,11/01/2026\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"
	printf '\r\n' >>"$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr normalize cpa-1043-acme "$BATS_TEST_TMPDIR/bad.csv"
	assert_success
	assert_equal "$(tail -1 <<<"$stderr")" "cpa-normalize: rows in 7, out 2 (sold=2 pending=0 cancelled=0), rejected 5 (bad_date=1 bad_money=1 missing_value=1 field_count=1 blank_line=1); 1 unusable phones left empty (the lead id identifies those rows)"
	assert_equal "$(cut -s -f2,4 "$BATS_TEST_TMPDIR/rejects.tsv" | tail -n +2 | tr '\n' ' ')" "3	bad_date 4	bad_money 5	missing_value 7	field_count 8	blank_line "
	# The sale with an unusable phone is kept (the lead id says whose it is), its phone empty.
	assert_line "1043	1005		2026-11-01 17:00:00		sold	10.00	PPO	ledger	bad.csv	6"
	# A status the map does not know is rejected: it cannot be assumed to pay.
	printf 'LEADID;ENROLL_DT;STATUS;CARRIER;PAYOUT\n77;46327;Lapsed;X;95.5\n' >"$BATS_TEST_TMPDIR/status.csv"
	run --separate-stderr normalize cpa-2210-lonestar "$BATS_TEST_TMPDIR/status.csv"
	assert_equal "$(head -1 <<<"$stderr")" "cpa-normalize: status.csv:2: unknown_status: status 'Lapsed' is not in $MAPS/cpa-2210-lonestar.map"
}

@test "a broken map: line-numbered errors, exit 2, no output" {
	printf 'map = sales\npartner_id = 9\nreport = ledger\ncolumn lead_id = Lead\ncolumn amont = Fee\nstatus Paid = paid\n' >"$BATS_TEST_TMPDIR/broken.map"
	run --separate-stderr cpa-normalize --map "$BATS_TEST_TMPDIR/broken.map" /dev/null
	assert_failure 2
	assert_output ""
	assert_equal "$(head -2 <<<"$stderr")" "cpa-normalize: $BATS_TEST_TMPDIR/broken.map:5: unknown column 'amont' for a sales map
cpa-normalize: $BATS_TEST_TMPDIR/broken.map:6: 'paid' is not a status (one of: sold, pending, cancelled)"
}

@test "no leaks under valgrind" {
	skip_if_sanitized
	run valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \
		cpa-normalize --map "$MAPS/cpa-2210-lonestar.map" --rejects /dev/null "$INBOX/20261101/cpa/lonestar_20261101.zip"
	assert_success
}
