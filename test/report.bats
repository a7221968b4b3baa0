#!/usr/bin/env bats
# The morning page (scripts/report-html, the nightly's --report-html), read
# in a real browser: Debian's chromium, headless.

bats_require_minimum_version 1.5.0
load test_helper
load nightly_helper

setup_file() {
	pg_file_db report
	export PAGES="$BATS_FILE_TMPDIR/pages"
	# The night of 20261102 runs the two days before it again (its trail): the three sample days.
	nightly --report-html "$PAGES" 20261102 >"$BATS_FILE_TMPDIR/night.out" 2>&1
	# One browser for the page's tests: the page as it has it, a screenshot, its network log and its console.
	BROWSER_LOG=$BATS_FILE_TMPDIR/browser.log browse --log-net-log="$BATS_FILE_TMPDIR/net.json" \
		--window-size=1200,2600 --screenshot="$BATS_FILE_TMPDIR/page.png" \
		--dump-dom "$PAGES/latest.html" >"$BATS_FILE_TMPDIR/dom.html"
}

teardown_file() {
	pg_drop_file_db
}

setup() {
	pg_env
	export PGDATABASE=$FILE_DB
}

# The browser, headless, with none of its own traffic it can be told to leave out; its log in $BROWSER_LOG.
browse() {
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --disable-default-apps --disable-extensions \
		--enable-logging=stderr --v=0 "$@" 2>"${BROWSER_LOG:-/dev/null}"
}

# The cells of the row whose first cell is $1 in the page as the browser has it, '|'-separated, money as digits.
row() {
	awk -v label="$1" '
		/<tr/ { cells = ""; n = 0 }
		match($0, /<td[^>]*>[^<]*<\/td>/) {
			text = $0; sub(/^[^>]*<td[^>]*>/, "", text); sub(/<\/td>.*/, "", text)
			gsub(/[$,]/, "", text)
			cells = cells (n++ ? "|" : "") text
		}
		/<\/tr>/ && cells ~ "^" label "\\|" { print cells; exit }' "$BATS_FILE_TMPDIR/dom.html"
}

@test "the nightly writes the page of its night and latest.html" {
	assert_file_exist "$PAGES/20261102.html"
	cmp "$PAGES/20261102.html" "$PAGES/latest.html"
	grep -qx "The morning page: $PAGES/20261102.html (and latest.html)" "$BATS_FILE_TMPDIR/night.out"
}

@test "the page needs no network: nothing it loads leaves the file, no console message, a screenshot" {
	run grep -Eic '<script|<link|<img|<iframe|@import|url\(|src=|href="http' "$PAGES/latest.html"
	assert_output 0
	assert [ "$(stat -c %s "$BATS_FILE_TMPDIR/page.png")" -gt 50000 ]
	# The page's own requests carry its opaque file origin ("null"); the browser's own, none.
	run grep -c '"initiator":"null"' "$BATS_FILE_TMPDIR/net.json"
	assert_output 0
	run grep -c ':CONSOLE' "$BATS_FILE_TMPDIR/browser.log"
	assert_output 0
}

@test "the test itself: a page that loads an image from the network, or logs to the console, is caught" {
	sed 's|</body>|<script>console.error("boom")</script><img src="http://example.invalid/x.png"></body>|' \
		"$PAGES/latest.html" >"$BATS_TEST_TMPDIR/bad.html"
	BROWSER_LOG=$BATS_TEST_TMPDIR/browser.log browse --log-net-log="$BATS_TEST_TMPDIR/net.json" \
		--dump-dom "$BATS_TEST_TMPDIR/bad.html" >/dev/null
	run grep -c '"initiator":"null"' "$BATS_TEST_TMPDIR/net.json"
	assert_output 1
	run grep -c ':CONSOLE' "$BATS_TEST_TMPDIR/browser.log"
	assert_output 1
}

@test "the night's revenue on the page is the views', to the cent, unit by unit" {
	for unit in $(lac-catalog units); do
		assert_equal "$(row "$unit")" "$(sql "SELECT unit, SUM(transactions), SUM(boberdoo_amount), SUM(broker_amount),
			SUM(commission), SUM(revenue) FROM reporting.revenue_daily WHERE day = '2026-11-02' AND unit = '$unit'
			GROUP BY unit")"
	done
	assert_equal "$(row 'all units')" "all units|$(sql "SELECT SUM(transactions), SUM(boberdoo_amount), SUM(broker_amount),
		SUM(commission), SUM(revenue) FROM reporting.revenue_daily WHERE day = '2026-11-02'")"
	assert_equal "$(row 'all units')" "all units|267|4780.13|0.00|600.00|5379.72"
}

@test "calls of two or more leads, broker money and unmapped statuses on the page are the views'" {
	assert_equal "$(row 2026-11-01)" "2026-11-01|$(sql "SELECT COUNT(*), SUM(lead_count), SUM(revenue) FROM reporting.calls
		WHERE lead_count >= 2 AND CAST(start_at AS DATE) = '2026-11-01'")"
	assert_equal "$(row 2026-11-01)" "2026-11-01|2|5|245.50"
	for partner in $(sql "SELECT DISTINCT partner_id FROM reporting.broker_owed"); do
		assert_equal "$(row "$partner")" "$(sql "SELECT partner_id, MAX(report_kind), COUNT(*), SUM(owed)
			FROM reporting.broker_owed WHERE partner_id = $partner GROUP BY partner_id")"
	done
	assert_equal "$(row 1043)" "1043|ledger|5|1575.75"
	assert_equal "$(row 1102 | head -1)" "1102|Gone Fishing|1|harbor_dispositions_20261102.csv:13"
	assert_equal "$(grep -c 'class="cell arrived"' "$BATS_FILE_TMPDIR/dom.html")" \
		"$(sql "SELECT COUNT(*) FROM reporting.feed_status WHERE status = 'arrived'")"
}

@test "a day with a missing feed shows as missing on the calendar" {
	pg_setup
	own_inbox
	rm "$INBOX_DIR/20261101/invoca_calls_20261101.csv"
	nightly 20261031 >/dev/null 2>&1
	run nightly --report-html "$BATS_TEST_TMPDIR/pages" 20261101
	assert_failure 4
	run grep -o '<div data-day="2026-11-01" data-feed="invoca" class="cell missing"[^>]*>missing</div>' \
		"$BATS_TEST_TMPDIR/pages/latest.html"
	assert_success
	pg_teardown
}

@test "an empty database gives a page that says nothing is loaded yet, and no chart" {
	pg_setup
	run "$REPO/scripts/report" --html "$BATS_TEST_TMPDIR/empty.html"
	assert_success
	grep -q '<b>Nothing is loaded yet</b>' "$BATS_TEST_TMPDIR/empty.html"
	run grep -c '<svg' "$BATS_TEST_TMPDIR/empty.html"
	assert_output 0
	pg_teardown
}

@test "usage errors" {
	run "$REPO/scripts/report" --html
	assert_failure 2
	run "$REPO/scripts/report" --html x.html --days zero
	assert_failure 2
	assert_output "usage: scripts/report-html FILE [--days N] [--latest]"
}

@test "a feed far under its usual rows, or over its usual rejects, is marked on the calendar" {
	pg_setup
	# Three weeks of an Invoca feed of 300 rows and one reject a day; then a day of 100 rows, 50 rejected.
	sql "INSERT INTO lac.feeds (day, feed, expected, arrived, file, row_count, rejected, src_file, src_line, batch_id, loaded_at)
	     SELECT CAST('2026-10-01' AS DATE) + i, 'invoca', 1, 1, 'invoca_calls.csv', CASE WHEN i = 21 THEN 100 ELSE 300 END,
	            CASE WHEN i = 21 THEN 50 ELSE 1 END, 'feeds.tsv', i + 2, 'b' || i, '2026-11-01 00:00:00'
	     FROM generate_series(0, 21) AS g(i)" >/dev/null
	"$REPO/scripts/report" --html "$BATS_TEST_TMPDIR/odd.html"
	run grep -c 'class="cell arrived odd"' "$BATS_TEST_TMPDIR/odd.html"
	assert_output 1
	run grep -o '<div data-day="2026-10-22" data-feed="invoca" class="cell arrived odd"[^>]*>.*</div>' "$BATS_TEST_TMPDIR/odd.html"
	assert_output --partial "100 rows, 50 rejected<br><b>rows under half the usual</b><br><b>rejects over twice the usual</b>"
	# Feeds, but nothing of them in the views yet: said, not a broken chart.
	grep -q '<p class="empty">No revenue loaded for these days.</p>' "$BATS_TEST_TMPDIR/odd.html"
	pg_teardown
}
