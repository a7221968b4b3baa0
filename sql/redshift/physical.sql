-- Redshift only: the physical design of the unit tables, applied after
-- sql/tables.sql by `scripts/db-init --redshift`.  PostgreSQL never sees it.
--
-- Transactions, broker sales and warm-transfer sales meet on lead_id, so they
-- are distributed by it (joins stay on their slice); calls and their links by
-- complete_call_id.  Sort keys follow the day-range scans of the reports.

ALTER TABLE units.lead ALTER DISTSTYLE KEY DISTKEY lead_id;
ALTER TABLE units.cpa_cpt ALTER DISTSTYLE KEY DISTKEY lead_id;
ALTER TABLE units.warm_transfer ALTER DISTSTYLE KEY DISTKEY lead_id;
ALTER TABLE units.drip ALTER DISTSTYLE KEY DISTKEY lead_id;
ALTER TABLE units.lead_call ALTER DISTSTYLE KEY DISTKEY lead_id;
ALTER TABLE units.broker_sales ALTER DISTSTYLE KEY DISTKEY lead_id;
ALTER TABLE units.wt_sales ALTER DISTSTYLE KEY DISTKEY lead_id;
ALTER TABLE units.calls ALTER DISTSTYLE KEY DISTKEY complete_call_id;
ALTER TABLE units.call_lead_links ALTER DISTSTYLE KEY DISTKEY complete_call_id;
ALTER TABLE units.call_lead_unmatched ALTER DISTSTYLE EVEN;
ALTER TABLE units.dispositions ALTER DISTSTYLE EVEN;

ALTER TABLE units.lead ALTER COMPOUND SORTKEY (transaction_at);
ALTER TABLE units.cpa_cpt ALTER COMPOUND SORTKEY (transaction_at);
ALTER TABLE units.warm_transfer ALTER COMPOUND SORTKEY (transaction_at);
ALTER TABLE units.drip ALTER COMPOUND SORTKEY (transaction_at);
ALTER TABLE units.lead_call ALTER COMPOUND SORTKEY (transaction_at);
ALTER TABLE units.calls ALTER COMPOUND SORTKEY (start_at);
ALTER TABLE units.call_lead_links ALTER COMPOUND SORTKEY (transaction_id);
ALTER TABLE units.call_lead_unmatched ALTER COMPOUND SORTKEY (lead_received_at);
ALTER TABLE units.broker_sales ALTER COMPOUND SORTKEY (partner_id, lead_id);
ALTER TABLE units.wt_sales ALTER COMPOUND SORTKEY (transaction_id);
ALTER TABLE units.dispositions ALTER COMPOUND SORTKEY (key_type, key);

-- Free text compresses best with ZSTD; the rest is left to ENCODE AUTO.
ALTER TABLE units.lead ALTER COLUMN partner_name ENCODE zstd;
ALTER TABLE units.lead ALTER COLUMN filter_set_name ENCODE zstd;
ALTER TABLE units.lead ALTER COLUMN email ENCODE zstd;
ALTER TABLE units.lead ALTER COLUMN src_file ENCODE zstd;
ALTER TABLE units.calls ALTER COLUMN src_file ENCODE zstd;
ALTER TABLE units.broker_sales ALTER COLUMN src_file ENCODE zstd;
ALTER TABLE units.dispositions ALTER COLUMN status_raw ENCODE zstd;
