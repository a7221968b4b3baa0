#!/usr/bin/env bats
# bats file_tags=asan
# call-lead-join: every lead of a call keeps its revenue; none is ever lost.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	split_sample_days "$BATS_FILE_TMPDIR"
}

calls() { echo "$INBOX/$1/invoca_calls_$1.csv"; }
leads() { echo "$BATS_FILE_TMPDIR/$1/lead_call.tsv"; }

# The 2026-11-01 calls and leads, with the next day's (late data).
join_two_days() {
	call-lead-join --calls "$(calls 20261101)" --calls "$(calls 20261102)" \
		--leads "$(leads 20261101)" --leads "$(leads 20261102)" \
		-o "$BATS_TEST_TMPDIR/out" --rejects "$BATS_TEST_TMPDIR/rejects.tsv" "$@"
}

# The calls of one caller: how many transactions each carries and their amounts,
# "links|amount" per call in the order of calls.tsv (the view reporting.calls
# counts them; here the links themselves say it).
call_of() {
	awk -F'\t' -v p="$1" '
		FNR == 1 || NF == 1 { next }
		FILENAME ~ /links/ { n[$1]++; cents[$1] += sprintf("%.0f", $6 * 100); next }
		$3 == p { printf "%d|%.2f ", n[$1], cents[$1] / 100 }' \
		"$BATS_TEST_TMPDIR/out/call_lead_links.tsv" "$BATS_TEST_TMPDIR/out/calls.tsv"
}

link_of() {
	awk -F'\t' -v l="$1" '$3 == l { print $5 "|" $6 }' "$BATS_TEST_TMPDIR/out/call_lead_links.tsv"
}

@test "--help, --version, usage errors" {
	run call-lead-join --help
	assert_success
	assert_line --index 0 "call-lead-join: Invoca calls <-> boberdoo inbound-call transactions"
	run call-lead-join --version
	assert_output "call-lead-join (leads-and-calls) 0.1.0"
	run call-lead-join --calls "$(calls 20261101)" -o "$BATS_TEST_TMPDIR/out"
	assert_failure 2
	run call-lead-join --calls x --leads y -o z --window soon
	assert_failure 2
	assert_line --index 0 "call-lead-join: --window takes seconds, not 'soon'"
}

# bats test_tags=tsan
@test "calls with 0, 1, 2 and 3 leads; every lead's revenue is the call's" {
	run --separate-stderr join_two_days
	assert_success
	assert_equal "$(call_of +17135550101)" "2|105.00 "
	assert_equal "$(call_of +17135550102)" "3|140.50 "
	assert_equal "$(link_of 26205101)" "20|45.00"
	assert_equal "$(link_of 26205102)" "95|60.00"
	assert_equal "$(link_of 26205105)" "150|60.00"
	# Calls that reached no buyer carry nothing.
	assert_equal "$(call_of +12105550100)" "0|0.00 0|0.00 "
	assert_equal "$stderr" "call-lead-join: invoca rows in 93, calls 71; transactions in 70 (3283.00), linked 63 (2981.50), unmatched 7 (301.50), rejected 0; 2 corrections (0 naming rows not given); 20 non-Call rows (Post Call Event, Sale) read, not calls; 1 leads of the repeated DST hour matched on their daylight-time reading"
	# Calls by the leads they carry (a refund nets a call's revenue, it is not a lead): 12 none, 57 one,
	# 2 more, carrying 245.50 between them.
	assert_equal "$(awk -F'\t' 'FNR == 1 || NF == 1 { next }
		FILENAME ~ /links/ { n[$1] += $4 != "refund"; cents[$1] += sprintf("%.0f", $6 * 100); next }
		{ k = n[$1] >= 2 ? 2 : n[$1] + 0; c[k]++; if (k == 2) multi += cents[$1] }
		END { printf "%d %d %d %.2f", c[0], c[1], c[2], multi / 100 }' \
		"$BATS_TEST_TMPDIR/out/call_lead_links.tsv" "$BATS_TEST_TMPDIR/out/calls.tsv")" "12 57 2 245.50"
}

@test "the same phone calling twice a day: each lead to its own call; a web lead takes nothing" {
	join_two_days --leads "$BATS_FILE_TMPDIR/20261101/lead.tsv" 2>/dev/null
	assert_equal "$(call_of +17135550103)" "1|45.00 1|45.00 "
	assert_equal "$(link_of 26205107)" "30|45.00"
	assert_equal "$(link_of 26205108)" "40|45.00"
	# The caller's web lead of that morning, handed in too, stays out of every call: it has no campaign.
	assert_equal "$(awk -F'\t' '$2 == 26205106 { print $6 "|" $7 }' "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv")" "12.50|no_campaign"
}

@test "a call at 23:58 finds its lead in the next day's export" {
	join_two_days 2>/dev/null
	assert_equal "$(link_of 26205201)" "90|45.00"
	assert_equal "$(awk -F'\t' '$3 == "26205201" { print $4 " " $7 ":" $8 }' "$BATS_TEST_TMPDIR/out/call_lead_links.tsv")" \
		"purchase boberdoo_transactions_20261102.csv.gz:283"
	# Without the next day, that call has no lead yet.
	call-lead-join --calls "$(calls 20261101)" --leads "$(leads 20261101)" -o "$BATS_TEST_TMPDIR/out" --rejects /dev/null 2>/dev/null
	assert_equal "$(call_of +17135550105)" "0|0.00 "
}

@test "a correction in the next day's file changes a call's campaign, and its lead follows" {
	call-lead-join --calls "$(calls 20261101)" --leads "$(leads 20261101)" -o "$BATS_TEST_TMPDIR/out" --rejects /dev/null 2>/dev/null
	assert_equal "$(awk -F'\t' '$2 == 26205110 { print $7 }' "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv")" "no_call"
	assert_equal "$(awk -F'\t' '$3 == "+17135550106" { print $4 }' "$BATS_TEST_TMPDIR/out/calls.tsv")" "MED-IPR-XX"
	join_two_days 2>/dev/null
	assert_equal "$(link_of 26205110)" "30|60.00"
	assert_equal "$(awk -F'\t' '$3 == "+17135550106" { print $4 "|" $8 ":" $9 }' "$BATS_TEST_TMPDIR/out/calls.tsv")" \
		"MED-IPR-TX|invoca_calls_20261102.csv:43"
}

@test "calls in the repeated hour of 2026-11-01: both passes" {
	join_two_days 2>/dev/null
	# 01:30:40 EST, the second pass: its lead (01:31:10, read as EST) 30 seconds later.
	assert_equal "$(link_of 26205109)" "30|45.00"
	assert_equal "$(awk -F'\t' '$3 == "+17135550104" { print $2 }' "$BATS_TEST_TMPDIR/out/calls.tsv")" "2026-11-01 06:30:40"
	# 01:49 EDT, the first pass: the lead's standard-time reading misses by an hour; the other fits.
	assert_equal "$(link_of 26110122)" "5|35.50"
}

@test "unmatched on both sides, and revenue conserved to the cent" {
	run --separate-stderr join_two_days
	assert_equal "$(cut -s -f2,7 "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv" | tail -n +2 | sort | tr '\n' ' ')" \
		"26110149	no_call 26110236	no_call 26110237	no_call 26110311	no_call 26110335	no_call 26110384	no_call 26205111	no_call "
	in=$(cat "$(leads 20261101)" "$(leads 20261102)" | awk -F'\t' '$1 != "transaction_id" { v = $14; sub(/\./, "", v); s += v } END { print s }')
	linked=$(count_and_sum "$BATS_TEST_TMPDIR/out/call_lead_links.tsv" amount | cut -d' ' -f2)
	unmatched=$(count_and_sum "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv" amount | cut -d' ' -f2)
	assert_equal "$in" 328300
	assert_equal "$((linked + unmatched))" "$in"
	# And in transactions: every one linked or unmatched, once.
	assert_equal "$(($(rows "$BATS_TEST_TMPDIR/out/call_lead_links.tsv") + $(rows "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv")))" 70
	# Every link names a call of calls.tsv.
	assert_equal "$(awk -F'\t' 'FNR == 1 || NF == 1 { next } FILENAME ~ /calls.tsv/ { call[$1] = 1; next } !($1 in call) { n++ } END { print n + 0 }' \
		"$BATS_TEST_TMPDIR/out/calls.tsv" "$BATS_TEST_TMPDIR/out/call_lead_links.tsv")" 0
}

@test "a second run writes identical output" {
	join_two_days 2>/dev/null
	cp -r "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/first"
	join_two_days 2>/dev/null
	for f in calls call_lead_links call_lead_unmatched; do
		cmp "$BATS_TEST_TMPDIR/out/$f.tsv" "$BATS_TEST_TMPDIR/first/$f.tsv"
	done
}

@test "bad Invoca rows are rejected; a missing column stops the run, nothing written" {
	{ head -1 "$(calls 20261101)"; printf 'T1,C1,Call,,2026-11-01 09:00:00 -05:00,1793541600000,Restricted,866-555-0100,10,0,MED-IPR-TX,x,y,Connected,false\n'
	  printf 'T2,C2,Call,,,,512-555-0199,866-555-0100,10,0,MED-IPR-TX,x,y,Connected,false\n'
	  printf 'T3,C3,Call,,2026-11-01 09:00:00 -05:00,,512-555-0199,866-555-0100,10,0,MED-IPR-TX,x,y,Connected,false\n'; } >"$BATS_TEST_TMPDIR/calls.csv"
	run --separate-stderr call-lead-join --calls "$BATS_TEST_TMPDIR/calls.csv" --leads "$(leads 20261101)" -o "$BATS_TEST_TMPDIR/out" --rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	assert_equal "$(cut -s -f2,4 "$BATS_TEST_TMPDIR/rej.tsv" | tail -n +2 | tr '\n' ' ')" "2	bad_phone 3	bad_datetime "
	# The local time with its offset stands in for missing epoch milliseconds.
	assert_equal "$(awk -F'\t' '$1 == "C3" { print $2 }' "$BATS_TEST_TMPDIR/out/calls.tsv")" "2026-11-01 14:00:00"
	sed '1s/calling_phone_number/caller/' "$(calls 20261101)" >"$BATS_TEST_TMPDIR/renamed.csv"
	run call-lead-join --calls "$BATS_TEST_TMPDIR/renamed.csv" --leads "$(leads 20261101)" -o "$BATS_TEST_TMPDIR/none"
	assert_failure 1
	assert_line --index 0 --partial "call-lead-join: renamed.csv:1: missing column(s): calling_phone_number; the header has: transaction_id,"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/none")" ""
}

@test "no leaks under valgrind" {
	skip_if_sanitized
	run valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \
		call-lead-join --calls "$(calls 20261101)" --calls "$(calls 20261102)" --leads "$(leads 20261101)" \
		-o "$BATS_TEST_TMPDIR/out" --rejects /dev/null
	assert_success
}

# Three calls of one caller and campaign: C7 and C5 of the same second, C9 in two Call rows.
write_ties() {
	{ head -1 "$(calls 20261101)"
	  printf 'T1,C7,Call,,,1793541600000,512-555-0199,866-555-0100,10,0,MED-IPR-TX,x,y,Connected,false\n'
	  printf 'T2,C5,Call,,,1793541600000,512-555-0199,866-555-0100,20,0,MED-IPR-TX,x,y,Connected,false\n'
	  printf 'T3,C9,Call,,,1793541000000,512-555-0199,866-555-0100,30,0,MED-IPR-TX,x,y,Connected,false\n'
	  printf 'T4,C9,Call,,,1793541000000,512-555-0199,866-555-0100,90,80,MED-IPR-TX,x,y,Sale Made,false\n'
	} >"$BATS_TEST_TMPDIR/calls.csv"
	printf 'transaction_id\ttransaction_type\tlead_id\tlead_received_at\tphone\tcampaign\tamount\n%s\n%s\n' \
		$'9001\tpurchase\t501\t2026-11-01 14:00:30\t+15125550199\tMED-IPR-TX\t40.00' \
		$'9002\tpurchase\t502\t2026-11-01 13:51:00\t+15125550199\tMED-IPR-TX\t25.50' >"$BATS_TEST_TMPDIR/leads.tsv"
}

# bats test_tags=tsan
@test "a call's two Call rows: the later stands; of calls of one second, the smallest id; calls in the order read" {
	write_ties
	run --separate-stderr call-lead-join --calls "$BATS_TEST_TMPDIR/calls.csv" --leads "$BATS_TEST_TMPDIR/leads.tsv" -o "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_equal "$(cut -s -f1,5,7,9 "$BATS_TEST_TMPDIR/out/calls.tsv" | tr '\t\n' '| ')" \
		"complete_call_id|duration|result|src_line C7|10|Connected|2 C5|20|Connected|3 C9|90|Sale Made|5 "
	assert_equal "$(cut -s -f1,2,5,6 "$BATS_TEST_TMPDIR/out/call_lead_links.tsv" | tail -n +2 | tr '\t\n' '| ')" "C5|9001|30|40.00 C9|9002|60|25.50 "
	assert_equal "$stderr" "call-lead-join: invoca rows in 4, calls 3; transactions in 2 (65.50), linked 2 (65.50), unmatched 0 (0.00), rejected 0; 1 calls with two Call rows: the later kept"
}

@test "keys that share a hash never share a match: the output is the same with 1, 2 or 8 hash bits" {
	join_two_days 2>/dev/null
	mv "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/full"
	write_ties
	call-lead-join --calls "$BATS_TEST_TMPDIR/calls.csv" --leads "$BATS_TEST_TMPDIR/leads.tsv" -o "$BATS_TEST_TMPDIR/ties-full" 2>/dev/null
	for bits in 1 2 8; do
		CALL_LEAD_JOIN_HASH_BITS=$bits join_two_days 2>/dev/null
		CALL_LEAD_JOIN_HASH_BITS=$bits call-lead-join --calls "$BATS_TEST_TMPDIR/calls.csv" \
			--leads "$BATS_TEST_TMPDIR/leads.tsv" -o "$BATS_TEST_TMPDIR/ties" 2>/dev/null
		for f in calls call_lead_links call_lead_unmatched; do
			cmp "$BATS_TEST_TMPDIR/out/$f.tsv" "$BATS_TEST_TMPDIR/full/$f.tsv"
			cmp "$BATS_TEST_TMPDIR/ties/$f.tsv" "$BATS_TEST_TMPDIR/ties-full/$f.tsv"
		done
	done
	# The runs are not trivially equal: the sample has 71 calls of 60-odd callers and campaigns.
	assert_equal "$(rows "$BATS_TEST_TMPDIR/full/call_lead_links.tsv")" 63
}

# bats test_tags=tsan
@test "many batches through the reading and writing threads: every transaction once, in the order read" {
	"$BATS_TEST_DIRNAME/gen/calls_bench.py" 3000 7 "$BATS_TEST_TMPDIR/calls.csv" "$BATS_TEST_TMPDIR/leads.tsv"
	# Every fifth lead names a campaign no call has: the unmatched stream runs beside the links.
	awk -F'\t' 'BEGIN { OFS = "\t" } NR > 1 && NR % 5 == 0 { $7 = "NONE" } { print }' "$BATS_TEST_TMPDIR/leads.tsv" >"$BATS_TEST_TMPDIR/mixed.tsv"
	run --separate-stderr call-lead-join --calls "$BATS_TEST_TMPDIR/calls.csv" --leads "$BATS_TEST_TMPDIR/mixed.tsv" -o "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_equal "$(rows "$BATS_TEST_TMPDIR/out/call_lead_links.tsv") $(rows "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv")" "2400 600"
	# Each stream keeps the input's order: transaction ids ascend.
	assert_equal "$(tail -n +2 "$BATS_TEST_TMPDIR/out/call_lead_links.tsv" | cut -s -f2 | sort -c -n && echo sorted)" sorted
	assert_equal "$(tail -n +2 "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv" | cut -s -f1 | sort -c -n && echo sorted)" sorted
	in=$(awk -F'\t' 'NR > 1 { v = $8; sub(/\./, "", v); s += v } END { print s }' "$BATS_TEST_TMPDIR/mixed.tsv")
	linked=$(count_and_sum "$BATS_TEST_TMPDIR/out/call_lead_links.tsv" amount | cut -d' ' -f2)
	unmatched=$(count_and_sum "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv" amount | cut -d' ' -f2)
	assert_equal "$((linked + unmatched))" "$in"
	# 2400 links over the calls: each carries its own, none is counted twice.
	assert_equal "$(cut -s -f1 "$BATS_TEST_TMPDIR/out/call_lead_links.tsv" | tail -n +2 | sort | uniq -c | awk '{ n += $1 } END { print n }')" 2400
}

@test "a transaction whose src_line is not a number is rejected with its line, not read as line 0" {
	write_ties
	printf 'transaction_id\ttransaction_type\tlead_id\tlead_received_at\tphone\tcampaign\tamount\tsrc_file\tsrc_line\n%s\n%s\n' \
		$'9001\tpurchase\t501\t2026-11-01 14:00:30\t+15125550199\tMED-IPR-TX\t40.00\tb.csv\t17' \
		$'9002\tpurchase\t502\t2026-11-01 13:51:00\t+15125550199\tMED-IPR-TX\t25.50\tb.csv\t1x' >"$BATS_TEST_TMPDIR/leads.tsv"
	run --separate-stderr call-lead-join --calls "$BATS_TEST_TMPDIR/calls.csv" --leads "$BATS_TEST_TMPDIR/leads.tsv" \
		-o "$BATS_TEST_TMPDIR/out" --rejects "$BATS_TEST_TMPDIR/rej.tsv"
	assert_success
	assert_equal "$(cut -s -f2,4,5 "$BATS_TEST_TMPDIR/rej.tsv" | tail -n +2)" "3	bad_integer	src_line '1x'"
	assert_equal "$(cut -s -f2,7,8 "$BATS_TEST_TMPDIR/out/call_lead_links.tsv" | tail -n +2)" "9001	b.csv	17"
}

@test "Invoca's Call spelled CALL is rejected as unknown_transaction_type, and counts against --max-rejects" {
	sed '2,$s/,Call,/,CALL,/' "$(calls 20261101)" >"$BATS_TEST_TMPDIR/shouted.csv"
	shouted=$(grep -c ',CALL,' "$BATS_TEST_TMPDIR/shouted.csv")
	run --separate-stderr call-lead-join --calls "$BATS_TEST_TMPDIR/shouted.csv" --leads "$(leads 20261101)" \
		-o "$BATS_TEST_TMPDIR/out" --rejects "$BATS_TEST_TMPDIR/rej.tsv" --max-rejects 1%
	assert_failure 3
	assert_equal "$(tail -n +2 "$BATS_TEST_TMPDIR/rej.tsv" | cut -f4 | grep -c '^unknown_transaction_type$')" "$shouted"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/out" 2>/dev/null)" ""
}
