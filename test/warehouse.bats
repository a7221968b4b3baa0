#!/usr/bin/env bats
# The unit tables and the reporting views on a real PostgreSQL: the sample
# day through split-by-unit, plus streams of the later filters' documented
# shapes (test/fixtures/warehouse/).

bats_require_minimum_version 1.5.0
load test_helper

FIX="$BATS_TEST_DIRNAME/fixtures/warehouse"

# Every table loaded once for the file, into a database the tests copy.
setup_file() {
	pg_setup_file
	split-by-unit --rules "$RULES" -o "$BATS_FILE_TMPDIR/1101" --rejects /dev/null "$DAY1101" 2>/dev/null
	pg_file_db warehouse
	load_all
}

teardown_file() {
	pg_drop_file_db
	pg_teardown_file
}

# Every table of the catalog, in one run of rs-copy: the units from the sample
# day, the others from the fixtures.
load_all() {
	local loads=()
	while IFS=$'\t' read -r table stream file _; do
		if [ "$stream" = transactions ]; then
			loads+=(--load "$table@20261101=$BATS_FILE_TMPDIR/1101/$file")
		elif [ -f "$FIX/$file" ]; then
			loads+=(--load "$table@20261101=$FIX/$file")
		fi
	done < <(lac-catalog tables)
	rs-copy "${loads[@]}" 2>/dev/null
}

# Every reporting view, rows sorted, without the load times: what a reader
# sees.  One psql: the database writes each view's query from its columns.
dump_views() {
	psql -X -A -t -v ON_ERROR_STOP=1 <<-'SQL'
		SELECT q FROM (
			SELECT table_name, 1 AS k, format('SELECT %L', '== ' || table_name) AS q
			FROM information_schema.views WHERE table_schema = 'reporting' AND table_name <> 'load_audit'
			UNION ALL
			SELECT table_name, 2, format('SELECT %s FROM reporting.%I ORDER BY 1, 2, 3, 4',
			                             string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position), table_name)
			FROM information_schema.columns
			WHERE table_schema = 'reporting' AND table_name <> 'load_audit' AND column_name NOT LIKE '%loaded_at'
			GROUP BY table_name
		) queries ORDER BY table_name, k \gexec
		\echo == load_audit
		SELECT table_name, batch_id, row_count FROM reporting.load_audit ORDER BY 1, 2;
	SQL
}

teardown() {
	pg_teardown
}

setup() {
	pg_setup "$FILE_DB"
}

@test "every transaction once, and revenue per unit to the cent" {
	assert_equal "$(sql "SELECT COUNT(*) FROM reporting.lead_transactions")" 288
	run sql "SELECT day, unit, SUM(transactions), SUM(boberdoo_amount), SUM(broker_amount), SUM(commission), SUM(revenue)
		FROM reporting.revenue_daily GROUP BY 1, 2 ORDER BY 2"
	assert_output "2026-11-01|cpa_cpt|44|0.42|311.00|0.00|311.00
2026-11-01|drip|33|504.69|0.00|0.00|504.69
2026-11-01|lead|138|2018.95|0.00|0.00|2018.95
2026-11-01|lead_call|39|1855.00|0.00|0.00|1855.00
2026-11-01|warm_transfer|34|955.00|0.00|120.00|1075.00"
	# Refunds are netted: a day's revenue is purchases plus (negative) refunds.
	assert_equal "$(sql "SELECT SUM(refunds), SUM(CASE WHEN unit <> 'cpa_cpt' THEN boberdoo_amount ELSE 0 END) FROM reporting.revenue_daily")" "5|5333.64"
}

@test "CPA/CPT: a ledger's rows add up, a status report's latest row decides" {
	run sql "SELECT lead_id, partner_id, report_kind, latest_status, owed FROM reporting.broker_owed ORDER BY lead_id"
	assert_output "99999|1043|ledger|sold|50.00
26110101|2210|status|sold|95.50
26110103|3007|status|sold|95.00
26110105|1043|ledger|cancelled|0.00
26110108|2210|status|cancelled|0.00
26110121|1043|ledger|sold|120.50
26110165|3007|status|pending|0.00"
	# The symbolic auction price is kept apart from the revenue.
	assert_equal "$(sql "SELECT auction_amount, broker_amount, revenue, broker_status FROM reporting.lead_transactions WHERE lead_id = 26110121")" "0.01|120.50|120.50|sold"
	# A later report cancels an issued policy: a chargeback, at read time.
	rs-copy --table units.broker_sales --batch 20261109 "$FIX/broker_sales_later.tsv" 2>/dev/null
	assert_equal "$(sql "SELECT owed, latest_status FROM reporting.broker_owed WHERE lead_id = 26110101")" "0.00|cancelled"
	assert_equal "$(sql "SELECT SUM(revenue) FROM reporting.lead_transactions WHERE unit = 'cpa_cpt'")" "215.50"
	# A broker re-sends a ledger: its rows count once.
	rs-copy --table units.broker_sales --batch 20261110 "$FIX/broker_sales.tsv" 2>/dev/null
	assert_equal "$(sql "SELECT owed FROM reporting.broker_owed WHERE lead_id = 26110121")" "120.50"
	# Money for a lead with no transaction here is shown, not lost.
	assert_equal "$(sql "SELECT partner_id, lead_id, owed FROM reporting.broker_sales_unmatched")" "1043|99999|50.00"
}

@test "warm transfers: the fee plus the commission of a matched sale" {
	run sql "SELECT transaction_id, boberdoo_amount, commission, revenue, wt_sale_at FROM reporting.lead_transactions
		WHERE transaction_id IN (261101002, 261101016) ORDER BY 1"
	assert_output "261101002|30.00|120.00|150.00|2026-11-01 04:10:00
261101016|30.00|0.00|30.00|"
}

@test "calls: one row per call after corrections, every lead's revenue" {
	run sql "SELECT complete_call_id, campaign, lead_count, revenue, disposition FROM reporting.calls ORDER BY 1"
	assert_output "C1|MED-IPR-TX|2|95.50|callback
C2|HLTH-IPR-CA|1|60.00|
C3|MED-IPR-TX|0|0.00|"
	rs-copy --table units.calls --batch 20261102 "$FIX/calls_correction.tsv" 2>/dev/null
	run sql "SELECT complete_call_id, campaign, lead_count, revenue, batch_id FROM reporting.calls ORDER BY 1"
	assert_output "C1|MED-IPR-FL|2|95.50|20261102
C2|HLTH-IPR-CA|1|60.00|20261101
C3|MED-IPR-TX|0|0.00|20261101"
	assert_equal "$(sql "SELECT transaction_id, amount FROM reporting.call_lead_unmatched")" "261101032|35.50"
	# A later run that links the unmatched transaction takes it out of the unmatched view.
	printf 'complete_call_id\ttransaction_id\tlead_id\tseconds_from_call_start\tamount\tsrc_file\tsrc_line\nC3\t261101032\t26110129\t40\t35.50\tx.csv\t9\n#end 1\n' >"$BATS_TEST_TMPDIR/links.tsv"
	rs-copy --table units.call_lead_links --batch 20261102 "$BATS_TEST_TMPDIR/links.tsv" 2>/dev/null
	assert_equal "$(sql "SELECT COUNT(*) FROM reporting.call_lead_unmatched")" 0
	assert_equal "$(sql "SELECT lead_count, revenue FROM reporting.calls WHERE complete_call_id = 'C3'")" "1|35.50"
}

@test "dispositions: the latest status wins; unmapped ones are listed" {
	assert_equal "$(sql "SELECT disposition, disposition_raw, disposition_at FROM reporting.lead_transactions WHERE lead_id = 26110104")" \
		"sold|SOLD - Policy Issued|2026-11-05 10:00:00"
	# Keyed by phone and by lead: the newer of the two.
	assert_equal "$(sql "SELECT disposition, disposition_raw FROM reporting.lead_transactions WHERE lead_id = 26110106")" "unmapped|Gone fishing"
	assert_equal "$(sql "SELECT partner_id, status_raw, row_count FROM reporting.unmapped_dispositions")" "1101|Gone fishing|1"
}

@test "reloading every batch gives identical view output" {
	before=$(dump_views)
	# Every reporting view, load_audit without its load times; each has rows but feed_status (no feeds here).
	assert_equal "$(grep -c '^== ' <<<"$before") $(wc -l <<<"$before")" "13 922"
	load_all
	assert_equal "$(dump_views)" "$before"
	assert_equal "$(sql "SELECT table_name, row_count FROM reporting.load_audit WHERE batch_id = '20261101' ORDER BY 1" | tr '\n' ' ')" \
		"units.broker_sales|10 units.call_lead_links|3 units.call_lead_unmatched|1 units.calls|3 units.cpa_cpt|44 units.dispositions|5 units.drip|33 units.lead|138 units.lead_call|39 units.warm_transfer|34 units.wt_sales|2 "
}

@test "the private PostgreSQL compares text as bytes, as Redshift does: a later file or batch is later in both" {
	assert_equal "$(sql "SHOW lc_collate")" "C"
	# Upper case before lower, '-' before '_', a longer accent after ASCII: code-point order.
	assert_equal "$(sql "SELECT string_agg(f, ' ' ORDER BY f) FROM (VALUES ('b.csv'), ('B.csv'), ('a_1.csv'), ('a-1.csv'), ('é.csv'), ('z.csv')) v(f)")" \
		"B.csv a-1.csv a_1.csv b.csv z.csv é.csv"
}
