-- Unit tables: one per stream, loaded only by rs-copy, one batch at a time.
-- A load replaces exactly its batch; nothing is ever updated in place.  A
-- correction or a later status arrives as a new row, and the views let the
-- newest win.  Every table carries its lineage (src_file, src_line), its
-- batch (the feed day YYYYMMDD, or the file it came from) and loaded_at (UTC).
--
-- Written in the SQL that both PostgreSQL and Redshift run: no SERIAL, no
-- TEXT (Redshift's is VARCHAR(256)), sizes in bytes.  Redshift's physical
-- design (DISTKEY, SORTKEY, ENCODE) is applied apart, by sql/redshift/.

CREATE SCHEMA IF NOT EXISTS units;
CREATE SCHEMA IF NOT EXISTS reporting;

-- split-by-unit: one table per business unit, all of one shape.
CREATE TABLE IF NOT EXISTS units.lead (
	transaction_id      BIGINT         NOT NULL,
	transaction_type    VARCHAR(16)    NOT NULL,
	transaction_at      TIMESTAMP      NOT NULL,
	lead_id             BIGINT         NOT NULL,
	lead_type           VARCHAR(128),
	lead_received_at    TIMESTAMP      NOT NULL,
	src                 VARCHAR(256),
	vendor_id           BIGINT,
	partner_id          BIGINT,
	partner_name        VARCHAR(1024),
	filter_set_id       BIGINT,
	filter_set_name     VARCHAR(1024),
	campaign            VARCHAR(256),
	amount              NUMERIC(14,2)  NOT NULL,
	lead_cost           NUMERIC(14,2),
	phone               VARCHAR(16)    NOT NULL,
	email               VARCHAR(1024),
	first_name          VARCHAR(1024),
	last_name           VARCHAR(1024),
	state               VARCHAR(64),
	zip                 VARCHAR(32),
	times_sold          INTEGER,
	refund_reason       VARCHAR(1024),
	test_lead           SMALLINT,
	src_file            VARCHAR(1024)  NOT NULL,
	src_line            BIGINT         NOT NULL,
	batch_id            VARCHAR(128)   NOT NULL,
	loaded_at           TIMESTAMP      NOT NULL
);
CREATE TABLE IF NOT EXISTS units.cpa_cpt (LIKE units.lead);
CREATE TABLE IF NOT EXISTS units.warm_transfer (LIKE units.lead);
CREATE TABLE IF NOT EXISTS units.drip (LIKE units.lead);
CREATE TABLE IF NOT EXISTS units.lead_call (LIKE units.lead);

-- call-lead-join: calls (one row per call, corrections applied) ...
CREATE TABLE IF NOT EXISTS units.calls (
	complete_call_id    VARCHAR(128)   NOT NULL,
	start_at            TIMESTAMP      NOT NULL,
	phone               VARCHAR(16),
	campaign            VARCHAR(256),
	duration            INTEGER,
	connect_duration    INTEGER,
	result              VARCHAR(256),
	lead_count          INTEGER        NOT NULL,
	revenue             NUMERIC(14,2)  NOT NULL,
	src_file            VARCHAR(1024)  NOT NULL,
	src_line            BIGINT         NOT NULL,
	batch_id            VARCHAR(128)   NOT NULL,
	loaded_at           TIMESTAMP      NOT NULL
);

-- ... the inbound-call transactions tied to them (a call may carry several) ...
CREATE TABLE IF NOT EXISTS units.call_lead_links (
	complete_call_id    VARCHAR(128)   NOT NULL,
	transaction_id      BIGINT         NOT NULL,
	lead_id             BIGINT         NOT NULL,
	transaction_type    VARCHAR(16),
	seconds_from_call_start INTEGER    NOT NULL,
	amount              NUMERIC(14,2)  NOT NULL,
	src_file            VARCHAR(1024)  NOT NULL,
	src_line            BIGINT         NOT NULL,
	batch_id            VARCHAR(128)   NOT NULL,
	loaded_at           TIMESTAMP      NOT NULL
);

-- ... and those tied to no call, with their revenue: never lost.
CREATE TABLE IF NOT EXISTS units.call_lead_unmatched (
	transaction_id      BIGINT         NOT NULL,
	lead_id             BIGINT         NOT NULL,
	phone               VARCHAR(16),
	campaign            VARCHAR(256),
	lead_received_at    TIMESTAMP,
	amount              NUMERIC(14,2)  NOT NULL,
	reason              VARCHAR(64),
	src_file            VARCHAR(1024)  NOT NULL,
	src_line            BIGINT         NOT NULL,
	batch_id            VARCHAR(128)   NOT NULL,
	loaded_at           TIMESTAMP      NOT NULL
);

-- cpa-normalize: every row of every CPA/CPT broker report (chargebacks too).
-- report_kind says how a lead's rows add up: 'ledger' (the sum) or 'status'
-- (the latest row decides, and pays only when its status is 'sold').
CREATE TABLE IF NOT EXISTS units.broker_sales (
	partner_id          BIGINT         NOT NULL,
	lead_id             BIGINT,
	phone               VARCHAR(16),
	sale_at             TIMESTAMP,
	status              VARCHAR(16)    NOT NULL,
	amount              NUMERIC(14,2),
	product             VARCHAR(256),
	report_kind         VARCHAR(8)     NOT NULL,
	src_file            VARCHAR(1024)  NOT NULL,
	src_line            BIGINT         NOT NULL,
	batch_id            VARCHAR(128)   NOT NULL,
	loaded_at           TIMESTAMP      NOT NULL
);

-- wt-match: warm-transfer sales matched to their transfer transactions.
CREATE TABLE IF NOT EXISTS units.wt_sales (
	partner_id          BIGINT         NOT NULL,
	transaction_id      BIGINT         NOT NULL,
	lead_id             BIGINT,
	sale_at             TIMESTAMP,
	sold                SMALLINT       NOT NULL,
	commission          NUMERIC(14,2),
	seconds_after_lead  INTEGER,
	src_file            VARCHAR(1024)  NOT NULL,
	src_line            BIGINT         NOT NULL,
	batch_id            VARCHAR(128)   NOT NULL,
	loaded_at           TIMESTAMP      NOT NULL
);

-- dispo-map: broker feedback in one vocabulary; 'unmapped' is kept, never dropped.
CREATE TABLE IF NOT EXISTS units.dispositions (
	partner_id          BIGINT,
	key_type            VARCHAR(16)    NOT NULL,
	key                 VARCHAR(256)   NOT NULL,
	status_raw          VARCHAR(512),
	status              VARCHAR(32)    NOT NULL,
	status_at           TIMESTAMP,
	src_file            VARCHAR(1024)  NOT NULL,
	src_line            BIGINT         NOT NULL,
	batch_id            VARCHAR(128)   NOT NULL,
	loaded_at           TIMESTAMP      NOT NULL
);
