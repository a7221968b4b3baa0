#!/usr/bin/env bats
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

# One call of calls.tsv by its phone: lead_count|revenue per call, in start order.
call_of() {
	awk -F'\t' -v p="$1" '$3 == p { print $8 "|" $9 }' "$BATS_TEST_TMPDIR/out/calls.tsv" | tr '\n' ' '
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
	assert_equal "$stderr" "call-lead-join: invoca rows in 93, calls 71 (0 leads 12, 1 lead 57, 2+ leads 2 carrying 245.50); transactions in 70 (3283.00), linked 63 (2981.50), unmatched 7 (301.50), rejected 0; 2 corrections (0 naming rows not given); 20 non-Call rows (Post Call Event, Sale) read, not calls; 1 leads of the repeated DST hour matched on their daylight-time reading"
}

@test "the same phone calling twice a day: each lead to its own call; a web lead takes nothing" {
	join_two_days --leads "$BATS_FILE_TMPDIR/20261101/lead.tsv" 2>/dev/null
	assert_equal "$(call_of +17135550103)" "1|45.00 1|45.00 "
	assert_equal "$(link_of 26205107)" "30|45.00"
	assert_equal "$(link_of 26205108)" "40|45.00"
	# The caller's web lead of that morning, handed in too, stays out of every call.
	assert_equal "$(awk -F'\t' '$2 == 26205106 { print $6 "|" $7 }' "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv")" "12.50|not_inbound_call"
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
	assert_equal "$(awk -F'\t' '$3 == "+17135550106" { print $4 "|" $10 ":" $11 }' "$BATS_TEST_TMPDIR/out/calls.tsv")" \
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
	assert_equal "$(cut -f2,7 "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv" | tail -n +2 | sort | tr '\n' ' ')" \
		"26110149	no_call 26110236	no_call 26110237	no_call 26110311	no_call 26110335	no_call 26110384	no_call 26205111	no_call "
	in=$(cat "$(leads 20261101)" "$(leads 20261102)" | awk -F'\t' '$1 != "transaction_id" { v = $14; sub(/\./, "", v); s += v } END { print s }')
	linked=$(count_and_sum "$BATS_TEST_TMPDIR/out/call_lead_links.tsv" amount | cut -d' ' -f2)
	unmatched=$(count_and_sum "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv" amount | cut -d' ' -f2)
	assert_equal "$in" 328300
	assert_equal "$((linked + unmatched))" "$in"
	# And in transactions: every one linked or unmatched, once.
	assert_equal "$(($(rows "$BATS_TEST_TMPDIR/out/call_lead_links.tsv") + $(rows "$BATS_TEST_TMPDIR/out/call_lead_unmatched.tsv")))" 70
	# The calls' revenue is the links'.
	assert_equal "$(count_and_sum "$BATS_TEST_TMPDIR/out/calls.tsv" revenue | cut -d' ' -f2)" "$linked"
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
	assert_equal "$(cut -f2,4 "$BATS_TEST_TMPDIR/rej.tsv" | tail -n +2 | tr '\n' ' ')" "2	bad_phone 3	bad_datetime "
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
