# Helpers for the benchmarks: measured runs and the peer tools they need.

PATH="$LAC_BIN:$PATH"

# measure LABEL CMD...: the best wall seconds of BENCH_RUNS runs (3) and the
# peak RSS, kept in SECONDS_OF and RSS_OF.  The best run, because on a
# shared machine the others measure the neighbours too; every tool is
# measured the same way in the same run.
declare -A SECONDS_OF RSS_OF
measure() {
	local label=$1 stats secs rss best="" peak=0
	shift
	stats=$(mktemp)
	for _ in $(seq "${BENCH_RUNS:-3}"); do
		if ! /usr/bin/time -f '%e %M' -o "$stats" "$@" >/dev/null 2>"$stats.err"; then
			echo "  $label: failed:" >&2
			tail -3 "$stats.err" >&2
			rm -f "$stats" "$stats.err"
			return 1
		fi
		read -r secs rss < <(tail -1 "$stats")
		if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc)" = 1 ]; then best=$secs; fi
		[ "$rss" -gt "$peak" ] && peak=$rss
	done
	SECONDS_OF["$label"]=$best
	RSS_OF["$label"]=$peak
	printf '  %-28s %7.2f s   peak RSS %7.1f MB\n' "$label" "${SECONDS_OF[$label]}" \
		"$(echo "${RSS_OF[$label]} / 1024" | bc -l)"
	rm -f "$stats" "$stats.err"
}

# ratio A B: how many times A's time is B's.
ratio() {
	printf '  %s / %s: %.2fx\n' "$1" "$2" "$(echo "${SECONDS_OF[$1]} / ${SECONDS_OF[$2]}" | bc -l)"
}

# The DuckDB node package, installed for the benchmarks only.
duckdb_ready() {
	if [ ! -d "$BENCH_DIR/node/node_modules/@duckdb/node-api" ]; then
		mkdir -p "$BENCH_DIR/node"
		(cd "$BENCH_DIR/node" && npm install --no-audit --no-fund --silent @duckdb/node-api >/dev/null)
	fi
	cp "$(dirname "${BASH_SOURCE[0]}")/duckdb.mjs" "$BENCH_DIR/node/duckdb.mjs"
}

# The DuckDB command: ES modules resolve packages beside the script, so it runs from there.
DUCKDB=(node "$BENCH_DIR/node/duckdb.mjs")

# The generated history (test/gen/history.py): BENCH_DAYS days of BENCH_ROWS
# transactions from HISTORY_FROM (a span with a change of daylight saving
# time), written once and kept in $BENCH_DIR/history/inbox.
BENCH_DAYS=${BENCH_DAYS:-60} BENCH_ROWS=${BENCH_ROWS:-45000} HISTORY_FROM=20260201
HISTORY_TO=$(date -u -d "$HISTORY_FROM + $((BENCH_DAYS - 1)) days" +%Y%m%d)
HISTORY_INBOX=$BENCH_DIR/history/inbox
export HISTORY_INBOX
history_inbox() {
	test/gen/history.py "$HISTORY_INBOX" "$HISTORY_FROM" "$BENCH_DAYS" "$BENCH_ROWS"
}

# A private PostgreSQL for the history and view benchmarks, started if it is not running.
history_cluster() {
	local dir=$BENCH_DIR/history/pg
	mkdir -p "$dir" && chmod 755 "$dir"
	scripts/pg status "$dir" >/dev/null 2>&1 || scripts/pg start "$dir" >/dev/null
	eval "$(scripts/pg env "$dir")"
	export PGHOST PGPORT PGUSER
}
