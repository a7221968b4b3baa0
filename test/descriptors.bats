#!/usr/bin/env bats
# Exit 0 means nothing was lost, on every path: a full disk, a pipe closed
# on an output that is not the main stream, standard descriptors closed by
# the caller.
# bats file_tags=asan

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	DAY=$SAMPLES/inbox/20261031/boberdoo_transactions_20261031.csv
	ACME=$SAMPLES/inbox/20261102/cpa/acme_sales_20261102.csv
	HARBOR=$SAMPLES/inbox/20261102/dispo/harbor_dispositions_20261102.csv
}

# full OUT CMD...: CMD with its stdout on OUT and a full disk somewhere must fail and say so.
full() {
	run --separate-stderr bash -c 'exec >"$1"; shift; exec "$@"' full "$@"
	assert_failure 1
	[[ $stderr == *"write error: No space left on device"* ]] || fail "$2 did not say its write failed: $stderr"
}

@test "a full disk under stdout: every program exits 1 and says so" {
	full /dev/full split-by-unit --rules "$RULES" --unit lead --rejects /dev/null "$DAY"
	full /dev/full cpa-normalize --maps "$MAPS" --rejects /dev/null "$ACME"
	full /dev/full dispo-map --maps "$MAPS" --rejects /dev/null --unmapped /dev/null "$HARBOR"
	full /dev/full lac-catalog header transactions
	full /dev/full lac-catalog schema --fresh
	split-by-unit --rules "$RULES" --unit lead --rejects /dev/null "$DAY" >"$BATS_TEST_TMPDIR/lead.tsv" 2>/dev/null
	full /dev/full rs-copy --table units.lead --batch b --stage s3://bucket/p --dry-run "$BATS_TEST_TMPDIR/lead.tsv"
}

@test "a full disk under --rejects or --unmapped: exit 1, said" {
	full /dev/null split-by-unit --rules "$RULES" --unit lead --rejects /dev/full "$DAY"
	full /dev/null dispo-map --maps "$MAPS" --rejects /dev/null --unmapped /dev/full "$HARBOR"
}

@test "a pipe closed early on --rejects is a write error (exit 1), not the quiet end a closed stdout is" {
	{ head -1 "$DAY"; yes x,y | head -20000; } >"$BATS_TEST_TMPDIR/bad.csv"
	run --separate-stderr split-by-unit --rules "$RULES" -o "$BATS_TEST_TMPDIR/out" \
		--rejects >(head -c 100 >/dev/null) "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 1
	[[ $stderr == *"write error: Broken pipe"* ]] || fail "$stderr"
	run --separate-stderr split-by-unit --rules "$RULES" --unit lead --rejects >(head -c 100 >/dev/null) \
		"$BATS_TEST_TMPDIR/bad.csv"
	assert_failure 1
	# The main stream closed early ends quietly: its reader chose to stop.
	run bash -c "split-by-unit --rules '$RULES' --unit lead --rejects /dev/null '$DAY' 2>/dev/null | head -1"
	assert_success
	assert_output --regexp '^transaction_id	'
}

@test "stderr closed: the diagnostics never land in a stream, whose header comes first" {
	split-by-unit --rules "$RULES" -o "$BATS_TEST_TMPDIR/out" --rejects "$BATS_TEST_TMPDIR/rejects.tsv" "$DAY" 2>&- || true
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/out/lead.tsv")" "$(lac-catalog header transactions)"
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/rejects.tsv")" "$(lac-catalog header rejects)"
	run grep -c '^split-by-unit:' "$BATS_TEST_TMPDIR/out/lead.tsv" "$BATS_TEST_TMPDIR/rejects.tsv"
	assert_output "$BATS_TEST_TMPDIR/out/lead.tsv:0
$BATS_TEST_TMPDIR/rejects.tsv:0"
}

@test "stdout closed: the rejects file never receives the data stream" {
	split-by-unit --rules "$RULES" --unit lead --rejects "$BATS_TEST_TMPDIR/rejects.tsv" "$DAY" >&- 2>/dev/null
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/rejects.tsv")" "$(lac-catalog header rejects)"
	assert_equal "$(grep -c "^transaction_id" "$BATS_TEST_TMPDIR/rejects.tsv")" 0
}

@test "stdin closed: read as empty, said, exit 1" {
	run bash -c "exec <&-; split-by-unit --rules '$RULES' --unit lead --rejects /dev/null -"
	assert_failure 1
	assert_line --index 0 "split-by-unit: stdin:1: empty file: no header"
}
