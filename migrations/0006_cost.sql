-- Cost (FinOps): billing imports, their line items stored column-wise, and the state of budget
-- alerts, cost anomalies and unit metrics. Billing times are UTC seconds (…_s), events ms (…_ms).
-- Amounts are exact decimal strings (never floating point).

CREATE TABLE cost_imports (
  id             TEXT PRIMARY KEY,
  state          TEXT NOT NULL,              -- staging | applied | failed
  files          TEXT NOT NULL,              -- JSON array of the file names given
  format         TEXT NOT NULL DEFAULT '',   -- "FOCUS 1.0", "AWS CUR 2.0", ...
  rows_read      BIGINT NOT NULL DEFAULT 0,
  rows_accepted  BIGINT NOT NULL DEFAULT 0,
  rows_rejected  BIGINT NOT NULL DEFAULT 0,
  report         TEXT NOT NULL DEFAULT '{}', -- the validation report (JSON)
  actor          TEXT NOT NULL,
  started_ms     BIGINT NOT NULL,
  heartbeat_ms   BIGINT NOT NULL,            -- a staging import not beating for 10 min is abandoned
  finished_ms    BIGINT
);

-- One billing account's billing period as imported. An import stages its partitions and makes
-- them active in one transaction, which also drops the partitions they replace; so exactly one
-- version of a period is ever visible.
CREATE TABLE cost_partitions (
  id                      TEXT PRIMARY KEY,
  import_id               TEXT NOT NULL REFERENCES cost_imports (id) ON DELETE CASCADE,
  billing_account_id      TEXT NOT NULL,
  billing_period_start_s  BIGINT NOT NULL,
  active                  BIGINT NOT NULL DEFAULT 0,
  rows                    BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX cost_partitions_active
  ON cost_partitions (billing_account_id, billing_period_start_s) WHERE active = 1;
CREATE INDEX cost_partitions_import ON cost_partitions (import_id);

-- Up to 2^20 line items of one partition; each column one binary blob (see src/cost/segment.h),
-- so a query loads only the columns it reads.
CREATE TABLE cost_segments (
  id            TEXT PRIMARY KEY,
  partition_id  TEXT NOT NULL REFERENCES cost_partitions (id) ON DELETE CASCADE,
  seq           BIGINT NOT NULL,
  rows          BIGINT NOT NULL,
  columns       TEXT NOT NULL               -- JSON [[name, "string"|"decimal"|"time"], ...]
);
CREATE INDEX cost_segments_partition ON cost_segments (partition_id);
CREATE TABLE cost_segment_columns (
  segment_id  TEXT NOT NULL REFERENCES cost_segments (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  data        BYTEA NOT NULL,
  PRIMARY KEY (segment_id, name)
);

-- Bumped by every change of the visible line items; replicas reload their cache when it moves.
CREATE TABLE cost_versions (
  name   TEXT PRIMARY KEY,
  value  BIGINT NOT NULL
);
INSERT INTO cost_versions (name, value) VALUES ('line_items', 0);

-- A budget threshold crossed in a period: one row, so every replica alerts once.
CREATE TABLE cost_budget_alerts (
  budget          TEXT NOT NULL,
  period_start_s  BIGINT NOT NULL,
  threshold       TEXT NOT NULL,           -- "80% actual", "100% forecast"
  crossed_day_s   BIGINT NOT NULL,
  amount          TEXT NOT NULL,           -- actual or forecast when crossed
  created_ms      BIGINT NOT NULL,
  delivery        TEXT NOT NULL DEFAULT '',  -- how the webhook notifications went
  PRIMARY KEY (budget, period_start_s, threshold)
);

-- Detected anomalies and the feedback people gave on them.
CREATE TABLE cost_anomalies (
  id             TEXT PRIMARY KEY,
  monitor        TEXT NOT NULL,            -- service | account | team | tag:<key>
  value          TEXT NOT NULL,            -- the dimension value, e.g. "Amazon EC2"
  currency       TEXT NOT NULL,
  start_day_s    BIGINT NOT NULL,
  end_day_s      BIGINT NOT NULL,
  peak_day_s     BIGINT NOT NULL,
  actual         TEXT NOT NULL,
  expected       TEXT NOT NULL,
  impact         TEXT NOT NULL,
  impact_pct     DOUBLE PRECISION NOT NULL,
  root_causes    TEXT NOT NULL DEFAULT '[]',  -- JSON
  feedback       TEXT,                     -- expected | unexpected | planned
  feedback_by    TEXT,
  feedback_ms    BIGINT,
  detected_ms    BIGINT NOT NULL,
  notified_ms    BIGINT,
  UNIQUE (monitor, value, currency, start_day_s)
);

-- Business metric values per UTC day for unit cost (pushed or pulled from Prometheus).
CREATE TABLE cost_unit_points (
  metric  TEXT NOT NULL,
  day_s   BIGINT NOT NULL,
  value   TEXT NOT NULL,                   -- exact decimal
  PRIMARY KEY (metric, day_s)
);
