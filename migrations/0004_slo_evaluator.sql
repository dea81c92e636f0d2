-- SLOs: what the evaluator and the per-SLO series caches need.
-- slo_data_versions: bumped by every write of an SLO's minutes, so a process that caches an SLO's
-- series (reliability/slos.h) sees with one indexed read whether another process (a replica, a
-- CLI import) changed it. slo_alerts_open: at most one open row per SLO and condition, so two
-- replicas evaluating the same minute never open a condition twice.

CREATE TABLE slo_data_versions (
  slo      TEXT PRIMARY KEY,
  version  BIGINT NOT NULL
);

CREATE UNIQUE INDEX slo_alerts_open ON slo_alerts (slo, condition) WHERE end_ms IS NULL;
