#!/usr/bin/env bats
# sanitizers: asan
# Tables of cases (as OpenBSD's regress does them): every usage error and every
# reject reason of every program, one line each in test/cases/*.cases.  A
# failing line is named by its file and line number.

bats_require_minimum_version 1.5.0
load test_helper

CASES="$BATS_TEST_DIRNAME/cases"

# The shapes a made-up feed can have: a header and one valid row, as
# "Column=value" fields, and the file's delimiter and name.
shape() {
	case $1 in
	boberdoo) DELIM=, NAME=in.csv FIELDS=(Transaction_ID=900001 Transaction_Type=Purchase
		"Transaction_Date=2026-11-01 12:00:00" Lead_ID=9000001 Lead_Type=Medicare
		"Lead_Received=2026-11-01 11:59:30" SRC=FB_HLTH_01 Vendor_ID=77 Partner_ID=1101
		"Partner_Name=Bluebonnet Insurance Group" Filter_Set_ID=30111 "Filter_Set_Name=Health - Shared - TX"
		Campaign= Amount=12.50 Lead_Cost=6.00 "Phone=(512) 555-0199" Email= First_Name=Ana Last_Name=Doe
		State=TX Zip=78701 Times_Sold=1 Refund_Reason= Test_Lead=0 Custom_Coverage_Type=Family
		Custom_TCPA_Consent=Y) ;;
	acme) DELIM=, NAME=in.csv FIELDS=("Lead ID=26103109" "Customer Phone=5125550199" "Sale Date=11/01/2026"
		"Policy Type=Health PPO" "Annual Premium=3450.00" 'Commission Due=$95.00') ;;
	magnolia) DELIM='|' NAME=in.csv FIELDS=("Phone Number=5125550199" "Transfer Timestamp=2026-11-01 13:07"
		Disposition=SOLD "Commission Amount=120.00") ;;
	harbor) DELIM=, NAME=in.csv FIELDS=(LeadID=26103101 Status=Contacted "Status Date=11/02/2026 09:00") ;;
	prairie) DELIM=';' NAME=in.csv FIELDS=("Call ID=1EF90B61-018E68B1" "Result=Sold" "Date=Nov 2, 2026") ;;
	invoca) DELIM=, NAME=in.csv FIELDS=(transaction_id=T1 complete_call_id=C1 transaction_type=Call
		corrects_transaction_id= "start_time_local=2026-11-01 09:00:00 -05:00" start_time_utc=1793541600000
		calling_phone_number=512-555-0199 destination_phone_number=866-555-0100 duration=312
		connect_duration=298 advertiser_campaign_id_from_network=MED-IPR-TX
		"advertiser_campaign_name=Medicare IPR Texas" "affiliate_name=Call Source LLC"
		call_result_description_detail=Connected repeat_calling_phone_number=false) ;;
	leads) DELIM=$'\t' NAME=in.tsv FIELDS=()
		local -A v=([transaction_id]=900001 [transaction_type]=purchase [transaction_at]="2026-11-01 14:00:40"
			[lead_id]=9000001 [lead_type]="Inbound Call" [lead_received_at]="2026-11-01 14:00:30"
			[partner_id]=1200 [campaign]=MED-IPR-TX [amount]=45.00 [phone]=+15125550199 [zip]=78701
			[src_file]=b.csv [src_line]=2)
		for c in $(split-by-unit --header); do FIELDS+=("$c=${v[$c]:-}"); done ;;
	sales) DELIM=$'\t' NAME=in.tsv FIELDS=()
		local -A v=([partner_id]=1300 [phone]=+15125550111 [sale_at]="2026-11-01 04:23:00" [status]=sold
			[amount]=120.00 [report_kind]=status [src_file]=r.csv [src_line]=2)
		for c in $(cpa-normalize --header); do FIELDS+=("$c=${v[$c]:-}"); done ;;
	*) echo "no shape $1" >&2; return 1 ;;
	esac
}

# One field of a delimited line: quoted when it holds the delimiter or a quote.
field() {
	local v=$1
	if [ "$DELIM" != $'\t' ] && [[ $v == *"$DELIM"* || $v == *'"'* ]]; then
		v=\"${v//\"/\"\"}\"
	fi
	printf '%s' "$v"
}

# @SHAPE|Column=value|-Column|=blank|+|...: a header and rows, into a file named as the shape says.
made_up_feed() {
	local spec=$1 dir=$2 op rows=() i k
	local -a parts
	IFS='|' read -r -a parts <<<"${spec#@}"
	shape "${parts[0]}"
	local -a base=("${FIELDS[@]}") row=("${FIELDS[@]}")
	flush() { rows+=("$(for ((i = 0; i < ${#row[@]}; i++)); do
		[ "${row[i]}" = "<gone>" ] && continue
		[ "$i" -gt 0 ] && printf '%s' "$DELIM"; field "${row[i]#*=}"; done)"); }
	for op in "${parts[@]:1}"; do
		case $op in
		=blank) row=(); rows+=(""); continue ;;
		+) flush; row=("${base[@]}") ;;
		-*) for k in "${!row[@]}"; do [ "${row[k]%%=*}" = "${op#-}" ] && row[k]="<gone>"; done ;;
		*=*) for k in "${!row[@]}"; do [ "${row[k]%%=*}" = "${op%%=*}" ] && row[k]="${op%%=*}=$(printf '%b' "${op#*=}")"; done ;;
		esac
	done
	[ ${#row[@]} -eq 0 ] || flush
	{
		for ((i = 0; i < ${#base[@]}; i++)); do
			[ "$i" -gt 0 ] && printf '%s' "$DELIM"
			field "${base[i]%%=*}"
		done
		printf '\n'
		printf '%s\n' "${rows[@]}"
	} >"$dir/$NAME"
	printf '%s\n' "$dir/$NAME"
}

setup() {
	cd "$REPO"
	export LAC_CATALOG=catalog/streams.txt IN=samples/inbox MAPS=./samples/maps
	export TMP="$BATS_TEST_TMPDIR/tmp"
	mkdir -p "$TMP"
	printf 'lead_call Lead_Type = "Inbound Call"\n' >"$TMP/rules.txt"
	printf 'lead always\n' >"$TMP/always.txt"
	split-by-unit --header >"$TMP/none.tsv"
	INPUT=$(made_up_feed @invoca "$TMP") && mv "$INPUT" "$TMP/calls.csv"
	{ split-by-unit --header
	  split-by-unit --header | awk -F'\t' 'BEGIN { OFS = "\t" } {
		for (i = 1; i <= NF; i++) {
			v = ""
			if ($i == "transaction_id") v = 901; else if ($i == "transaction_type") v = "purchase"
			else if ($i == "lead_id") v = 9001; else if ($i == "lead_received_at") v = "2026-11-01 04:20:00"
			else if ($i == "partner_id") v = 1300; else if ($i == "phone") v = "+15125550111"
			$i = v
		}
		print }'; } >"$TMP/transfers.tsv"
}

# The cases of one table, or of one program in it: each line's command run, its
# exit status and the line of stderr the table names compared.
run_cases() {	# TABLE PROGRAM
	local table=$1 only=$2 n=0 cases=0 failures=() program want_status want reason input args got
	while IFS=$'\t' read -r program rest; do
		n=$((n + 1))
		case $program in '' | '#'*) continue ;; esac
		[ "$program" = "$only" ] || continue
		cases=$((cases + 1))
		export OUT="$BATS_TEST_TMPDIR/out$n" INPUT=
		mkdir -p "$OUT"
		if [ "$table" = usage ]; then
			IFS=$'\t' read -r want_status want args <<<"$rest"
		else
			IFS=$'\t' read -r reason want input args <<<"$rest"
			want_status=0
			mkdir -p "$BATS_TEST_TMPDIR/in$n"
			INPUT=$(made_up_feed "$input" "$BATS_TEST_TMPDIR/in$n")
		fi
		run --separate-stderr bash -c "$program $args" </dev/null
		if [ "$table" = usage ]; then
			got=${stderr%%$'\n'*}
		else
			got=$(grep -m1 -F ": $reason: " <<<"$stderr" || true)
		fi
		if [ "$status" != "$want_status" ] || [ "$got" != "$want" ]; then
			failures+=("$table.cases:$n: $program $args: exit $status, said '$got'" "$stderr")
		fi
	done <"$CASES/$table.cases"
	[ ${#failures[@]} -eq 0 ] || fail "$(printf '%s\n' "${failures[@]}")"
	[ "$cases" -gt 0 ] || fail "$table.cases has no case of $only"
}

@test "usage errors of split-by-unit (test/cases/usage.cases)" { run_cases usage split-by-unit; }
@test "usage errors of cpa-normalize" { run_cases usage cpa-normalize; }
@test "usage errors of dispo-map" { run_cases usage dispo-map; }
@test "usage errors of call-lead-join" { run_cases usage call-lead-join; }
@test "usage errors of wt-match" { run_cases usage wt-match; }
@test "usage errors of rs-copy" { run_cases usage rs-copy; }
@test "usage errors of lac-catalog" { run_cases usage lac-catalog; }
@test "reject reasons of split-by-unit (test/cases/rejects.cases)" { run_cases rejects split-by-unit; }
@test "reject reasons of cpa-normalize" { run_cases rejects cpa-normalize; }
@test "reject reasons of dispo-map" { run_cases rejects dispo-map; }
@test "reject reasons of call-lead-join" { run_cases rejects call-lead-join; }
@test "reject reasons of wt-match" { run_cases rejects wt-match; }

@test "every line of the tables is some program's case" {
	local programs
	programs=$(cd "$REPO/filters" && ls *.c | sed 's/\.c$//')
	run bash -c "cat '$CASES'/*.cases | grep -v '^#' | cut -s -f1 | sort -u"
	for p in "${lines[@]}"; do
		grep -qx "$p" <<<"$programs" || fail "no program $p"
	done
	assert_equal "$(grep -cv '^#' "$CASES/rejects.cases")" 45
	assert_equal "$(grep -cv '^#' "$CASES/usage.cases")" 43
}
