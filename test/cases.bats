#!/usr/bin/env bats
# bats file_tags=asan
# Tables of cases (as OpenBSD's regress does them): every usage error and every
# reject reason of every program, one line each in test/cases/*.cases, run by
# test/cases/run.  A failing line is named by its file and line number.

bats_require_minimum_version 1.5.0
load test_helper

CASES="$BATS_TEST_DIRNAME/cases"

setup() {
	cd "$REPO"
}

# The cases of one table for one program (test/cases/run says how they run).
run_cases() {	# TABLE PROGRAM
	run test/cases/run "$1" "$2"
	assert_success
	assert_line --regexp "^cases: [0-9]+ of $2 in $1.cases$"
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
	assert_equal "$(grep -cv '^#' "$CASES/rejects.cases")" 51
	assert_equal "$(grep -cv '^#' "$CASES/usage.cases")" 58
}
