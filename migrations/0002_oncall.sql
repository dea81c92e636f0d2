-- On-call: overrides and shift swaps on top of the Schedule documents in catalog_entities, and
-- the secret tokens of calendar feeds. Times are UTC milliseconds.

CREATE TABLE oncall_overrides (
  id          TEXT PRIMARY KEY,
  schedule    TEXT NOT NULL,
  person      TEXT NOT NULL,
  start_ms    BIGINT NOT NULL,
  end_ms      BIGINT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL,
  created_ms  BIGINT NOT NULL,
  swap_id     TEXT,
  CHECK (end_ms > start_ms)
);
CREATE INDEX oncall_overrides_schedule ON oncall_overrides (schedule, start_ms);
CREATE INDEX oncall_overrides_person ON oncall_overrides (person, start_ms);

CREATE TABLE oncall_swaps (
  id           TEXT PRIMARY KEY,
  schedule     TEXT NOT NULL,
  requester    TEXT NOT NULL,
  start_ms     BIGINT NOT NULL,
  end_ms       BIGINT NOT NULL,
  taker        TEXT,
  reason       TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_ms   BIGINT NOT NULL,
  accepted_by  TEXT,
  accepted_ms  BIGINT,
  override_id  TEXT,
  CHECK (end_ms > start_ms)
);
CREATE INDEX oncall_swaps_schedule ON oncall_swaps (schedule, start_ms);

CREATE TABLE oncall_feeds (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_ms  BIGINT NOT NULL,
  revoked_ms  BIGINT
);
