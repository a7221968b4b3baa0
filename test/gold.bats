#!/usr/bin/env bats
# bats file_tags=asan
# Gold files: every byte each program writes for its cases (test/gold/*.cases)
# is what test/gold/*.gold says.  `make gold` writes them anew; the change is
# then a diff to review.

bats_require_minimum_version 1.5.0
load test_helper

# Under ASan, the gold cases are where leaks are looked for (LeakSanitizer's
# report fails the case): every program, each kind of run once.  The other
# files run without it (run-tests): it costs a tenth of a second a process.
[ "${LAC_SANITIZED:-}" != asan ] || export ASAN_OPTIONS=detect_leaks=1

gold() {
	run "$REPO/test/gold/run" "$1"
	[ "$status" -eq 0 ] || fail "$output"
	assert_line --regexp '^gold: [0-9]+ cases$'
}

@test "split-by-unit writes what its gold file says" { gold split-by-unit; }
@test "call-lead-join writes what its gold file says" { gold call-lead-join; }
@test "cpa-normalize writes what its gold file says" { gold cpa-normalize; }
@test "dispo-map writes what its gold file says" { gold dispo-map; }
@test "wt-match writes what its gold file says" { gold wt-match; }
@test "rs-copy writes what its gold file says" { gold rs-copy; }
@test "lac-catalog writes what its gold file says" { gold lac-catalog; }

@test "every program has a gold file, and every gold file a program" {
	assert_equal "$(cd "$REPO/test/gold" && ls *.cases | sed 's/\.cases$//')" "$(cd "$REPO/filters" && ls *.c | sed 's/\.c$//')"
}

@test "one changed byte of any output fails its gold test" {
	skip_if_sanitized	# a test of the runner, not of the programs
	cp -r "$REPO/test/gold" "$BATS_TEST_TMPDIR/gold"
	export LAC_GOLD_DIR="$BATS_TEST_TMPDIR/gold"
	run "$REPO/test/gold/run" cpa-normalize
	assert_success
	# One cent of one amount.
	sed -i '0,/\t95\.00\t/s//\t95.01\t/' "$LAC_GOLD_DIR/cpa-normalize.gold"
	run "$REPO/test/gold/run" cpa-normalize
	assert_failure 1
	assert_line --index 0 "gold: cpa-normalize writes what $LAC_GOLD_DIR/cpa-normalize.gold does not say (make gold, then review the diff):"
	assert_line -- "-1043	26103109	+13799033688	2026-11-01 17:00:00		sold	95.01	Health PPO	ledger	acme_sales_20261102.csv	2"
}

@test "the runner itself: a gzip file is shown as its text, and the run's paths as \$OUT, \$TMP and ." {
	skip_if_sanitized	# a test of the runner, not of the programs
	export LAC_GOLD_DIR="$BATS_TEST_TMPDIR/gold"
	mkdir "$LAC_GOLD_DIR"
	printf '%s\t%s\n' 'paths' 'mkdir $OUT/d; printf "x\n%s\n" "$OUT" | gzip >$OUT/d/x.gz; echo "$TMP $PWD" >$OUT/a; printf "" >$OUT/empty; echo err >&2; exit 3' \
		>"$LAC_GOLD_DIR/paths.cases"
	run "$REPO/test/gold/run" --update paths
	assert_success
	assert_equal "$(cat "$LAC_GOLD_DIR/paths.gold")" '==== paths: mkdir $OUT/d; printf "x\n%s\n" "$OUT" | gzip >$OUT/d/x.gz; echo "$TMP $PWD" >$OUT/a; printf "" >$OUT/empty; echo err >&2; exit 3
---- exit 3
---- stderr
err
---- stdout
---- $OUT/a
$TMP .
---- $OUT/d/x.gz
(gzip) x
$OUT
---- $OUT/empty'
}
