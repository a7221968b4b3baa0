-- Consolidation, computed when read: the views replace the one big patched
-- table (log_upload.boberdoo) and invoca_raw.  No view updates anything; a
-- correction or a later status is a new row, so any batch can be reloaded
-- at any time.
--
-- The catalog's own views come first (lac-catalog schema writes them from
-- catalog/streams.txt): newest.STREAM holds the rows of a stream's tables,
-- each row identity once, its newest copy (the catalog's `newest` order:
-- loaded last, then the later batch, file and line; the transactions, whose
-- identity is `once`, have one copy: their tables as they are).  Every view here reads
-- those, never the unit tables, so that rule is written once.  Two rules
-- below order rows by what they say rather than by when they were loaded:
-- a broker's latest status (its report's order) and a lead's latest
-- disposition (its status date).  Reloading an old day must not bring an
-- old status back.
--
-- Written in the SQL both PostgreSQL and Redshift run (scripts/sql-lint and
-- sqlfluff check it); `lac-catalog schema --redshift` renders these views
-- late-binding (WITH NO SCHEMA BINDING).  Each CREATE VIEW ends with ';' at
-- the end of a line.

-- Every transaction of every unit, once.  Test traffic never gets here: the
-- rules file excludes it.
CREATE VIEW reporting.unit_transactions AS
SELECT * FROM newest.transactions;

-- What each CPA/CPT broker owes for each lead, by the kind of its report:
-- a ledger's rows add up (chargebacks are negative rows); a status report's
-- latest row (in the order the broker reported) decides, and pays only when
-- that status is 'sold'.  A row a lead, its latest ("no later row"), with
-- the ledger's sum looked up for it: what lead_transactions reads of it
-- (owed, latest_status) is then a look-up of its own leads, not a GROUP BY
-- of every broker's every lead.  The counts and dates, which it does not
-- read, come from a GROUP BY that PostgreSQL leaves out of such a query (a
-- LEFT JOIN on its unique keys, none of its columns read).
CREATE VIEW reporting.broker_owed AS
SELECT l.partner_id, l.lead_id, g.report_kind,
       COALESCE((SELECT SUM(COALESCE(s.amount, 0.00)) FROM newest.broker_sales s
                 WHERE s.partner_id = l.partner_id AND s.lead_id = l.lead_id AND s.report_kind = 'ledger'), 0.00)
       + CASE WHEN l.report_kind = 'ledger' THEN 0.00
              WHEN l.status = 'sold' THEN COALESCE(l.amount, 0.00)
              ELSE 0.00 END AS owed,
       l.status AS latest_status, g.last_sale_at, g.report_rows
FROM newest.broker_sales l
LEFT JOIN (
	SELECT partner_id, lead_id, MAX(report_kind) AS report_kind, MAX(sale_at) AS last_sale_at,
	       COUNT(*) AS report_rows
	FROM newest.broker_sales
	WHERE lead_id IS NOT NULL
	GROUP BY partner_id, lead_id
) g ON g.partner_id = l.partner_id AND g.lead_id = l.lead_id
WHERE l.lead_id IS NOT NULL
  AND NOT EXISTS (
	SELECT 1
	FROM newest.broker_sales n
	WHERE n.partner_id = l.partner_id AND n.lead_id = l.lead_id
	  AND (n.batch_id > l.batch_id
	       OR (n.batch_id = l.batch_id AND (n.src_file > l.src_file
	           OR (n.src_file = l.src_file AND n.src_line > l.src_line)))));

-- The latest status of every disposition key (lead, phone or call) per
-- partner: by its status date (a row without one is the earliest), then the
-- report's order.  Written as "no later row of the key" rather than a rank
-- over every row, so that reading the dispositions of a day's leads looks up
-- those keys alone.
CREATE VIEW reporting.latest_dispositions AS
SELECT d.partner_id, d.key_type, d.key, d.status, d.status_raw, d.status_at, d.src_file, d.src_line, d.batch_id
FROM newest.dispositions d
WHERE NOT EXISTS (
	SELECT 1
	FROM newest.dispositions n
	WHERE n.key = d.key AND n.key_type = d.key_type
	  AND (n.partner_id = d.partner_id OR (n.partner_id IS NULL AND d.partner_id IS NULL))
	  AND (n.status_at > d.status_at OR (n.status_at IS NOT NULL AND d.status_at IS NULL)
	       OR ((n.status_at = d.status_at OR (n.status_at IS NULL AND d.status_at IS NULL))
	           AND (n.batch_id > d.batch_id
	                OR (n.batch_id = d.batch_id AND (n.src_file > d.src_file
	                    OR (n.src_file = d.src_file AND n.src_line > d.src_line)))))));

-- Every transaction, all its columns (a custom field added to the catalog
-- appears here too), and its revenue:
--   lead, drip, lead_call: the boberdoo Amount (refunds negative, so netted)
--   cpa_cpt: what the broker owes by its report (on the lead's first purchase
--            by that partner); the symbolic auction amount is auction_amount
--   warm_transfer: the per-transfer fee plus the commission of a matched sale
CREATE VIEW reporting.transaction_revenue AS
WITH wt_sold AS (
	SELECT transaction_id, commission, sale_at
	FROM newest.wt_sales
	WHERE sold = 1
), priced AS (
	SELECT t.*,
	       CASE WHEN t.unit = 'cpa_cpt' THEN t.amount ELSE 0.00 END AS auction_amount,
	       -- The lead's first purchase by the partner: no earlier one, looked
	       -- up for the CPA purchases alone (a join to every first purchase
	       -- would be a join of two unions, which PostgreSQL cannot estimate).
	       CASE WHEN t.unit = 'cpa_cpt' AND t.transaction_type = 'purchase'
	             AND (SELECT COUNT(*)
	                  FROM newest.transactions e
	                  WHERE e.lead_id = t.lead_id AND e.unit = 'cpa_cpt' AND e.transaction_type = 'purchase'
	                    AND (e.partner_id = t.partner_id OR (e.partner_id IS NULL AND t.partner_id IS NULL))
	                    AND (e.transaction_at < t.transaction_at
	                         OR (e.transaction_at = t.transaction_at AND e.transaction_id < t.transaction_id))) = 0
	            THEN COALESCE(b.owed, 0.00) END AS broker_amount,
	       b.latest_status AS broker_status,
	       CASE WHEN t.unit = 'warm_transfer' AND t.transaction_type = 'purchase'
	            THEN COALESCE(w.commission, 0.00) END AS commission,
	       w.sale_at AS wt_sale_at
	FROM newest.transactions t
	LEFT JOIN reporting.broker_owed b
	       ON t.unit = 'cpa_cpt' AND b.partner_id = t.partner_id AND b.lead_id = t.lead_id
	LEFT JOIN wt_sold w
	       ON t.unit = 'warm_transfer' AND w.transaction_id = t.transaction_id
)
SELECT p.*,
       p.amount AS boberdoo_amount,
       CASE p.unit WHEN 'cpa_cpt' THEN COALESCE(p.broker_amount, 0.00)
                   WHEN 'warm_transfer' THEN p.amount + COALESCE(p.commission, 0.00)
                   ELSE p.amount END AS revenue
FROM priced p;

-- The replacement of log_upload.boberdoo: every transaction, its revenue,
-- and the latest disposition its partner reported for it (by lead, or by
-- phone when that is later).  Apart from transaction_revenue, so that what
-- adds up revenue never joins the dispositions.
CREATE VIEW reporting.lead_transactions AS
SELECT r.*,
       CASE WHEN dp.status_at > dl.status_at OR dl.status IS NULL THEN dp.status ELSE dl.status END AS disposition,
       CASE WHEN dp.status_at > dl.status_at OR dl.status IS NULL THEN dp.status_raw ELSE dl.status_raw END AS disposition_raw,
       CASE WHEN dp.status_at > dl.status_at OR dl.status IS NULL THEN dp.status_at ELSE dl.status_at END AS disposition_at
FROM reporting.transaction_revenue r
LEFT JOIN reporting.latest_dispositions dl
       ON dl.key_type = 'lead_id' AND dl.key = CAST(r.lead_id AS VARCHAR(32))
      AND dl.partner_id = r.partner_id AND r.transaction_type = 'purchase'
LEFT JOIN reporting.latest_dispositions dp
       ON dp.key_type = 'phone' AND dp.key = r.phone
      AND dp.partner_id = r.partner_id AND r.transaction_type = 'purchase';

-- Broker money for leads with no CPA/CPT transaction here: shown, never lost.
CREATE VIEW reporting.broker_sales_unmatched AS
SELECT b.*
FROM reporting.broker_owed b
LEFT JOIN newest.transactions t
       ON t.unit = 'cpa_cpt' AND t.partner_id = b.partner_id AND t.lead_id = b.lead_id
WHERE t.transaction_id IS NULL;

-- Inbound-call transactions tied to calls: a transaction belongs to one
-- call, its newest link.
CREATE VIEW reporting.call_lead_links AS
SELECT * FROM newest.call_lead_links;

-- Inbound-call transactions no call took (yet), with their revenue; a later
-- run that links one hides it here.
CREATE VIEW reporting.call_lead_unmatched AS
SELECT u.*
FROM newest.call_lead_unmatched u
LEFT JOIN newest.call_lead_links l ON l.transaction_id = u.transaction_id
WHERE l.transaction_id IS NULL;

-- The replacement of invoca_raw: one row per call after corrections, with
-- how many leads it carries and all their revenue.  This view is the one
-- place that counts them: a refund of a lead nets the call's revenue and is
-- not another lead.  The links are added up per call in this query itself
-- (not in a subquery of every call's links), so that a filter on the call's
-- columns reaches the calls and their links alone.
CREATE VIEW reporting.calls AS
SELECT c.complete_call_id, c.start_at, c.phone, c.campaign, c.duration, c.connect_duration, c.result,
       SUM(CASE WHEN l.transaction_id IS NULL OR l.transaction_type = 'refund' THEN 0 ELSE 1 END) AS lead_count,
       COALESCE(SUM(l.amount), 0.00) AS revenue,
       d.status AS disposition, d.status_raw AS disposition_raw, d.status_at AS disposition_at,
       c.src_file, c.src_line, c.batch_id, c.loaded_at
FROM newest.calls c
LEFT JOIN newest.call_lead_links l ON l.complete_call_id = c.complete_call_id
LEFT JOIN (
	SELECT key, status, status_raw, status_at,
	       ROW_NUMBER() OVER (PARTITION BY key ORDER BY status_at DESC NULLS LAST, batch_id DESC) AS latest
	FROM reporting.latest_dispositions
	WHERE key_type = 'call_id'
) d ON d.key = c.complete_call_id AND d.latest = 1
GROUP BY c.complete_call_id, c.start_at, c.phone, c.campaign, c.duration, c.connect_duration, c.result,
         d.status, d.status_raw, d.status_at, c.src_file, c.src_line, c.batch_id, c.loaded_at;

-- Revenue by business day (boberdoo's, the catalog's local day) x unit x
-- partner.  A day of it reads that day's transactions alone (PostgreSQL
-- indexes the business day: catalog/streams.txt).
CREATE VIEW reporting.revenue_daily AS
SELECT t.business_day AS day,
       t.unit, t.partner_id, MAX(t.partner_name) AS partner_name,
       COUNT(*) AS transactions,
       SUM(CASE WHEN t.transaction_type = 'purchase' THEN 1 ELSE 0 END) AS purchases,
       SUM(CASE WHEN t.transaction_type = 'refund' THEN 1 ELSE 0 END) AS refunds,
       SUM(t.boberdoo_amount) AS boberdoo_amount,
       SUM(COALESCE(t.broker_amount, 0.00)) AS broker_amount,
       SUM(COALESCE(t.commission, 0.00)) AS commission,
       SUM(t.revenue) AS revenue
FROM reporting.transaction_revenue t
GROUP BY 1, 2, 3;

-- Distinct raw statuses no map knows yet, for the analyst who extends the maps.
CREATE VIEW reporting.unmapped_dispositions AS
SELECT partner_id, status_raw, COUNT(*) AS row_count, MIN(status_at) AS first_seen, MAX(status_at) AS last_seen
FROM newest.dispositions
WHERE status = 'unmapped'
GROUP BY partner_id, status_raw;

-- Per table and batch: its latest load (rows, run, when) and how many loads
-- it has had.  Every load is recorded by rs-copy, zero rows included.
CREATE VIEW reporting.load_audit AS
SELECT table_name, batch_id, row_count, replaced, run_id, loaded_at, loads
FROM (
	SELECT l.*, COUNT(*) OVER (PARTITION BY table_name, batch_id) AS loads,
	       ROW_NUMBER() OVER (PARTITION BY table_name, batch_id ORDER BY loaded_at DESC, run_id DESC) AS newest_rank
	FROM lac.loads l
) ranked
WHERE newest_rank = 1;

-- Each feed day's feeds: what was due, what arrived (its file, rows and
-- rejects), when it was loaded.  A file that arrived after the day was
-- first run (its modification time after the day's first load) is late.
CREATE VIEW reporting.feed_status AS
SELECT f.day, f.feed, f.expected, f.arrived, f.file, f.row_count, f.rejected, f.modified_at, f.loaded_at,
       CASE WHEN f.arrived = 0 AND f.expected = 1 THEN 'missing'
            WHEN f.arrived = 0 THEN 'not due'
            WHEN f.modified_at > r.first_run_at THEN 'late'
            ELSE 'arrived' END AS status
FROM newest.feeds f
LEFT JOIN (
	SELECT batch_id, MIN(loaded_at) AS first_run_at
	FROM lac.loads
	WHERE table_name = 'lac.feeds'
	GROUP BY batch_id
) r ON r.batch_id = f.batch_id;
