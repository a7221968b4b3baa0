# The nightly pipeline in tests: nightly.bats and feeds.bats.

nightly() {
	"$REPO/scripts/nightly" --inbox "${INBOX_DIR:-$INBOX}" "$@"
}

# A copy of the sample inbox, to take files from or put files in.
own_inbox() {
	cp -r "$INBOX" "$BATS_TEST_TMPDIR/inbox"
	INBOX_DIR="$BATS_TEST_TMPDIR/inbox"
}

# What a reader of the warehouse sees, without load times.
views() {	# one psql for them all
	psql -X -A -t -v ON_ERROR_STOP=1 <<-'SQL'
		SELECT day, unit, SUM(transactions), SUM(boberdoo_amount), SUM(broker_amount), SUM(commission), SUM(revenue)
			FROM reporting.revenue_daily GROUP BY 1, 2 ORDER BY 1, 2;
		SELECT complete_call_id, start_at, phone, campaign, lead_count, revenue, disposition FROM reporting.calls ORDER BY 1;
		SELECT unit, transaction_id, revenue, disposition FROM reporting.lead_transactions ORDER BY 2;
		SELECT transaction_id, amount, reason FROM reporting.call_lead_unmatched ORDER BY 1;
		SELECT * FROM reporting.unmapped_dispositions ORDER BY 1, 2;
		SELECT table_name, batch_id, row_count FROM reporting.load_audit ORDER BY 1, 2;
		SELECT day, feed, status, file, row_count, rejected FROM reporting.feed_status ORDER BY 1, 2, 4;
	SQL
}

all_days() {	# DIR: each night's report into DIR/nightly-DAY.out
	for day in 20261031 20261101 20261102; do
		nightly "$day" >"$1/nightly-$day.out" 2>&1 || { cat "$1/nightly-$day.out"; return 1; }
	done
}
