#!/usr/bin/env bats
# What every program promises: --help and --version on stdout with exit 0,
# exit 2 on a usage error, and a man page that make install puts in place.

bats_require_minimum_version 1.5.0
load test_helper

PROGRAMS=$(cd "$REPO/filters" && ls *.c | sed "s/\.c$//")

@test "--help, --version and usage errors, the same for every program" {
	for p in $PROGRAMS; do
		run --separate-stderr "$p" --help
		assert_success
		assert_equal "$stderr" ""
		assert_line --index 0 --regexp "^$p: "
		run "$p" --version
		assert_output "$p (leads-and-calls) 0.1.0"
		run --separate-stderr "$p" --no-such-option
		assert_failure 2
		grep -q "^usage: $p " <<<"$stderr"
	done
}

@test "make install puts every program and its man page under PREFIX" {
	[ -z "${LAC_SANITIZED:-}" ] || skip "installs the plain build"
	make -s -C "$REPO" install PREFIX=/usr DESTDIR="$BATS_TEST_TMPDIR/root" >/dev/null
	for p in $PROGRAMS; do
		assert_file_executable "$BATS_TEST_TMPDIR/root/usr/bin/$p"
		assert_file_exist "$BATS_TEST_TMPDIR/root/usr/share/man/man1/$p.1"
		run man -l "$BATS_TEST_TMPDIR/root/usr/share/man/man1/$p.1"
		assert_success
		assert_output --partial "$p"
	done
}

@test "every script a make target runs is there and executable" {
	scripts=$(make -s -n -C "$REPO" MAKE='make -n' run test bench tsan asan 2>/dev/null | grep -o 'scripts/[A-Za-z0-9_.-]*' | sort -u)
	# run, test and bench each go through a script of their own.
	for s in scripts/run-samples scripts/install-deps scripts/run-tests scripts/install-npm scripts/bench-all; do
		grep -qx "$s" <<<"$scripts"
	done
	for s in $scripts; do
		assert_file_executable "$REPO/$s"
	done
}

@test "shellcheck finds nothing in any shell script (the .shellcheckrc says what it is told to allow)" {
	cd "$REPO"
	# Shell scripts: *.sh and *.bash, and files whose first line runs sh or bash.
	mapfile -t scripts < <({ git ls-files '*.sh' '*.bash'
		git grep -n -E '^#!(/usr/bin/env |/bin/)(ba)?sh' -- ':!*.bats' | sed -n 's/:1:#!.*//p'; } | sort -u)
	[ "${#scripts[@]}" -ge 20 ]
	run shellcheck "${scripts[@]}"
	assert_success
	assert_output ''
}

@test "boberdoo's zone is the catalog's: without its zone line, the programs that read boberdoo's times ask for --tz" {
	# The catalog without the transactions stream's zone (its local day given one of its own).
	awk '$1 == "zone" { next } $1 == "local_day" && NF == 4 { $0 = $0 " in UTC" } { print }' \
		"$REPO/catalog/streams.txt" >"$BATS_TEST_TMPDIR/streams.txt"
	export LAC_CATALOG=$BATS_TEST_TMPDIR/streams.txt
	run lac-catalog check
	assert_success
	run split-by-unit --rules "$REPO/samples/unit-rules.txt" --unit lead x.csv
	assert_failure 2
	assert_output "split-by-unit: $LAC_CATALOG: the stream 'transactions' has no 'zone' line: give --tz"
	run call-lead-join --calls x.csv --leads y.tsv -o "$BATS_TEST_TMPDIR"
	assert_failure 2
	assert_output "call-lead-join: $LAC_CATALOG: the stream 'transactions' has no 'zone' line: give --tz"
	run wt-match --sales x.tsv
	assert_failure 2
	assert_output "wt-match: $LAC_CATALOG: the stream 'transactions' has no 'zone' line: give --tz"
	# Given, the day's times are read in it.
	run --separate-stderr split-by-unit --rules "$REPO/samples/unit-rules.txt" --unit lead --tz America/Chicago \
		--rejects /dev/null "$REPO/samples/inbox/20261101/boberdoo_transactions_20261101.csv"
	assert_success
	unset LAC_CATALOG
	assert_equal "$(cut -f3 <<<"${lines[1]}")" \
		"$(split-by-unit --rules "$REPO/samples/unit-rules.txt" --unit lead --rejects /dev/null \
			"$REPO/samples/inbox/20261101/boberdoo_transactions_20261101.csv" 2>/dev/null | sed -n 2p | cut -f3 |
			xargs -I{} date -u -d '{} UTC + 1 hour' '+%F %T')"
}
