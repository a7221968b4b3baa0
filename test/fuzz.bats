#!/usr/bin/env bats
# The inputs AFL++ found (make fuzz keeps them in test/fuzz/corpus/), replayed
# on every run: under the ASan+UBSan build in its suite, plain in the other.
# bats file_tags=asan

bats_require_minimum_version 1.5.0
load test_helper

@test "every kept fuzzing input: exit 0-3, no sanitizer report, summaries that add up" {
	run "$REPO/test/fuzz/run" replay "$BIN"
	assert_success
	assert_output --regexp "^fuzz: [0-9]+ inputs of 7 targets replayed through $BIN$"
	assert [ "$(echo "$output" | grep -o '[0-9]* inputs' | cut -d' ' -f1)" -ge 100 ]
}

@test "the replay itself: a summary that does not add up is caught" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	# A split-by-unit that loses a row from its summary.
	cat >"$BATS_TEST_TMPDIR/bin/split-by-unit" <<-SH
	#!/bin/sh
	"$BIN/split-by-unit" "\$@" || exit
	for a; do case \$prev in --summary) sed -i 's/\trows_in\t\t\([0-9]*\)$/\trows_in\t\t1\1/' "\$a" ;; esac; prev=\$a; done
	SH
	chmod +x "$BATS_TEST_TMPDIR/bin/split-by-unit"
	for p in "$BIN"/*; do [ -e "$BATS_TEST_TMPDIR/bin/${p##*/}" ] || ln -s "$p" "$BATS_TEST_TMPDIR/bin/"; done
	run "$REPO/test/fuzz/run" replay "$BATS_TEST_TMPDIR/bin" split-by-unit
	assert_failure 1
	assert_line --partial "fuzz: split-by-unit: samples/inbox/20261031/boberdoo_transactions_20261031.csv: exit 0, but its summary does not add up:"
}
