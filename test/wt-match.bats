#!/usr/bin/env bats
# bats file_tags=asan
# wt-match: warm-transfer sales -> their transfers, one to one, nearest first.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	split_sample_days "$BATS_FILE_TMPDIR"
	cpa-normalize --map "$MAPS/wt-1300-hillcountry.map" "$INBOX/20261101/wt/hillcountry_transfers_20261101.csv" \
		>"$BATS_FILE_TMPDIR/hill.tsv" 2>/dev/null
	cpa-normalize --map "$MAPS/wt-1301-magnolia.map" "$INBOX/20261102/wt/magnolia_sales_20261102.txt" \
		>"$BATS_FILE_TMPDIR/magnolia.tsv" 2>/dev/null
}

transfers() {
	for day in 20261031 20261101 20261102; do
		printf -- '--transfers\n%s\n' "$BATS_FILE_TMPDIR/$day/warm_transfer.tsv"
	done
}

@test "--help, --version, usage errors" {
	run wt-match --help
	assert_success
	assert_line --index 0 "wt-match: warm-transfer sales -> the transfers they belong to"
	run wt-match --version
	assert_output "wt-match (leads-and-calls) 0.1.0"
	run wt-match --transfers x
	assert_failure 2
}

@test "F4 sales to their transfers: commission, gap, the broker's file and line" {
	mapfile -t t < <(transfers)
	run --separate-stderr wt-match --sales "$BATS_FILE_TMPDIR/magnolia.tsv" "${t[@]}" --rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	assert_output "partner_id	transaction_id	lead_id	sale_at	sold	commission	seconds_after_lead	src_file	src_line
1301	261101002	26110102	2026-11-01 04:05:00	1	120.00	153	magnolia_sales_20261102.txt	2
1301	261101020	26110117	2026-11-01 06:33:00	1	95.00	151	magnolia_sales_20261102.txt	3
1301	261101027	26110124	2026-11-01 06:57:00	1	150.00	162	magnolia_sales_20261102.txt	4
1301	261101090	26110185	2026-11-01 12:54:00	1	120.00	130	magnolia_sales_20261102.txt	5
1301	261101096	26110190	2026-11-01 13:25:00	1	95.00	174	magnolia_sales_20261102.txt	6
1301	261101098	26110192	2026-11-01 13:39:00	1	150.00	137	magnolia_sales_20261102.txt	7
#end 6"
	assert_equal "$stderr" "wt-match: sales in 6, matched 6 (6 sold, commission 730.00); transfers in 87 (0 refunds skipped), rejected 0"
}

@test "Y and N rows both matched; a transfer of the repeated hour; a sale with no transfer" {
	mapfile -t t < <(transfers)
	run --separate-stderr wt-match --sales "$BATS_FILE_TMPDIR/hill.tsv" "${t[@]}" --rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	# 12:04 AM Central is 01:04 EDT, the first pass of the repeated hour; the lead (01:02:21) was read as EST.
	assert_line --index 1 "1300	261101016	26110113	2026-11-01 05:04:00	1	120.00	99	hillcountry_transfers_20261101.csv	2"
	assert_line --index 2 "1300	261101040	26110137	2026-11-01 08:37:00	0		146	hillcountry_transfers_20261101.csv	3"
	assert_equal "${#lines[@]}" 10
	assert_line --index 9 "#end 8"
	assert_equal "$(cut -s -f1,2,4 "$BATS_TEST_TMPDIR/rej.tsv" | tail -n +2)" "hillcountry_transfers_20261101.csv	10	no_transfer"
}

@test "one to one, nearest first; a broker's day naming our next day; every reason" {
	printf 'transaction_id\ttransaction_type\tlead_id\tlead_received_at\tpartner_id\tphone\n' >"$BATS_TEST_TMPDIR/t1.tsv"
	printf '901\tpurchase\t9001\t2026-11-01 04:20:00\t1300\t+15125550111\n' >>"$BATS_TEST_TMPDIR/t1.tsv"
	printf '902\tpurchase\t9002\t2026-11-01 04:50:00\t1300\t+15125550111\n' >>"$BATS_TEST_TMPDIR/t1.tsv"
	printf '903\trefund\t9001\t2026-11-01 04:20:00\t1300\t+15125550111\n' >>"$BATS_TEST_TMPDIR/t1.tsv"
	printf '904\tpurchase\t9004\t2026-11-01 04:00:00\t1300\t+15125550122\n' >>"$BATS_TEST_TMPDIR/t1.tsv"
	printf 'partner_id\tlead_id\tphone\tsale_at\tstatus\tamount\tproduct\treport_kind\tsrc_file\tsrc_line\n' >"$BATS_TEST_TMPDIR/s.tsv"
	# The first sale of this phone: 180 s after transfer 901, but the next sale is nearer (60 s) and takes it.
	printf '1300\t\t+15125550111\t2026-11-01 04:23:00\tsold\t120.00\t\tstatus\tr.csv\t2\n' >>"$BATS_TEST_TMPDIR/s.tsv"
	# Reported on the broker's 10/31 (11:21 PM Central): a transfer of our 11-01.
	printf '1300\t\t+15125550111\t2026-11-01 04:21:00\tsold\t95.00\t\tstatus\tr.csv\t3\n' >>"$BATS_TEST_TMPDIR/s.tsv"
	printf '1300\t\t+15125550111\t2026-11-01 04:59:00\tcancelled\t\t\tstatus\tr.csv\t4\n' >>"$BATS_TEST_TMPDIR/s.tsv"
	printf '1300\t\t+15125550122\t2026-11-01 07:00:00\tsold\t120.00\t\tstatus\tr.csv\t5\n' >>"$BATS_TEST_TMPDIR/s.tsv"
	printf '1301\t\t+15125550111\t2026-11-01 04:22:00\tsold\t120.00\t\tstatus\tr.csv\t6\n' >>"$BATS_TEST_TMPDIR/s.tsv"
	printf '1300\t\t\t2026-11-01 04:22:00\tsold\t120.00\t\tstatus\tr.csv\t7\n' >>"$BATS_TEST_TMPDIR/s.tsv"
	run --separate-stderr wt-match --sales "$BATS_TEST_TMPDIR/s.tsv" --transfers "$BATS_TEST_TMPDIR/t1.tsv" --rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	assert_output "partner_id	transaction_id	lead_id	sale_at	sold	commission	seconds_after_lead	src_file	src_line
1300	901	9001	2026-11-01 04:21:00	1	95.00	60	r.csv	3
1300	902	9002	2026-11-01 04:59:00	0		540	r.csv	4
#end 2"
	assert_equal "$(cut -s -f2,4 "$BATS_TEST_TMPDIR/rej.tsv" | tail -n +2 | tr '\n' ' ')" "2	taken 5	outside_window 6	no_transfer 7	no_phone "
	assert_equal "$stderr" "$(printf 'wt-match: r.csv:2: taken: no warm transfer of +15125550111\nwt-match: r.csv:5: outside_window: no warm transfer of +15125550122\nwt-match: r.csv:6: no_transfer: no warm transfer of +15125550111\nwt-match: r.csv:7: no_phone: no warm transfer of (no phone)\nwt-match: sales in 6, matched 2 (1 sold, commission 95.00); transfers in 4 (1 refunds skipped), rejected 4 (taken=1 outside_window=1 no_transfer=1 no_phone=1)')"
}

@test "a Central broker's time in its repeated hour: both readings tried, the nearer that fits taken" {
	printf 'transaction_id\ttransaction_type\tlead_id\tlead_received_at\tpartner_id\tphone\n' >"$BATS_TEST_TMPDIR/t.tsv"
	# 01:20:50 on boberdoo's second pass (EST); 02:05 EST, after the repeated hour.
	printf '911\tpurchase\t9011\t2026-11-01 06:20:50\t1300\t+15125550177\n' >>"$BATS_TEST_TMPDIR/t.tsv"
	printf '912\tpurchase\t9012\t2026-11-01 07:05:00\t1300\t+15125550178\n' >>"$BATS_TEST_TMPDIR/t.tsv"
	{ echo 'Transfer Date,Transfer Time,Customer Phone,Agent,Sold (Y/N),Premium,Commission'
	  # 1:48 AM Central of the first pass (CDT, 06:48 UTC); read as CST it would be 07:48, 87 minutes late.
	  echo '11/01/2026,1:48 AM,(512) 555-0177,Dale,Y,"$1,200.00",$120.00'
	  # 1:10 AM Central of the second pass (CST, 07:10 UTC); its CDT reading would be before the lead.
	  echo '11/01/2026,1:10 AM,(512) 555-0178,Rosa,Y,"$1,200.00",$95.00'; } >"$BATS_TEST_TMPDIR/hill.csv"
	cpa-normalize --map "$MAPS/wt-1300-hillcountry.map" "$BATS_TEST_TMPDIR/hill.csv" >"$BATS_TEST_TMPDIR/s.tsv" 2>/dev/null
	assert_equal "$(cut -f4,5 "$BATS_TEST_TMPDIR/s.tsv" | sed -n '2,3p')" "2026-11-01 07:48:00	2026-11-01 06:48:00
2026-11-01 07:10:00	2026-11-01 06:10:00"
	run --separate-stderr wt-match --sales "$BATS_TEST_TMPDIR/s.tsv" --transfers "$BATS_TEST_TMPDIR/t.tsv" \
		--rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	assert_output "partner_id	transaction_id	lead_id	sale_at	sold	commission	seconds_after_lead	src_file	src_line
1300	911	9011	2026-11-01 06:48:00	1	120.00	1630	hill.csv	2
1300	912	9012	2026-11-01 07:10:00	1	95.00	300	hill.csv	3
#end 2"
}

@test "5,000 sales and 5,000 transfers of one phone: every pair is never listed (memory stays small)" {
	skip_if_sanitized	# the sanitizers reserve terabytes of address space
	awk 'BEGIN { OFS = "\t"; print "transaction_id", "transaction_type", "lead_id", "lead_received_at", "partner_id", "phone"
		for (i = 0; i < 5000; i++)
			print 1000 + i, "purchase", 5000 + i, sprintf("2026-11-02 12:%02d:%02d", int(i / 60) % 60, i % 60), 1300, "+15125550199" }' \
		>"$BATS_TEST_TMPDIR/t.tsv"
	awk -v header="$(lac-catalog header broker_sales)" 'BEGIN { OFS = "\t"; print header
		for (i = 0; i < 5000; i++)
			print 1300, "", "+15125550199", sprintf("2026-11-02 12:%02d:00", int(i / 60) % 60), "", "sold", "120.00", "", "status", "s.csv", i + 2 }' \
		>"$BATS_TEST_TMPDIR/s.tsv"
	# Listing the 12.5 million pairs that fit took 468 MB: a tenth of that is plenty now.
	run --separate-stderr bash -c "ulimit -v 120000; wt-match --sales '$BATS_TEST_TMPDIR/s.tsv' --transfers '$BATS_TEST_TMPDIR/t.tsv' --rejects /dev/null"
	assert_success
	assert_equal "${stderr_lines[-1]}" "wt-match: sales in 5000, matched 4942 (4942 sold, commission 593040.00); transfers in 5000 (0 refunds skipped), rejected 58 (taken=58)"
	assert_line --index 1 "1300	1000	5000	2026-11-02 12:00:00	1	120.00	0	s.csv	2"
}

@test "a sale whose src_line is not a number is rejected, not read as line 0" {
	printf 'transaction_id\ttransaction_type\tlead_id\tlead_received_at\tpartner_id\tphone\n901\tpurchase\t9001\t2026-11-01 04:20:00\t1300\t+15125550111\n' >"$BATS_TEST_TMPDIR/t1.tsv"
	printf 'partner_id\tlead_id\tphone\tsale_at\tstatus\tamount\tproduct\treport_kind\tsrc_file\tsrc_line\n' >"$BATS_TEST_TMPDIR/s.tsv"
	printf '1300\t\t+15125550111\t2026-11-01 04:23:00\tsold\t120.00\t\tstatus\tr.csv\t\n' >>"$BATS_TEST_TMPDIR/s.tsv"
	run --separate-stderr wt-match --sales "$BATS_TEST_TMPDIR/s.tsv" --transfers "$BATS_TEST_TMPDIR/t1.tsv" --rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	assert_equal "$(cut -s -f1,2,4,5 "$BATS_TEST_TMPDIR/rej.tsv" | tail -n +2)" "s.tsv	2	missing_value	src_line ''"
	assert_output "partner_id	transaction_id	lead_id	sale_at	sold	commission	seconds_after_lead	src_file	src_line
#end 0"
	# No transfers at all: every sale rejected, nothing else goes wrong.
	head -1 "$BATS_TEST_TMPDIR/t1.tsv" >"$BATS_TEST_TMPDIR/t0.tsv"
	sed -i '2s/\t$/\t2/' "$BATS_TEST_TMPDIR/s.tsv"
	run --separate-stderr wt-match --sales "$BATS_TEST_TMPDIR/s.tsv" --transfers "$BATS_TEST_TMPDIR/t0.tsv" --rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	assert_equal "$(cut -s -f2,4 "$BATS_TEST_TMPDIR/rej.tsv" | tail -n +2)" "2	no_transfer"
}

@test "no leaks under valgrind" {
	skip_if_sanitized
	mapfile -t t < <(transfers)
	run valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \
		wt-match --sales "$BATS_FILE_TMPDIR/hill.tsv" "${t[@]}" --rejects /dev/null
	assert_success
}
