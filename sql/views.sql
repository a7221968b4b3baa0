-- Consolidation, computed when read: the views replace the one big patched
-- table (log_upload.boberdoo) and invoca_raw.  No view updates anything; a
-- correction or a later status is a new row, and the newest wins here, so any
-- batch can be reloaded at any time.
--
-- "Newest" means: loaded last (loaded_at), then the later batch, then the later
-- file and line.  The same file loaded twice (a broker re-sends a report) counts
-- once: rows are identified by src_file and src_line.
--
-- Written in the SQL both PostgreSQL and Redshift run (test/sql.bats checks
-- for what Redshift lacks).  scripts/db-init renders these for Redshift as
-- late-binding views (WITH NO SCHEMA BINDING).

DROP VIEW IF EXISTS reporting.load_audit CASCADE;
DROP VIEW IF EXISTS reporting.revenue_daily CASCADE;
DROP VIEW IF EXISTS reporting.calls CASCADE;
DROP VIEW IF EXISTS reporting.lead_transactions CASCADE;
DROP VIEW IF EXISTS reporting.unmapped_dispositions CASCADE;
DROP VIEW IF EXISTS reporting.latest_dispositions CASCADE;
DROP VIEW IF EXISTS reporting.broker_sales_unmatched CASCADE;
DROP VIEW IF EXISTS reporting.broker_owed CASCADE;
DROP VIEW IF EXISTS reporting.call_lead_links CASCADE;
DROP VIEW IF EXISTS reporting.call_lead_unmatched CASCADE;
DROP VIEW IF EXISTS reporting.unit_transactions CASCADE;

-- Every transaction of every unit, once: the newest load of each transaction_id.
CREATE VIEW reporting.unit_transactions AS
SELECT unit, transaction_id, transaction_type, transaction_at, lead_id, lead_type,
       lead_received_at, src, vendor_id, partner_id, partner_name, filter_set_id,
       filter_set_name, campaign, amount, lead_cost, phone, email, first_name,
       last_name, state, zip, times_sold, refund_reason, test_lead,
       src_file, src_line, batch_id, loaded_at
FROM (
	SELECT u.*, ROW_NUMBER() OVER (PARTITION BY u.transaction_id
	                               ORDER BY u.loaded_at DESC, u.batch_id DESC, u.src_file DESC, u.src_line DESC) AS newest
	FROM (
		SELECT CAST('lead' AS VARCHAR(16)) AS unit, t.* FROM units.lead t
		UNION ALL
		SELECT CAST('cpa_cpt' AS VARCHAR(16)), t.* FROM units.cpa_cpt t
		UNION ALL
		SELECT CAST('warm_transfer' AS VARCHAR(16)), t.* FROM units.warm_transfer t
		UNION ALL
		SELECT CAST('drip' AS VARCHAR(16)), t.* FROM units.drip t
		UNION ALL
		SELECT CAST('lead_call' AS VARCHAR(16)), t.* FROM units.lead_call t
	) u
) ranked
WHERE newest = 1 AND COALESCE(test_lead, 0) = 0;

-- What each CPA/CPT broker owes for each lead, by the kind of its report:
-- a ledger's rows add up (chargebacks are negative rows); a status report's
-- latest row decides, and pays only when that status is 'sold'.
CREATE VIEW reporting.broker_owed AS
WITH distinct_rows AS (
	SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.src_file, s.src_line
	                               ORDER BY s.loaded_at DESC, s.batch_id DESC) AS copy_rank
	FROM units.broker_sales s
	WHERE s.lead_id IS NOT NULL
), ranked AS (
	SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.partner_id, d.lead_id
	                               ORDER BY d.batch_id DESC, d.src_file DESC, d.src_line DESC) AS newest
	FROM distinct_rows d
	WHERE d.copy_rank = 1
)
SELECT partner_id, lead_id,
       MAX(report_kind) AS report_kind,
       SUM(CASE WHEN report_kind = 'ledger' THEN COALESCE(amount, 0.00)
                WHEN newest = 1 AND status = 'sold' THEN COALESCE(amount, 0.00)
                ELSE 0.00 END) AS owed,
       MAX(CASE WHEN newest = 1 THEN status END) AS latest_status,
       MAX(sale_at) AS last_sale_at,
       COUNT(*) AS report_rows
FROM ranked
GROUP BY partner_id, lead_id;

-- The newest status of every disposition key (lead, phone or call) per partner.
CREATE VIEW reporting.latest_dispositions AS
SELECT partner_id, key_type, key, status, status_raw, status_at, src_file, src_line, batch_id
FROM (
	SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.partner_id, d.key_type, d.key
	                               ORDER BY d.status_at DESC NULLS LAST, d.batch_id DESC,
	                                        d.src_file DESC, d.src_line DESC) AS newest
	FROM units.dispositions d
) ranked
WHERE newest = 1;

-- The replacement of log_upload.boberdoo: every transaction with its revenue.
--   lead, drip, lead_call: the boberdoo Amount (refunds negative, so netted)
--   cpa_cpt: what the broker owes by its report (on the lead's first purchase
--            by that partner); the symbolic auction amount is auction_amount
--   warm_transfer: the per-transfer fee plus the commission of a matched sale
CREATE VIEW reporting.lead_transactions AS
WITH first_purchase AS (
	SELECT t.*, ROW_NUMBER() OVER (PARTITION BY t.partner_id, t.lead_id, t.transaction_type
	                               ORDER BY t.transaction_at, t.transaction_id) AS purchase_rank
	FROM reporting.unit_transactions t
), wt_sold AS (
	SELECT transaction_id, commission, sale_at
	FROM (
		SELECT w.*, ROW_NUMBER() OVER (PARTITION BY w.transaction_id
		                               ORDER BY w.loaded_at DESC, w.batch_id DESC, w.src_file DESC, w.src_line DESC) AS newest
		FROM units.wt_sales w
	) ranked
	WHERE newest = 1 AND sold = 1
), priced AS (
	SELECT t.*,
	       CASE WHEN t.unit = 'cpa_cpt' THEN t.amount ELSE 0.00 END AS auction_amount,
	       CASE WHEN t.unit = 'cpa_cpt' AND t.transaction_type = 'purchase' AND t.purchase_rank = 1
	            THEN COALESCE(b.owed, 0.00) END AS broker_amount,
	       b.latest_status AS broker_status,
	       CASE WHEN t.unit = 'warm_transfer' AND t.transaction_type = 'purchase'
	            THEN COALESCE(w.commission, 0.00) END AS commission,
	       w.sale_at AS wt_sale_at
	FROM first_purchase t
	LEFT JOIN reporting.broker_owed b
	       ON t.unit = 'cpa_cpt' AND b.partner_id = t.partner_id AND b.lead_id = t.lead_id
	LEFT JOIN wt_sold w
	       ON t.unit = 'warm_transfer' AND w.transaction_id = t.transaction_id
)
SELECT p.unit, p.transaction_id, p.transaction_type, p.transaction_at, p.lead_id, p.lead_type,
       p.lead_received_at, p.src, p.vendor_id, p.partner_id, p.partner_name, p.filter_set_id,
       p.filter_set_name, p.campaign, p.phone, p.state, p.zip, p.times_sold, p.refund_reason,
       p.amount AS boberdoo_amount, p.lead_cost, p.auction_amount, p.broker_amount,
       p.broker_status, p.commission, p.wt_sale_at,
       CASE p.unit WHEN 'cpa_cpt' THEN COALESCE(p.broker_amount, 0.00)
                   WHEN 'warm_transfer' THEN p.amount + COALESCE(p.commission, 0.00)
                   ELSE p.amount END AS revenue,
       CASE WHEN dp.status_at > dl.status_at OR dl.status IS NULL THEN dp.status ELSE dl.status END AS disposition,
       CASE WHEN dp.status_at > dl.status_at OR dl.status IS NULL THEN dp.status_raw ELSE dl.status_raw END AS disposition_raw,
       CASE WHEN dp.status_at > dl.status_at OR dl.status IS NULL THEN dp.status_at ELSE dl.status_at END AS disposition_at,
       p.src_file, p.src_line, p.batch_id, p.loaded_at
FROM priced p
LEFT JOIN reporting.latest_dispositions dl
       ON dl.key_type = 'lead_id' AND dl.key = CAST(p.lead_id AS VARCHAR(32))
      AND dl.partner_id = p.partner_id AND p.transaction_type = 'purchase'
LEFT JOIN reporting.latest_dispositions dp
       ON dp.key_type = 'phone' AND dp.key = p.phone
      AND dp.partner_id = p.partner_id AND p.transaction_type = 'purchase';

-- Broker money for leads with no CPA/CPT transaction here: shown, never lost.
CREATE VIEW reporting.broker_sales_unmatched AS
SELECT b.*
FROM reporting.broker_owed b
LEFT JOIN reporting.unit_transactions t
       ON t.unit = 'cpa_cpt' AND t.partner_id = b.partner_id AND t.lead_id = b.lead_id
WHERE t.transaction_id IS NULL;

-- Inbound-call transactions tied to calls: a transaction belongs to one call,
-- its newest link.
CREATE VIEW reporting.call_lead_links AS
SELECT complete_call_id, transaction_id, lead_id, transaction_type, seconds_from_call_start, amount,
       src_file, src_line, batch_id, loaded_at
FROM (
	SELECT l.*, ROW_NUMBER() OVER (PARTITION BY l.transaction_id
	                               ORDER BY l.loaded_at DESC, l.batch_id DESC, l.src_file DESC, l.src_line DESC) AS newest
	FROM units.call_lead_links l
) ranked
WHERE newest = 1;

-- Inbound-call transactions no call took (yet), with their revenue; a later
-- run that links one hides it here.
CREATE VIEW reporting.call_lead_unmatched AS
SELECT u.transaction_id, u.lead_id, u.phone, u.campaign, u.lead_received_at, u.amount, u.reason,
       u.src_file, u.src_line, u.batch_id, u.loaded_at
FROM (
	SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.transaction_id
	                               ORDER BY x.loaded_at DESC, x.batch_id DESC, x.src_file DESC, x.src_line DESC) AS newest
	FROM units.call_lead_unmatched x
) u
LEFT JOIN reporting.call_lead_links l ON l.transaction_id = u.transaction_id
WHERE u.newest = 1 AND l.transaction_id IS NULL;

-- The replacement of invoca_raw: one row per call after corrections, with
-- how many leads it carries and all their revenue, counted here from the links.
CREATE VIEW reporting.calls AS
WITH latest AS (
	SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.complete_call_id
	                               ORDER BY c.loaded_at DESC, c.batch_id DESC, c.src_file DESC, c.src_line DESC) AS newest
	FROM units.calls c
), carried AS (
	-- A refund of a lead nets the call's revenue; it is not another lead.
	SELECT complete_call_id, SUM(CASE WHEN transaction_type = 'refund' THEN 0 ELSE 1 END) AS lead_count,
	       SUM(amount) AS revenue
	FROM reporting.call_lead_links
	GROUP BY complete_call_id
)
SELECT c.complete_call_id, c.start_at, c.phone, c.campaign, c.duration, c.connect_duration, c.result,
       COALESCE(k.lead_count, 0) AS lead_count,
       COALESCE(k.revenue, 0.00) AS revenue,
       d.status AS disposition, d.status_raw AS disposition_raw, d.status_at AS disposition_at,
       c.src_file, c.src_line, c.batch_id, c.loaded_at
FROM latest c
LEFT JOIN carried k ON k.complete_call_id = c.complete_call_id
LEFT JOIN (
	SELECT key, status, status_raw, status_at,
	       ROW_NUMBER() OVER (PARTITION BY key ORDER BY status_at DESC NULLS LAST, batch_id DESC) AS newest
	FROM reporting.latest_dispositions
	WHERE key_type = 'call_id'
) d ON d.key = c.complete_call_id AND d.newest = 1
WHERE c.newest = 1;

-- Revenue by business day (America/New_York, boberdoo's day) x unit x partner.
CREATE VIEW reporting.revenue_daily AS
SELECT CAST((t.transaction_at AT TIME ZONE 'UTC') AT TIME ZONE 'America/New_York' AS DATE) AS day,
       t.unit, t.partner_id, MAX(t.partner_name) AS partner_name,
       COUNT(*) AS transactions,
       SUM(CASE WHEN t.transaction_type = 'purchase' THEN 1 ELSE 0 END) AS purchases,
       SUM(CASE WHEN t.transaction_type = 'refund' THEN 1 ELSE 0 END) AS refunds,
       SUM(t.boberdoo_amount) AS boberdoo_amount,
       SUM(COALESCE(t.broker_amount, 0.00)) AS broker_amount,
       SUM(COALESCE(t.commission, 0.00)) AS commission,
       SUM(t.revenue) AS revenue
FROM reporting.lead_transactions t
GROUP BY 1, 2, 3;

-- Distinct raw statuses no map knows yet, for the analyst who extends the maps.
CREATE VIEW reporting.unmapped_dispositions AS
SELECT partner_id, status_raw, COUNT(*) AS row_count, MIN(status_at) AS first_seen, MAX(status_at) AS last_seen
FROM units.dispositions
WHERE status = 'unmapped'
GROUP BY partner_id, status_raw;

-- Per table and batch: rows, files and when they were loaded.
CREATE VIEW reporting.load_audit AS
SELECT table_name, batch_id, COUNT(*) AS row_count, COUNT(DISTINCT src_file) AS files,
       MIN(loaded_at) AS first_loaded_at, MAX(loaded_at) AS loaded_at
FROM (
	SELECT CAST('units.lead' AS VARCHAR(64)) AS table_name, batch_id, src_file, loaded_at FROM units.lead
	UNION ALL SELECT 'units.cpa_cpt', batch_id, src_file, loaded_at FROM units.cpa_cpt
	UNION ALL SELECT 'units.warm_transfer', batch_id, src_file, loaded_at FROM units.warm_transfer
	UNION ALL SELECT 'units.drip', batch_id, src_file, loaded_at FROM units.drip
	UNION ALL SELECT 'units.lead_call', batch_id, src_file, loaded_at FROM units.lead_call
	UNION ALL SELECT 'units.calls', batch_id, src_file, loaded_at FROM units.calls
	UNION ALL SELECT 'units.call_lead_links', batch_id, src_file, loaded_at FROM units.call_lead_links
	UNION ALL SELECT 'units.call_lead_unmatched', batch_id, src_file, loaded_at FROM units.call_lead_unmatched
	UNION ALL SELECT 'units.broker_sales', batch_id, src_file, loaded_at FROM units.broker_sales
	UNION ALL SELECT 'units.wt_sales', batch_id, src_file, loaded_at FROM units.wt_sales
	UNION ALL SELECT 'units.dispositions', batch_id, src_file, loaded_at FROM units.dispositions
) loads
GROUP BY table_name, batch_id;
