-- Paging: integrations (event sources and their secret keys), alerts and the incidents they
-- group into, the incident timeline, pages (a person notified for an incident), service changes,
-- durable timers (work_items) and the notification outbox. Times are UTC milliseconds.

CREATE TABLE paging_integrations (
  id          TEXT PRIMARY KEY,
  service     TEXT NOT NULL,
  type        TEXT NOT NULL,            -- events-v2 | alertmanager | generic
  name        TEXT NOT NULL,
  key_hash    TEXT NOT NULL UNIQUE,     -- SHA-256 of the key; the key is shown once
  key_hint    TEXT NOT NULL,            -- the key's last four characters
  mapping     TEXT NOT NULL DEFAULT '{}',  -- generic: JSON pointers of the fields
  created_by  TEXT NOT NULL,
  created_ms  BIGINT NOT NULL,
  revoked_ms  BIGINT
);
CREATE INDEX paging_integrations_service ON paging_integrations (service);

-- Incident numbers, one row: incrementing it locks the row, so numbers never repeat.
CREATE TABLE paging_counters (
  name   TEXT PRIMARY KEY,
  value  BIGINT NOT NULL
);
INSERT INTO paging_counters (name, value) VALUES ('incident', 0);

CREATE TABLE paging_incidents (
  id                 TEXT PRIMARY KEY,
  number             BIGINT NOT NULL UNIQUE,
  service            TEXT NOT NULL,
  title              TEXT NOT NULL,
  urgency            TEXT NOT NULL,     -- high | low
  status             TEXT NOT NULL,     -- triggered | acknowledged | resolved
  group_key          TEXT NOT NULL,     -- the dedup key or Alertmanager group key that opened it
  policy             TEXT NOT NULL,     -- the escalation policy as it was at opening (JSON); '' none
  level              INTEGER NOT NULL DEFAULT 0,
  loop_index         INTEGER NOT NULL DEFAULT 0,
  epoch              INTEGER NOT NULL DEFAULT 0,  -- bumped when escalation restarts or stops
  assignees          TEXT NOT NULL DEFAULT '[]',  -- people paged at the current level (JSON)
  created_ms         BIGINT NOT NULL,
  last_alert_ms      BIGINT NOT NULL,
  acknowledged_ms    BIGINT,
  acknowledged_by    TEXT,
  resolved_ms        BIGINT,
  resolved_by        TEXT,              -- a person, "source" or "timeout"
  snoozed_until_ms   BIGINT,
  actionable         INTEGER,           -- set by a responder on resolve: 1 actionable, 0 noise
  alert_count        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX paging_incidents_open ON paging_incidents (service, status, created_ms);
CREATE INDEX paging_incidents_created ON paging_incidents (created_ms);

CREATE TABLE paging_alerts (
  id              TEXT PRIMARY KEY,
  incident_id     TEXT NOT NULL REFERENCES paging_incidents (id),
  integration_id  TEXT NOT NULL,
  service         TEXT NOT NULL,
  dedup_key       TEXT NOT NULL,
  status          TEXT NOT NULL,       -- triggered | acknowledged | resolved
  summary         TEXT NOT NULL,
  source          TEXT NOT NULL,
  severity        TEXT NOT NULL,
  component       TEXT NOT NULL DEFAULT '',
  group_name      TEXT NOT NULL DEFAULT '',
  class           TEXT NOT NULL DEFAULT '',
  details         TEXT NOT NULL DEFAULT '{}',  -- custom_details, links, images, labels (JSON)
  event_count     INTEGER NOT NULL DEFAULT 1,
  created_ms      BIGINT NOT NULL,
  updated_ms      BIGINT NOT NULL,
  resolved_ms     BIGINT
);
-- At most one open alert per integration and dedup key: a trigger after resolve opens a new one.
CREATE UNIQUE INDEX paging_alerts_open ON paging_alerts (integration_id, dedup_key)
  WHERE status <> 'resolved';
CREATE INDEX paging_alerts_incident ON paging_alerts (incident_id);
CREATE INDEX paging_alerts_created ON paging_alerts (service, created_ms);

-- The incident timeline: triggered, alert added, escalated, notified, acknowledged, ...
CREATE TABLE paging_incident_log (
  incident_id  TEXT NOT NULL,
  at_ms        BIGINT NOT NULL,
  seq          INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  actor        TEXT NOT NULL DEFAULT '',
  detail       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (incident_id, seq)
);

-- A page: a person asked to respond to an incident (one per person and escalation step).
CREATE TABLE paging_pages (
  id           TEXT PRIMARY KEY,
  incident_id  TEXT NOT NULL,
  person       TEXT NOT NULL,
  at_ms        BIGINT NOT NULL,
  level        INTEGER NOT NULL,
  loop_index   INTEGER NOT NULL,
  schedule     TEXT NOT NULL DEFAULT ''  -- the schedule that made them the target, if any
);
CREATE INDEX paging_pages_person ON paging_pages (person, at_ms);
CREATE INDEX paging_pages_incident ON paging_pages (incident_id);

-- Changes reported by PagerDuty change events (and later deployments).
CREATE TABLE service_changes (
  id              TEXT PRIMARY KEY,
  service         TEXT NOT NULL,
  integration_id  TEXT NOT NULL,
  at_ms           BIGINT NOT NULL,
  received_ms     BIGINT NOT NULL,
  summary         TEXT NOT NULL,
  source          TEXT NOT NULL DEFAULT '',
  details         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX service_changes_service ON service_changes (service, at_ms);

-- Durable timers: a row per pending step, claimed in the transaction that performs it, so a
-- timer fires once even with several replicas and survives a restart.
CREATE TABLE work_items (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,           -- escalate | ack-timeout | auto-resolve | unsnooze
  ref         TEXT NOT NULL,           -- the incident id
  epoch       INTEGER NOT NULL,        -- the incident epoch it belongs to; stale ones do nothing
  due_ms      BIGINT NOT NULL,
  payload     TEXT NOT NULL DEFAULT '{}',
  created_ms  BIGINT NOT NULL
);
CREATE INDEX work_items_due ON work_items (due_ms);
CREATE INDEX work_items_ref ON work_items (ref);

-- The outbox: one row per notification to send. Claimed with a lease; a sender that dies
-- leaves the row to be claimed again when the lease ends (at-least-once, deduplicated by the
-- idempotency key at the receiver).
CREATE TABLE notify_deliveries (
  id                TEXT PRIMARY KEY,
  incident_id       TEXT NOT NULL,
  person            TEXT NOT NULL,
  channel           TEXT NOT NULL,
  address           TEXT NOT NULL,
  idempotency_key   TEXT NOT NULL UNIQUE,
  notice            TEXT NOT NULL,      -- what to say (JSON, notify::NoticeToJson)
  only_if_triggered INTEGER NOT NULL,   -- 1: skip when the incident is no longer triggered
  status            TEXT NOT NULL,      -- pending | sent | failed | cancelled
  attempts          INTEGER NOT NULL DEFAULT 0,
  due_ms            BIGINT NOT NULL,
  lease_until_ms    BIGINT NOT NULL DEFAULT 0,
  created_ms        BIGINT NOT NULL,
  first_attempt_ms  BIGINT,
  sent_ms           BIGINT,
  provider_id       TEXT NOT NULL DEFAULT '',
  last_error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notify_deliveries_due ON notify_deliveries (status, due_ms);
CREATE INDEX notify_deliveries_incident ON notify_deliveries (incident_id);

-- Secrets the server keeps for itself, e.g. the key that signs one-click links in notifications.
CREATE TABLE server_secrets (
  name   TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);

CREATE INDEX paging_incidents_group ON paging_incidents (service, group_key);
