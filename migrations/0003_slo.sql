-- SLOs: per-minute SLI counts (pushed, imported or pulled from Prometheus), the state of each
-- SLO's Prometheus pull, and the alerts the evaluator raised. The SLO definitions themselves are
-- catalog documents (kind SLO). Minutes are UTC epoch minutes; times are UTC milliseconds.

CREATE TABLE slo_minutes (
  slo     TEXT NOT NULL,
  minute  BIGINT NOT NULL,
  good    DOUBLE PRECISION NOT NULL,
  total   DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (slo, minute),
  CHECK (good >= 0 AND total >= good)
);

CREATE TABLE slo_pull_state (
  slo             TEXT PRIMARY KEY,
  pulled_until    BIGINT NOT NULL,  -- every minute before this one has been pulled
  last_error      TEXT,             -- the last failure, for "no data: <reason>"; NULL when fine
  last_attempt_ms BIGINT NOT NULL
);

CREATE TABLE slo_alerts (
  id         TEXT PRIMARY KEY,
  slo        TEXT NOT NULL,
  condition  TEXT NOT NULL,  -- page-quick, page-slow, ticket-quick, ticket-slow, budget-exhausted, no-data
  severity   TEXT NOT NULL,  -- page or ticket
  start_ms   BIGINT NOT NULL,
  end_ms     BIGINT,         -- NULL while it is firing
  detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX slo_alerts_slo ON slo_alerts (slo, start_ms);
