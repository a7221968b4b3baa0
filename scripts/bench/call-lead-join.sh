# call-lead-join: 1M calls against 1M inbound-call transactions, against
# DuckDB (the same nearest-call-before join, as an ASOF JOIN, 2 threads) and
# Miller (an equi-join on phone and campaign, then the window as a filter),
# in one run.  Memory grows with the build side (the calls) only.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

calls="$BENCH_DIR/calls-1m.csv"
leads="$BENCH_DIR/lead-calls-1m.tsv"
{ [ -s "$calls" ] && [ -s "$leads" ]; } || test/gen/calls_bench.py 1000000 5 "$calls" "$leads"
small_calls="$BENCH_DIR/calls-100k.csv"
small_leads="$BENCH_DIR/lead-calls-100k.tsv"
[ -s "$small_calls" ] || head -100001 "$calls" >"$small_calls"
[ -s "$small_leads" ] || head -100001 "$leads" >"$small_leads"
echo "  input: $(($(wc -l <"$calls") - 1)) calls ($(du -m "$calls" | cut -f1) MB), $(($(wc -l <"$leads") - 1)) transactions ($(du -m "$leads" | cut -f1) MB)"
out="$BENCH_DIR/join-out"

measure "call-lead-join (100k)" call-lead-join --calls "$small_calls" --leads "$small_leads" -o "$out" --rejects /dev/null
measure call-lead-join call-lead-join --calls "$calls" --leads "$leads" -o "$out" --rejects /dev/null
linked=$(($(wc -l <"$out/call_lead_links.tsv") - 1))

duckdb_ready
measure "duckdb ASOF JOIN (2 threads)" "${DUCKDB[@]}" "
	CREATE TABLE calls AS SELECT complete_call_id, calling_phone_number AS phone,
		advertiser_campaign_id_from_network AS campaign, to_timestamp(start_time_utc / 1000) AS start_at
	FROM read_csv('$calls', header = true, all_varchar = false);
	COPY (SELECT l.transaction_id, c.complete_call_id, l.amount
	      FROM read_csv('$leads', header = true, delim = '\t') l
	      ASOF LEFT JOIN calls c ON l.phone = c.phone AND l.campaign = c.campaign
	                           AND CAST(l.lead_received_at AS TIMESTAMPTZ) >= c.start_at)
	TO '$out/duckdb.tsv' (FORMAT csv, DELIMITER '\t', HEADER)"
measure "mlr join" mlr --icsv --otsv --ifs-regex '[,\t]' join -u -l calling_phone_number,advertiser_campaign_id_from_network \
	-r phone,campaign -j phone,campaign -f "$calls" then put -q '
	var gap = strptime($lead_received_at, "%Y-%m-%d %H:%M:%S") - $start_time_utc / 1000;
	if (gap >= 0 && gap <= 600) { emit $* }' "$leads"

ratio "duckdb ASOF JOIN (2 threads)" call-lead-join
ratio "mlr join" call-lead-join
echo "  linked $linked of 1000000; call-lead-join peak RSS $(echo "${RSS_OF[call-lead-join]} / 1024" | bc) MB at 1M calls" \
	"($(echo "${RSS_OF[call-lead-join]} * 1024 / 1000000" | bc) bytes per build row), $(echo "${RSS_OF[call-lead-join (100k)]} / 1024" | bc) MB at 100k"
