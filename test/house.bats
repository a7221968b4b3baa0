#!/usr/bin/env bats
# The house rules a reader can check: lib holds only what two programs use,
# and no file or function grows past what one sitting reads.

bats_require_minimum_version 1.5.0
load test_helper

# MODULE: PROGRAM... for each lib module: the programs that link it (liblac.a
# gives a program only the modules it calls), those whose symbols include one
# the module defines.  One nm of each program, one of the modules.
module_users() {
	local p
	for p in "$BIN"/*; do
		nm "$p" | awk -v p="${p##*/}" '{ print p "\t" $NF }'
	done >"$BATS_TEST_TMPDIR/linked"
	# The objects of lib's sources (a folder of objects may hold those of files since moved).
	local objs=()
	for p in "$REPO"/filters/lib/*.c; do
		p=${p##*/}
		objs+=("$BIN/../obj/lib/${p%.c}.o")
	done
	nm -A --defined-only -g "${objs[@]}" |
		awk '{ m = $1; sub(/:.*/, "", m); sub(/.*\//, "", m); sub(/\.o$/, "", m); print m "\t" $NF }' \
		>"$BATS_TEST_TMPDIR/defined"
	awk -F'\t' 'FILENAME == ARGV[1] { by[$2] = by[$2] " " $1; next }
		!($1 in users) { users[$1] = ""; order[++n] = $1 }
		$2 in by { split(by[$2], ps, " "); for (i in ps) if (index(users[$1] " ", " " ps[i] " ") == 0) users[$1] = users[$1] " " ps[i] }
		END { for (i = 1; i <= n; i++) print order[i] ":" users[order[i]] }' \
		"$BATS_TEST_TMPDIR/linked" "$BATS_TEST_TMPDIR/defined"
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
	module_users >"$BATS_TEST_TMPDIR/users"
	cat "$BATS_TEST_TMPDIR/users" >&3
	# Every module of lib is there, and none has fewer than two users.
	assert_equal "$(cut -d: -f1 "$BATS_TEST_TMPDIR/users" | sort)" "$(cd "$REPO/filters/lib" && ls *.c | sed 's/\.c$//' | sort)"
	run awk -F: '{ if (split($2, u, " ") < 2) print $1 }' "$BATS_TEST_TMPDIR/users"
	assert_output ""
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
	run module_users
	assert_line --regexp '^strmap:.* call-lead-join( |$)'
	refute_line --regexp '^strmap:.* rs-copy( |$)'
}
