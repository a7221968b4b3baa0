# Shared setup for every bats file: the programs under test, the helpers.
# bats-support, bats-assert and bats-file, their sources read directly: their
# load.bash forks a dirname for every file, and this file is read again for
# every test (a tenth of a second each, a third of the suite's time).
for _lib in bats-support bats-assert bats-file; do
	_found=
	IFS=: read -r -a _dirs <<<"${BATS_LIB_PATH:-/usr/lib/bats}"
	for _dir in "${_dirs[@]}"; do
		[ -f "$_dir/$_lib/load.bash" ] || continue
		for _src in "$_dir/$_lib"/src/*.bash; do
			# shellcheck disable=SC1090
			source "$_src"
		done
		_found=1
		break
	done
	[ -n "$_found" ] || { echo "test_helper: no $_lib under ${BATS_LIB_PATH:-/usr/lib/bats}" >&2; return 1; }
done
unset _lib _found _dirs _dir _src

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
BIN="${LAC_BIN:-$REPO/build/bin}"
PATH="$BIN:$PATH"
SAMPLES="$REPO/samples"
RULES="$SAMPLES/unit-rules.txt"
DAY1031="$SAMPLES/inbox/20261031/boberdoo_transactions_20261031.csv"
DAY1101="$SAMPLES/inbox/20261101/boberdoo_transactions_20261101.csv"
DAY1102="$SAMPLES/inbox/20261102/boberdoo_transactions_20261102.csv.gz"
export LC_ALL=C.UTF-8
export VALGRIND_OPTS="--suppressions=$REPO/test/valgrind.supp"
export LAC_CATALOG="$REPO/catalog/streams.txt"

# "ROWS CENTS": data rows of a TSV stream and the sum of one money column,
# in integer cents (awk's doubles are exact for integers this size).  The
# stream's end line ("#end N", no TAB) is no row.
count_and_sum() {
	awk -F'\t' -v col="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		NF > 1 { n++; v = $c; neg = sub(/^-/, "", v); sub(/\./, "", v); s += neg ? -v : v }
		END { printf "%d %d\n", n, s }' "$1"
}

# Values of one named column of a TSV stream, header excluded.
column() {
	awk -F'\t' -v col="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		NF > 1 { print $c }' "$1"
}

# Data rows of a TSV stream: neither its header nor its end line.
rows() {
	awk -F'\t' 'NR > 1 && NF > 1 { n++ } END { print n + 0 }' "$1"
}

# The end line of a stream a program wrote completely.
end_line() {
	tail -n 1 "$1"
}

# Skip what a sanitizer build cannot do (valgrind on an ASan binary).
skip_if_sanitized() {
	[ -z "${LAC_SANITIZED:-}" ] || skip "not under sanitizers"
}

# PostgreSQL: the run's cluster (make test starts one and sets LAC_TEST_PGHOST
# and LAC_TEST_TEMPLATE, a database with the schema), or, when bats runs a
# file by hand, a cluster of the file's own in a temporary folder that the
# server's user can reach.  Each test gets a database of its own, copied from
# the template: tests never share tables, so they can run in parallel.
pg_setup_file() {
	[ -z "${LAC_TEST_PGHOST:-}" ] || return 0
	PGBASE=$(mktemp -d /tmp/lac-test-pg.XXXXXX)
	chmod 755 "$PGBASE"
	LAC_PG_FSYNC=off "$REPO/scripts/pg" start "$PGBASE"
	eval "$("$REPO/scripts/pg" env "$PGBASE")"
	export PGBASE LAC_TEST_PGHOST=$PGHOST LAC_TEST_TEMPLATE=lac_template
	createdb "$LAC_TEST_TEMPLATE"
	PGDATABASE=$LAC_TEST_TEMPLATE "$REPO/scripts/db-init"
}

pg_teardown_file() {
	[ -n "${PGBASE:-}" ] || return 0
	"$REPO/scripts/pg" stop "$PGBASE"
	rm -rf "$PGBASE"
}

pg_env() {
	export PGHOST=$LAC_TEST_PGHOST PGPORT=5432 PGUSER=lac
}

# PGDATABASE made a copy of TEMPLATE, by copying the files (--strategy=file_copy):
# its checkpoint costs nothing without fsync, and it takes 70 ms where the WAL
# copy takes 190.
pg_copy() {	# TEMPLATE
	createdb --maintenance-db=postgres --strategy=file_copy -T "$1" "$PGDATABASE"
}

pg_setup() {	# [TEMPLATE]: a copy of TEMPLATE (default: the schema's template)
	pg_env
	export PGDATABASE="t_${BATS_SUITE_TEST_NUMBER}_$$_$RANDOM"
	pg_copy "${1:-$LAC_TEST_TEMPLATE}"
}

# A database of the file's own ($FILE_DB, and PGDATABASE), made by its
# setup_file: for its tests to copy once it is filled, or to share;
# pg_drop_file_db removes it in teardown_file.
pg_file_db() {	# NAME
	pg_env
	export FILE_DB="${1}_$$" PGDATABASE="${1}_$$"
	pg_copy "$LAC_TEST_TEMPLATE"
}

# Tests of a file run one after the other: those that only load and read can
# share the file's database, emptied before each (cheaper than a copy).
pg_empty_file_db() {
	pg_env
	export PGDATABASE=$FILE_DB
	empty_tables
}

pg_drop_file_db() {
	PGDATABASE=postgres psql -X -q -c "DROP DATABASE IF EXISTS \"$FILE_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
}


pg_teardown() {
	[ -n "${PGDATABASE:-}" ] || return 0
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$PGDATABASE\" WITH (FORCE)" >/dev/null 2>&1 || true
}

# Every table of the catalog empty, and the load record: a test that starts from nothing.
empty_tables() {
	psql -X -q -v ON_ERROR_STOP=1 -c "TRUNCATE lac.loads, $(lac-catalog tables | cut -f1 | paste -sd,)"
}

# One value (or rows, '|'-separated) from the database.
sql() {
	psql -X -A -t -v ON_ERROR_STOP=1 -c "$1"
}

MAPS="$SAMPLES/maps"
INBOX="$SAMPLES/inbox"

# The three sample days through split-by-unit, into DIR/YYYYMMDD/.
split_sample_days() {
	for day in 20261031 20261101 20261102; do
		split-by-unit --rules "$RULES" -o "$1/$day" --rejects /dev/null "$INBOX/$day"/boberdoo_transactions_* 2>/dev/null
	done
}
