# rs-copy of a 1M-row stream into PostgreSQL against psql's \copy of the same
# rows (given the batch columns ready-made, so psql does less), in one run;
# then the gzip staging of the Redshift path at several levels.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

f1="$BENCH_DIR/boberdoo-1m.csv"
[ -s "$f1" ] || test/gen/boberdoo.py 20261124 1000000 7 --no-quirks >"$f1"
units="$BENCH_DIR/units-1m"
stream="$BENCH_DIR/stream-1m.tsv"
if [ ! -s "$stream" ]; then
	split-by-unit --rules samples/unit-rules.txt -o "$units" --rejects /dev/null "$f1" 2>/dev/null
	{ head -1 "$units/lead.tsv"; for u in lead cpa_cpt warm_transfer drip lead_call; do tail -n +2 "$units/$u.tsv"; done; } >"$stream"
fi
withbatch="$BENCH_DIR/stream-1m-with-batch.tsv"
[ -s "$withbatch" ] || awk -v OFS='\t' 'NR > 1 { print $0, "psql", "2026-11-26 00:00:00" }' "$stream" >"$withbatch"
echo "  input: $(($(wc -l <"$stream") - 1)) rows, $(du -m "$stream" | cut -f1) MB"

# A new cluster each run: the tables are today's, whatever an older run left.
pgdir="$BENCH_DIR/pg"
scripts/pg stop "$pgdir" >/dev/null 2>&1 || true
rm -rf "$pgdir"
mkdir -p "$pgdir" && chmod 755 "$pgdir"
scripts/pg start "$pgdir"
eval "$(scripts/pg env "$pgdir")"
export PGHOST PGPORT PGUSER PGDATABASE
scripts/db-init
cols=$(head -1 "$stream" | tr '\t' ',')

# The server does most of the work and its timing wanders: three rounds, best of each.
for round in 1 2 3; do
	psql -X -q -c "TRUNCATE units.lead; CHECKPOINT"
	BENCH_RUNS=1 measure "psql \\copy (round $round)" psql -X -q -c "\\copy units.lead ($cols,batch_id,loaded_at) FROM '$withbatch' WITH (FORMAT text, NULL '')"
	psql -X -q -c "TRUNCATE units.lead; CHECKPOINT"
	BENCH_RUNS=1 measure "rs-copy (round $round)" rs-copy --table units.lead --batch bench "$stream"
done
best() { printf '%s\n' "${SECONDS_OF["$1 (round 1)"]}" "${SECONDS_OF["$1 (round 2)"]}" "${SECONDS_OF["$1 (round 3)"]}" | sort -n | head -1; }
SECONDS_OF[psql-best]=$(best "psql \\copy")
SECONDS_OF[rs-copy-best]=$(best rs-copy)
ratio rs-copy-best psql-best
echo "  (best of three rounds each; target: rs-copy at most 1.1x psql's time)"
psql -X -q -c "TRUNCATE units.lead"
scripts/pg stop "$pgdir"

bytes=$(stat -c %s "$stream")
for level in 1 3 6 9; do
	tmp="$BENCH_DIR/stage-$level"
	rm -rf "$tmp" && mkdir -p "$tmp"
	measure "gzip staging level $level" env TMPDIR="$tmp" rs-copy --table units.lead --batch bench \
		--stage s3://bench/stage --parts 4 --gzip-level "$level" --dry-run "$stream"
	gz=$(du -sb "$tmp" | cut -f1)
	printf '    %.0f MB/s in, %.1f%% of the input size\n' \
		"$(echo "$bytes / ${SECONDS_OF[gzip staging level $level]} / 1000000" | bc -l)" \
		"$(echo "100 * $gz / $bytes" | bc -l)"
	rm -rf "$tmp"
done
