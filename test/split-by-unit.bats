#!/usr/bin/env bats
# bats file_tags=asan
# split-by-unit: the boberdoo export (F1) into one stream per business unit.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	OUT="$BATS_TEST_TMPDIR/out"
}

split() {
	split-by-unit --rules "$RULES" -o "$OUT" --rejects "$BATS_TEST_TMPDIR/rejects.tsv" "$@"
}

@test "--help and --version exit 0 on stdout" {
	run --separate-stderr split-by-unit --help
	assert_success
	assert_line --index 0 "split-by-unit: a boberdoo transactions export -> one TSV stream per unit"
	assert_output --partial "--max-rejects N[%]"
	run split-by-unit --version
	assert_success
	assert_output "split-by-unit (leads-and-calls) 0.1.0"
}

@test "usage errors exit 2 and say what is wrong" {
	run split-by-unit -o "$OUT" "$DAY1101"
	assert_failure 2
	assert_line --index 0 "split-by-unit: --rules is required"
	assert_line --index 1 --partial "usage: split-by-unit --rules FILE"
	run split-by-unit --rules "$RULES" "$DAY1101"
	assert_failure 2
	assert_line --index 0 "split-by-unit: give exactly one of -o DIR and --unit NAME"
	run split-by-unit --rules "$RULES" --unit leads "$DAY1101"
	assert_failure 2
	assert_line --index 0 "split-by-unit: unknown unit 'leads'"
	run split-by-unit --rules "$RULES" -o "$OUT" --tz America/Atlantis "$DAY1101"
	assert_failure 2
	assert_line --index 0 "split-by-unit: unknown time zone 'America/Atlantis'"
	run split-by-unit --rules "$RULES" -o "$OUT" --max-rejects lots "$DAY1101"
	assert_failure 2
	run split-by-unit --bogus
	assert_failure 2
	assert_dir_not_exist "$OUT"
}

@test "the 2026-11-01 sample: exact rows and cents per unit" {
	run --separate-stderr split "$DAY1101"
	assert_success
	assert_equal "$(count_and_sum "$OUT/lead.tsv" amount)" "138 201895"
	assert_equal "$(count_and_sum "$OUT/cpa_cpt.tsv" amount)" "44 42"
	assert_equal "$(count_and_sum "$OUT/warm_transfer.tsv" amount)" "34 95500"
	assert_equal "$(count_and_sum "$OUT/drip.tsv" amount)" "33 50469"
	assert_equal "$(count_and_sum "$OUT/lead_call.tsv" amount)" "39 185500"
	assert_equal "$(count_and_sum "$OUT/lead.tsv" lead_cost)" "138 82305"
	assert_equal "$(tail -1 <<<"$stderr")" "split-by-unit: rows in 302, out lead=138 cpa_cpt=44 warm_transfer=34 drip=33 lead_call=39, excluded 6, rejected 8 (bad_phone=1 bad_money=1 bad_datetime=1 bad_transaction_type=1 amount_sign=1 missing_value=1 field_count=1 bad_utf8=1); 50 times in a repeated DST hour read as standard time; 1 line breaks or tabs in fields became spaces; columns in the export that are not loaded: Custom_TCPA_Consent"
}

@test "the other sample days: a plain export and a gzip one with shuffled columns" {
	run --separate-stderr split "$DAY1031"
	assert_success
	assert_equal "$(count_and_sum "$OUT/lead.tsv" amount)" "144 210667"
	assert_equal "$(count_and_sum "$OUT/lead_call.tsv" amount)" "34 165050"
	assert_equal "$(count_and_sum "$OUT/warm_transfer.tsv" amount)" "22 62000"
	run --separate-stderr split "$DAY1102"
	assert_success
	assert_equal "$(count_and_sum "$OUT/lead.tsv" amount)" "135 210952"
	assert_equal "$(count_and_sum "$OUT/cpa_cpt.tsv" amount)" "45 41"
	assert_equal "$(count_and_sum "$OUT/warm_transfer.tsv" amount)" "31 82500"
	assert_equal "$(count_and_sum "$OUT/drip.tsv" amount)" "25 41720"
	assert_equal "$(count_and_sum "$OUT/lead_call.tsv" amount)" "31 142800"
}

@test "conservation: rows in = out + excluded + rejected, in the files too" {
	run --separate-stderr split "$DAY1031" "$DAY1101" "$DAY1102"
	assert_success
	summary=$(tail -1 <<<"$stderr")
	in=$(sed -n 's/.*rows in \([0-9]*\),.*/\1/p' <<<"$summary")
	excluded=$(sed -n 's/.*excluded \([0-9]*\),.*/\1/p' <<<"$summary")
	rejected=$(sed -n 's/.*rejected \([0-9]*\).*/\1/p' <<<"$summary")
	out=0
	for u in $(lac-catalog units); do
		out=$((out + $(rows "$OUT/$u.tsv")))
	done
	assert_equal "$in" 852
	assert_equal "$((out + excluded + rejected))" "$in"
	assert_equal "$(rows "$BATS_TEST_TMPDIR/rejects.tsv")" "$rejected"
	# The excluded rows are the test leads (the generator gives them this phone).
	tests=$( { cat "$DAY1031" "$DAY1101"; gzip -dc "$DAY1102"; } | grep -ac '(555) 555-5555')
	assert_equal "$excluded" 18
	assert_equal "$tests" 18
}

@test "every reject reason, with its file and line" {
	run --separate-stderr split "$DAY1101"
	assert_success
	run cut -s -f1-4 "$BATS_TEST_TMPDIR/rejects.tsv"
	assert_output "src_file	src_line	program	reason
boberdoo_transactions_20261101.csv	286	split-by-unit	bad_phone
boberdoo_transactions_20261101.csv	287	split-by-unit	bad_money
boberdoo_transactions_20261101.csv	288	split-by-unit	bad_datetime
boberdoo_transactions_20261101.csv	289	split-by-unit	bad_transaction_type
boberdoo_transactions_20261101.csv	290	split-by-unit	amount_sign
boberdoo_transactions_20261101.csv	291	split-by-unit	missing_value
boberdoo_transactions_20261101.csv	292	split-by-unit	field_count
boberdoo_transactions_20261101.csv	293	split-by-unit	bad_utf8"
	# A rejects stream a run finished ends with its end line too.
	assert_equal "$(end_line "$BATS_TEST_TMPDIR/rejects.tsv")" "#end 8"
	# The record is the original line; the message says what was wrong with it.
	assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/rejects.tsv" | cut -s -f5)" "Phone '555-0199'"
	assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/rejects.tsv" | cut -s -f6 | cut -d, -f1,16)" "261101284,555-0199"
	assert_equal "$(sed -n 8p "$BATS_TEST_TMPDIR/rejects.tsv" | cut -s -f6)" "261101290,Purchase,2026-11-01 12:00:00"
	# The first rejects are on stderr too, as prog: file:line: reason: message.
	run echo "$stderr"
	assert_line --index 0 "split-by-unit: boberdoo_transactions_20261101.csv:286: bad_phone: Phone '555-0199'"
	assert_line --index 7 "split-by-unit: boberdoo_transactions_20261101.csv:293: bad_utf8: field 18 is not valid UTF-8"
}

@test "F1 quirks: quoted commas, quotes, line breaks, accents, zips, phones" {
	split "$DAY1101" 2>/dev/null
	pick() { awk -F'\t' -v id="$1" '$1 == id' "$OUT/lead.tsv" | cut -s -f"$2"; }
	# The record with a line break in a name starts on line 279; the break became a space.
	assert_equal "$(pick 261101278 18,19,27)" "Mary Ann	O\"Neil, Jr.	279"
	assert_equal "$(pick 261101279 18,19,21)" "José	Núñez 😀	02134"
	assert_equal "$(pick 261101280 10,21)" "Acme, \"Quoted\" Partner	00501"
	# Every phone format of F1 is the same E.164 number.
	assert_equal "$(for id in 261101278 261101279 261101280 261101281 261101282; do pick $id 16; done | sort -u)" "+15125550199"
	# Later rows keep their physical line numbers.
	assert_equal "$(pick 261101281 27)" "283"
}

@test "times are UTC; the repeated hour of 2026-11-01 reads as standard time" {
	split "$DAY1101" 2>/dev/null
	# 01:30 ET happens twice that night; boberdoo writes no offset: the rule takes EST (UTC-5).
	assert_equal "$(awk -F'\t' '$1 == 261101283 { print $3 "|" $6 }' "$OUT/lead.tsv")" "2026-11-01 06:30:00|2026-11-01 06:29:40"
	# Before the change EDT (UTC-4) applies; after it EST.
	assert_equal "$(awk -F'\t' '$1 == 261101001 { print $3 }' "$OUT/cpa_cpt.tsv")" "2026-11-01 04:02:55"
	# A day before, EDT throughout.
	split "$DAY1031" 2>/dev/null
	assert_equal "$(awk -F'\t' '$1 == 261031001 { print $3 }' "$OUT"/*.tsv)" "2026-10-31 04:20:18"
}

@test "refunds, shared leads and test leads" {
	split "$DAY1101" 2>/dev/null
	# Refunds are negative, name a lead of an earlier day, and carry their reason.
	run awk -F'\t' '$2 == "refund" { print $4 "|" $14 "|" $23 }' "$OUT/lead.tsv" "$OUT/cpa_cpt.tsv" "$OUT/warm_transfer.tsv" "$OUT/drip.tsv" "$OUT/lead_call.tsv"
	assert_equal "${#lines[@]}" 5	# the sixth Refund has a positive Amount: rejected
	refute_output --regexp '\|[0-9]'
	assert_line --partial "|Bad Phone Number"
	# A shared lead: one Lead_ID, several purchases.
	run awk -F'\t' 'NR > 1 && $2 == "purchase" { n[$4]++ } END { for (l in n) if (n[l] > 1) c++; print c }' "$OUT/lead.tsv"
	assert_output 3
	# No test lead reaches a unit.
	run cat "$OUT"/*.tsv
	refute_output --partial "	Test	Lead	"
}

@test "gzip and zip input equal plain input, whatever the file is called" {
	split "$DAY1101" 2>/dev/null
	mkdir "$BATS_TEST_TMPDIR/plain" && mv "$OUT"/*.tsv "$BATS_TEST_TMPDIR/plain/"
	gzip -c "$DAY1101" >"$BATS_TEST_TMPDIR/export.dat"
	split "$BATS_TEST_TMPDIR/export.dat" 2>/dev/null
	for u in $(lac-catalog units); do
		assert_equal "$(cut -s -f1-25,27 "$OUT/$u.tsv")" "$(cut -s -f1-25,27 "$BATS_TEST_TMPDIR/plain/$u.tsv")"
	done
	assert_equal "$(column "$OUT/lead.tsv" src_file | sort -u)" "export.dat"
	(cd "$(dirname "$DAY1101")" && zip -q "$BATS_TEST_TMPDIR/export.zip" "$(basename "$DAY1101")")
	split "$BATS_TEST_TMPDIR/export.zip" 2>/dev/null
	for u in $(lac-catalog units); do
		assert_equal "$(cut -s -f1-25,27 "$OUT/$u.tsv")" "$(cut -s -f1-25,27 "$BATS_TEST_TMPDIR/plain/$u.tsv")"
	done
	assert_equal "$(column "$OUT/lead.tsv" src_file | sort -u)" "export.zip/boberdoo_transactions_20261101.csv"
	# stdin too.
	split-by-unit --rules "$RULES" --unit lead --rejects /dev/null - <"$DAY1101" 2>/dev/null | cut -s -f1-25,27 >"$BATS_TEST_TMPDIR/stdin.tsv"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/stdin.tsv")" "$(cut -s -f1-25,27 "$BATS_TEST_TMPDIR/plain/lead.tsv")"
}

@test "a second run writes byte-identical output" {
	split "$DAY1101" "$DAY1102" 2>/dev/null
	mkdir "$BATS_TEST_TMPDIR/first" && cp "$OUT"/*.tsv "$BATS_TEST_TMPDIR/rejects.tsv" "$BATS_TEST_TMPDIR/first/"
	split "$DAY1101" "$DAY1102" 2>/dev/null
	for f in $(lac-catalog units); do
		cmp "$OUT/$f.tsv" "$BATS_TEST_TMPDIR/first/$f.tsv"
	done
	cmp "$BATS_TEST_TMPDIR/rejects.tsv" "$BATS_TEST_TMPDIR/first/rejects.tsv"
}

@test "the streams follow the TSV convention" {
	split "$DAY1031" "$DAY1101" "$DAY1102" 2>/dev/null
	for u in $(lac-catalog units); do
		f="$OUT/$u.tsv"
		assert_equal "$(head -1 "$f")" "transaction_id	transaction_type	transaction_at	lead_id	lead_type	lead_received_at	src	vendor_id	partner_id	partner_name	filter_set_id	filter_set_name	campaign	amount	lead_cost	phone	email	first_name	last_name	state	zip	times_sold	refund_reason	test_lead	coverage_type	src_file	src_line"
		assert_equal "$(awk -F'\t' 'NF > 1 { print NF }' "$f" | sort -u)" 27
		# The last line says the stream is whole, and how many rows it has.
		assert_equal "$(end_line "$f")" "#end $(rows "$f")"
		run grep -c $'\r' "$f"
		assert_output 0
		iconv -f UTF-8 -t UTF-8 "$f" >/dev/null
		assert_equal "$(column "$f" amount | grep -cvE '^-?[0-9]+\.[0-9]{2}$')" 0
		assert_equal "$(column "$f" phone | grep -cvE '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$')" 0
		assert_equal "$(column "$f" transaction_at | grep -cvE '^2026-1[01]-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$')" 0
	done
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/rejects.tsv" >/dev/null
}

@test "--unit streams one unit to stdout, for pipes" {
	split "$DAY1101" 2>/dev/null
	run --separate-stderr split-by-unit --rules "$RULES" --unit lead_call --rejects /dev/null "$DAY1101"
	assert_success
	assert_equal "$output" "$(cat "$OUT/lead_call.tsv")"
	assert_equal "$(tail -1 <<<"$stderr" | cut -d, -f1-2)" "split-by-unit: rows in 302, out lead_call=39 (not asked for: lead=138 cpa_cpt=44 warm_transfer=34 drip=33)"
}

@test "a closed pipe ends quietly" {
	run bash -c "set -o pipefail; split-by-unit --rules '$RULES' --unit lead --rejects /dev/null '$DAY1101' '$DAY1101' '$DAY1101' 2>'$BATS_TEST_TMPDIR/err' | head -1"
	assert_success
	assert_output --partial "transaction_id	transaction_type"
	run cat "$BATS_TEST_TMPDIR/err"
	refute_output --partial "pipe"
	refute_output --partial "error"
}

@test "exit status: rejects kept are not lost; without a file they are; --max-rejects" {
	run split-by-unit --rules "$RULES" -o "$OUT" "$DAY1101"
	assert_failure 1
	assert_file_exist "$OUT/lead.tsv"
	run split "$DAY1101"
	assert_success
	run split --max-rejects 8 "$DAY1101"
	assert_success
	run split --max-rejects 7 "$DAY1101"
	assert_failure 3
	assert_line "split-by-unit: 8 rows rejected, more than --max-rejects 7 allows"
	run split --max-rejects 3% "$DAY1101"
	assert_success
	run split --max-rejects 2% "$DAY1101"
	assert_failure 3
}

@test "a missing column is one clear error, and nothing is written" {
	sed '1s/,Phone,/,Phone_Number,/; 1s/,Zip,/,ZIP,/' "$DAY1101" >"$BATS_TEST_TMPDIR/renamed.csv"
	run split "$BATS_TEST_TMPDIR/renamed.csv"
	assert_failure 1
	assert_line --index 0 "split-by-unit: renamed.csv:1: missing column(s): Phone, Zip; the header has: Transaction_ID, Transaction_Type, Transaction_Date, Lead_ID, Lead_Type, Lead_Received, SRC, Vendor_ID, Partner_ID, Partner_Name, Filter_Set_ID, Filter_Set_Name, Campaign, Amount, Lead_Cost, Phone_Number, Email, First_Name, Last_Name, State, ZIP, Times_Sold, Refund_Reason, Test_Lead, Custom_Coverage_Type, Custom_TCPA_Consent"
	assert_equal "$(ls -A "$OUT")" ""
}

@test "a broken rules file: line-numbered errors, exit 2, nothing written" {
	printf 'exclude Test_Lead = 1\nleed always\ncpa_cpt Partner_ID in 1043,\n' >"$BATS_TEST_TMPDIR/rules.txt"
	run split-by-unit --rules "$BATS_TEST_TMPDIR/rules.txt" -o "$OUT" "$DAY1101"
	assert_failure 2
	assert_line --index 0 "split-by-unit: $BATS_TEST_TMPDIR/rules.txt:2: unknown target 'leed' (one of: lead, cpa_cpt, warm_transfer, drip, lead_call, exclude)"
	assert_line --index 1 "split-by-unit: $BATS_TEST_TMPDIR/rules.txt:3: 'Partner_ID' is missing a value"
	assert_dir_not_exist "$OUT"
	# A rule on a column the export lacks: the rules are wrong too (exit 2), named at their line.
	printf 'lead Vendor = 77\n' >"$BATS_TEST_TMPDIR/rules.txt"
	run split-by-unit --rules "$BATS_TEST_TMPDIR/rules.txt" -o "$OUT" "$DAY1101"
	assert_failure 2
	assert_line --index 0 "split-by-unit: $BATS_TEST_TMPDIR/rules.txt:1: column 'Vendor' is not in the header of boberdoo_transactions_20261101.csv"
	assert_equal "$(ls -A "$OUT")" ""
}

@test "killed by SIGTERM or HUP: no temporary file is left, and the signal is the exit status" {
	# (SIGINT too, from a terminal; a job started with & ignores it, and so does the program then.)
	for sig in TERM HUP; do
		# A producer that has not finished: the outputs are open, half written, when the signal comes.
		mkfifo "$BATS_TEST_TMPDIR/feed.$sig"
		mkdir "$OUT.$sig" "$BATS_TEST_TMPDIR/rejects.$sig"
		# The signal's default action at the start, whatever this test was started with (nohup ignores HUP).
		env --default-signal="$sig" split-by-unit --rules "$RULES" -o "$OUT.$sig" \
			--rejects "$BATS_TEST_TMPDIR/rejects.$sig/rejects.tsv" "$BATS_TEST_TMPDIR/feed.$sig" &
		pid=$!
		exec {feed}<>"$BATS_TEST_TMPDIR/feed.$sig"	# read-write: the open never waits
		timeout 10 cat "$DAY1101" >&"$feed"
		for _ in $(seq 100); do
			[ -z "$(find "$OUT.$sig" -name '.lead.tsv.*' 2>/dev/null)" ] || break
			sleep 0.05
		done
		assert [ -n "$(find "$OUT.$sig" -name '.lead.tsv.*')" ]
		kill -"$sig" "$pid"
		status=0
		wait "$pid" || status=$?
		exec {feed}>&-
		assert_equal "$status" "$((128 + $(kill -l "$sig")))"
		assert_equal "$(ls -A "$OUT.$sig")" ""
		# The rejects are a log, written as they come (a kill leaves it without its end line).
		assert_equal "$(ls -A "$BATS_TEST_TMPDIR/rejects.$sig")" "rejects.tsv"
	done
}

@test "a NUL byte in a text field is rejected with its line (no table takes it), the rest of the file loads" {
	{ head -2 "$DAY1101"; sed -n 3p "$DAY1101" | sed 's/,Medicare,/,Medi\x00care,/'; sed -n '4,10p' "$DAY1101"; } \
		>"$BATS_TEST_TMPDIR/nul.csv"
	run --separate-stderr split-by-unit --rules "$RULES" -o "$OUT" --rejects "$BATS_TEST_TMPDIR/rej.tsv" "$BATS_TEST_TMPDIR/nul.csv"
	assert_success
	assert_equal "$(tail -n +2 "$BATS_TEST_TMPDIR/rej.tsv" | cut -f2,4 | grep -v '^#')" "3	nul_byte"
}

@test "a row no rule matches is rejected, never guessed" {
	printf 'exclude Test_Lead = 1\nlead_call Lead_Type = "Inbound Call"\n' >"$BATS_TEST_TMPDIR/rules.txt"
	run --separate-stderr split-by-unit --rules "$BATS_TEST_TMPDIR/rules.txt" -o "$OUT" --rejects "$BATS_TEST_TMPDIR/rejects.tsv" "$DAY1101"
	assert_success
	assert_equal "$(rows "$OUT/lead_call.tsv")" 39
	assert_equal "$(rows "$OUT/lead.tsv")" 0
	# 248 rows match no rule; the 2 broken rows before routing stay field_count and bad_utf8.
	assert_equal "$(cut -s -f4 "$BATS_TEST_TMPDIR/rejects.tsv" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')" "bad_utf8=1 field_count=1 no_rule=255 reason=1 "
}

@test "a transaction is written once, from its first row; with --day, only the export's own day" {
	# The export of 2026-11-01 with its first transaction again at the end, and a row of the next day.
	{ cat "$DAY1101"; sed -n 2p "$DAY1101"; sed -n 3p "$DAY1101" | sed 's/2026-11-01 00:03:00/2026-11-02 00:03:00/; s/^261101002,/261102002,/'; } \
		>"$BATS_TEST_TMPDIR/export.csv"
	run --separate-stderr split --day 20261101 "$BATS_TEST_TMPDIR/export.csv"
	assert_success
	assert_equal "$(cut -s -f2,4,5 "$BATS_TEST_TMPDIR/rejects.tsv" | tail -2)" \
		"305	repeated_identity	Transaction_ID 261101001 again (export.csv:2 has it)
306	other_day	Transaction_Date '2026-11-02 00:03:00' is not of the export's day, 2026-11-01"
	# The 2026-11-01 sample's own rows and cents are unchanged: the first row of 261101001 is the one kept.
	assert_equal "$(tail -1 <<<"$stderr" | cut -d';' -f1)" "split-by-unit: rows in 304, out lead=138 cpa_cpt=44 warm_transfer=34 drip=33 lead_call=39, excluded 6, rejected 10 (bad_phone=1 bad_money=1 bad_datetime=1 bad_transaction_type=1 amount_sign=1 missing_value=1 field_count=1 bad_utf8=1 repeated_identity=1 other_day=1)"
	assert_equal "$(cat "$OUT"/*.tsv | grep -c '^261101001'$'\t')" 1
	# Without --day the other day's row is written (a file alone says no day).
	run --separate-stderr split "$BATS_TEST_TMPDIR/export.csv"
	assert_equal "$(cat "$OUT"/*.tsv | grep -c '^261102002'$'\t')" 1
}

@test "blank lines are rejected, not skipped" {
	{ head -3 "$DAY1101"; printf '\r\n'; sed -n 4,5p "$DAY1101"; } >"$BATS_TEST_TMPDIR/blank.csv"
	run --separate-stderr split "$BATS_TEST_TMPDIR/blank.csv"
	assert_success
	assert_equal "$(cut -s -f2,4 "$BATS_TEST_TMPDIR/rejects.tsv" | tail -1)" "4	blank_line"
	assert_equal "$(tail -1 <<<"$stderr" | cut -d';' -f1)" "split-by-unit: rows in 5, out lead=1 cpa_cpt=2 warm_transfer=1 drip=0 lead_call=0, excluded 0, rejected 1 (blank_line=1)"
}

@test "a corrupt input fails the run and leaves earlier output untouched" {
	split "$DAY1101" 2>/dev/null
	before=$(cat "$OUT"/*.tsv | md5sum)
	head -c 3000 "$DAY1102" >"$BATS_TEST_TMPDIR/cut.csv.gz"
	run split "$DAY1101" "$BATS_TEST_TMPDIR/cut.csv.gz"
	assert_failure 1
	assert_line --partial "split-by-unit: cut.csv.gz: truncated gzip data"
	assert_equal "$(cat "$OUT"/*.tsv | md5sum)" "$before"
	assert_equal "$(ls -A "$OUT" | tr '\n' ' ')" "cpa_cpt.tsv drip.tsv lead.tsv lead_call.tsv warm_transfer.tsv "
	run split "$BATS_TEST_TMPDIR/missing.csv"
	assert_failure 1
	assert_line --index 0 "split-by-unit: $BATS_TEST_TMPDIR/missing.csv: No such file or directory"
	printf 'a,b\n"unbalanced,1\n' >"$BATS_TEST_TMPDIR/quote.csv"
	run split "$BATS_TEST_TMPDIR/quote.csv"
	assert_failure 1
}

@test "no leaks under valgrind" {
	skip_if_sanitized
	run valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99 \
		split-by-unit --rules "$RULES" -o "$OUT" --rejects /dev/null "$DAY1101" "$DAY1102"
	assert_success
	run valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 \
		split-by-unit --rules "$RULES" -o "$OUT" "$BATS_TEST_TMPDIR/missing.csv"
	assert_failure 1
}
