#!/usr/bin/env bats
# bats file_tags=asan
# dispo-map: broker feedback -> one disposition vocabulary; nothing unmapped is dropped.

bats_require_minimum_version 1.5.0
load test_helper

dispo() {
	dispo-map --map "$MAPS/$1.map" --rejects "$BATS_TEST_TMPDIR/rejects.tsv" --unmapped "$BATS_TEST_TMPDIR/unmapped.tsv" "${@:2}"
}

@test "--help and --version" {
	run dispo-map --help
	assert_success
	assert_line --index 0 "dispo-map: broker feedback -> one disposition vocabulary"
	run dispo-map --version
	assert_output "dispo-map (leads-and-calls) 0.1.0"
}

@test "by lead id (1102): statuses fold case and spaces, patterns match, unknown ones are kept" {
	run --separate-stderr dispo dispo-1102-harbor "$INBOX/20261102/dispo/harbor_dispositions_20261102.csv"
	assert_success
	assert_output "partner_id	key_type	key	status_raw	status	status_at	src_file	src_line
1102	lead_id	26103101	Contacted	contacted	2026-11-02 14:00:00	harbor_dispositions_20261102.csv	2
1102	lead_id	26103108	Sold	sold	2026-11-02 15:05:00	harbor_dispositions_20261102.csv	3
1102	lead_id	26103133	No Answer x3	no_contact	2026-11-02 16:10:00	harbor_dispositions_20261102.csv	4
1102	lead_id	26103134	Callback 11/30	callback	2026-11-02 17:15:00	harbor_dispositions_20261102.csv	5
1102	lead_id	26103135	Not Interested	not_interested	2026-11-02 18:20:00	harbor_dispositions_20261102.csv	6
1102	lead_id	26103144	Dupe	duplicate	2026-11-02 19:25:00	harbor_dispositions_20261102.csv	7
1102	lead_id	26103148	Spanish Speaker	unmapped	2026-11-02 20:30:00	harbor_dispositions_20261102.csv	8
1102	lead_id	26103152	SOLD - Policy Issued	sold	2026-11-02 21:35:00	harbor_dispositions_20261102.csv	9
1102	lead_id	26103160	Left VM	no_contact	2026-11-02 22:40:00	harbor_dispositions_20261102.csv	10
1102	lead_id	26103161	Contacted	contacted	2026-11-02 23:45:00	harbor_dispositions_20261102.csv	11
1102	lead_id	26103101	sold	sold	2026-11-03 00:30:00	harbor_dispositions_20261102.csv	12
1102	lead_id	26103108	Gone Fishing	unmapped	2026-11-03 01:00:00	harbor_dispositions_20261102.csv	13
#end 12"
	assert_equal "$stderr" "dispo-map: rows in 12, out 12 (mapped 10, unmapped 2 in 2 distinct statuses), rejected 0"
	assert_equal "$(cut -s -f1-5 "$BATS_TEST_TMPDIR/unmapped.tsv")" "partner_id	status_raw	rows	first_src_file	first_src_line
1102	Spanish Speaker	1	harbor_dispositions_20261102.csv	8
1102	Gone Fishing	1	harbor_dispositions_20261102.csv	13"
}

@test "by phone (1101): tab-separated, US Central, Bad # and DNC; a bad phone is rejected" {
	run --separate-stderr dispo dispo-1101-bluebonnet "$INBOX/20261102/dispo/bluebonnet_feedback_20261102.tsv"
	assert_success
	assert_line --index 1 "1101	phone	+15774949621	Bad #	bad_contact	2026-11-02 14:10:00	bluebonnet_feedback_20261102.tsv	2"
	assert_line --index 4 "1101	phone	+14708959472	DNC	dnc	2026-11-02 17:13:00	bluebonnet_feedback_20261102.tsv	5"
	assert_line --index 8 "1101	phone	+12257452869	Return Requested	return_requested	2026-11-02 21:17:00	bluebonnet_feedback_20261102.tsv	9"
	assert_equal "${#lines[@]}" 12
	assert_line --index 11 "#end 10"
	assert_equal "$stderr" "dispo-map: bluebonnet_feedback_20261102.tsv:12: bad_phone: phone '555-0199'
dispo-map: rows in 11, out 10 (mapped 9, unmapped 1 in 1 distinct statuses), rejected 1 (bad_phone=1)"
}

@test "calls by complete_call_id (1200): ';' CSV, a date without a time" {
	run --separate-stderr dispo dispo-1200-prairie "$INBOX/20261102/dispo/prairie_calls_20261102.csv"
	assert_success
	assert_line --index 1 "1200	call_id	1EF90B61-018E68B1	SOLD - Policy Issued	sold	2026-11-02 18:00:00	prairie_calls_20261102.csv	2"
	assert_line --index 3 "1200	call_id	E9466B03-018E68F3	Callback 12/01	callback	2026-11-02 18:00:00	prairie_calls_20261102.csv	4"
	assert_line --index 7 "1200	call_id	4FB6695D-018E696D	Voicemail Full	unmapped	2026-11-03 18:00:00	prairie_calls_20261102.csv	8"
	assert_equal "$stderr" "dispo-map: rows in 7, out 7 (mapped 6, unmapped 1 in 1 distinct statuses), rejected 0"
}

@test "every status of F5 maps to the vocabulary" {
	map="$BATS_TEST_TMPDIR/all.map"
	sed 's/^files .*//' "$MAPS/dispo-1102-harbor.map" >"$map"
	cp "$MAPS/dispositions-common.map" "$BATS_TEST_TMPDIR/"
	{
		echo "LeadID,Status,Status Date"
		n=0
		for s in "Sold" "SOLD - Policy Issued" "Contacted" "No Answer x3" "Left VM" "Bad #" "Wrong Number" \
			"Disconnected" "DNC" "Do Not Call" "Dupe" "Duplicate" "Callback 11/30" "Not Interested" \
			"Already Purchased" "Pending" "On Hold" "Return Requested"; do
			n=$((n + 1))
			echo "$n,$s,11/02/2026 10:00"
		done
	} >"$BATS_TEST_TMPDIR/all.csv"
	run --separate-stderr dispo-map --map "$map" "$BATS_TEST_TMPDIR/all.csv"
	assert_success
	assert_equal "$(cut -s -f5 <<<"$output" | tail -n +2 | tr '\n' ' ')" "sold sold contacted no_contact no_contact bad_contact bad_contact bad_contact dnc dnc duplicate duplicate callback not_interested not_interested pending pending return_requested "
	assert_equal "$stderr" "dispo-map: rows in 18, out 18 (mapped 18, unmapped 0 in 0 distinct statuses), rejected 0"
}

@test "a broken map is refused with its line" {
	printf 'map = dispositions\npartner_id = 1\nkey_type = email\n' >"$BATS_TEST_TMPDIR/broken.map"
	run dispo-map --map "$BATS_TEST_TMPDIR/broken.map" /dev/null
	assert_failure 2
	assert_line --index 0 "dispo-map: $BATS_TEST_TMPDIR/broken.map:3: key_type is lead_id, phone or call_id, not 'email'"
}

@test "no leaks under valgrind" {
	skip_if_sanitized
	run valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \
		dispo-map --map "$MAPS/dispo-1102-harbor.map" --rejects /dev/null --unmapped /dev/null "$INBOX/20261102/dispo/harbor_dispositions_20261102.csv"
	assert_success
}
