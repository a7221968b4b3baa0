#!/usr/bin/env bats
# The house rules a reader can check: lib holds only what two programs use,
# and no file or function grows past what one sitting reads.

bats_require_minimum_version 1.5.0
load test_helper

# The programs that link a lib module (liblac.a gives a program only the
# modules it calls): those whose symbols include one the module defines.
users_of() {	# MODULE
	local obj=$BIN/../obj/lib/$1.o p
	for p in "$BIN"/*; do
		if nm "$p" | awk '{ print $NF }' | grep -qxFf <(nm --defined-only -g "$obj" | awk '{ print $NF }'); then
			printf ' %s' "${p##*/}"
		fi
	done
}

# FILE:LINE: N lines: its first line, for each function of more than 80 lines
# (a definition starts at column 0 and its body's braces stand at column 0).
long_functions() {	# FILE...
	awk '
		FNR == 1 { start = 0 }
		/^[A-Za-z_].*\(/ && !/;$/ { name = $0; at = FNR }
		/^\{/ { start = at }
		/^\}/ && start { if (FNR - start > 80) print FILENAME ":" start ": " FNR - start " lines: " name; start = 0 }
	' "$@"
}

@test "every lib module has two programs or more among its users (the list is printed)" {
	lonely=""
	for c in "$REPO"/filters/lib/*.c; do
		m=$(basename "$c" .c)
		users=$(users_of "$m")
		echo "$m:$users" >&3
		[ "$(wc -w <<<"$users")" -ge 2 ] || lonely+=" $m"
	done
	assert_equal "${lonely:-none}" none
}

@test "no source file over 600 lines" {
	cd "$REPO"
	run bash -c "git ls-files --cached --others --exclude-standard 'filters/*.[ch]' 'scripts/*' 'test/*.bats' 'test/*.bash' 'sql/*' | xargs wc -l | awk '\$2 != \"total\" && \$1 > 600'"
	assert_output ""
}

@test "no C function over 80 lines" {
	cd "$REPO"
	run long_functions $(git ls-files --cached --others --exclude-standard 'filters/*.c')
	assert_output ""
}

@test "the checks themselves: a long function is caught; the users of a module are followed through lib" {
	mkdir -p "$BATS_TEST_TMPDIR/f"
	{ echo 'static int'; echo 'long_one(void)'; echo '{'; for i in $(seq 81); do echo "	x();"; done; echo '}'; } >"$BATS_TEST_TMPDIR/f/a.c"
	run long_functions "$BATS_TEST_TMPDIR/f/a.c"
	assert_output "$BATS_TEST_TMPDIR/f/a.c:2: 83 lines: long_one(void)"
	# strmap is the build side of call-lead-join's join, and rs-copy has none.
	run users_of strmap
	assert_output --partial " call-lead-join"
	refute_output --partial "rs-copy"
}
