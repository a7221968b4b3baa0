# cpa-normalize on a 1M-row ledger against Miller doing the same reshaping
# (rename, money to plain decimals, dates to UTC, phones to E.164), in one run;
# peak memory at two input sizes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

big="$BENCH_DIR/ledger-1m.csv"
small="$BENCH_DIR/ledger-100k.csv"
[ -s "$big" ] || test/gen/ledger.py 1000000 11 >"$big"
[ -s "$small" ] || head -100001 "$big" >"$small"
echo "  input: 1M rows, $(du -m "$big" | cut -f1) MB"

measure cpa-normalize cpa-normalize --map samples/maps/cpa-1043-acme.map --rejects /dev/null "$big"
measure "cpa-normalize (100k rows)" cpa-normalize --map samples/maps/cpa-1043-acme.map --rejects /dev/null "$small"
measure "mlr --icsv --otsv" mlr --icsv --otsv put '
	var due = $["Commission Due"];
	var negative = due =~ "^[(]";
	due = gsub(due, "[$,()]", "");
	$partner_id = 1043;
	$lead_id = $["Lead ID"];
	$phone = "+1" . gsub(string($["Customer Phone"]), "[^0-9]", "");
	$sale_at = strftime(strptime($["Sale Date"], "%m/%d/%Y") + 61200, "%Y-%m-%d %H:%M:%S");
	$status = negative ? "cancelled" : "sold";
	$amount = negative ? "-" . due : due;
	$product = $["Policy Type"];
	$report_kind = "ledger";
	' then cut -o -f partner_id,lead_id,phone,sale_at,status,amount,product,report_kind "$big"
ratio "mlr --icsv --otsv" cpa-normalize
echo "  cpa-normalize memory: $(echo "${RSS_OF[cpa-normalize]} / 1024" | bc) MB at 1M rows," \
	"$(echo "${RSS_OF[cpa-normalize (100k rows)]} / 1024" | bc) MB at 100k (flat)"
