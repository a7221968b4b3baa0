# split-by-unit on a 1M-row export against Miller and DuckDB doing the same
# routing (they neither convert times, money or phones nor check anything,
# so the comparison favours them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

f1="$BENCH_DIR/boberdoo-1m.csv"
small="$BENCH_DIR/boberdoo-100k.csv"
[ -s "$f1" ] || test/gen/boberdoo.py 20261124 1000000 7 --no-quirks >"$f1"
[ -s "$small" ] || head -100001 "$f1" >"$small"
echo "  input: $(wc -l <"$f1") lines, $(du -m "$f1" | cut -f1) MB"
out="$BENCH_DIR/split-out"
rm -rf "$out" && mkdir -p "$out"

measure split-by-unit split-by-unit --rules samples/unit-rules.txt -o "$out" --rejects /dev/null "$f1"
measure "split-by-unit (100k rows)" split-by-unit --rules samples/unit-rules.txt -o "$out" --rejects /dev/null "$small"

measure "mlr --icsv --otsv" mlr --icsv --otsv put -q '
	var unit = "lead";
	if ($Test_Lead == "1") { unit = "exclude" }
	elif ($Lead_Type == "Inbound Call") { unit = "lead_call" }
	elif ($Filter_Set_ID == "20931" || $Filter_Set_ID == "20932" || $Filter_Set_ID == "20940") { unit = "warm_transfer" }
	elif ($Partner_ID == "1043" || $Partner_ID == "2210" || $Partner_ID == "3007") { unit = "cpa_cpt" }
	elif ($SRC =~ "^DRIP_") { unit = "drip" }
	if (unit != "exclude") { tee > "'"$out"'/mlr-" . unit . ".tsv", $* }' "$f1"

duckdb_ready
measure "duckdb (2 threads)" "${DUCKDB[@]}" "
	COPY (SELECT *, CASE
		WHEN Test_Lead = '1' THEN 'exclude'
		WHEN Lead_Type = 'Inbound Call' THEN 'lead_call'
		WHEN Filter_Set_ID IN ('20931', '20932', '20940') THEN 'warm_transfer'
		WHEN Partner_ID IN ('1043', '2210', '3007') THEN 'cpa_cpt'
		WHEN SRC LIKE 'DRIP\\_%' ESCAPE '\\' THEN 'drip'
		ELSE 'lead' END AS unit
	      FROM read_csv('$f1', header = true, all_varchar = true))
	TO '$out/duckdb' (FORMAT csv, DELIMITER '\t', HEADER, PARTITION_BY (unit), OVERWRITE_OR_IGNORE)"

ratio "mlr --icsv --otsv" split-by-unit
ratio "duckdb (2 threads)" split-by-unit
echo "  split-by-unit memory: $(echo "${RSS_OF[split-by-unit]} / 1024" | bc) MB at 1M rows," \
	"$(echo "${RSS_OF[split-by-unit (100k rows)]} / 1024" | bc) MB at 100k" \
	"(the rows' Transaction_IDs are kept, 32-64 bytes each: the rest is flat)"
