-- Foundation: the service catalog, users and credentials, and the audit log.
-- Written in the SQL subset both SQLite and PostgreSQL accept (see src/store/store.h).

-- Every catalog resource (Team, Person, Service, System, Domain) is one row. Its full document
-- is canonical JSON in `doc`; the columns beside it exist for filters and references.
CREATE TABLE catalog_entities (
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  owner TEXT,                  -- owning team of a Service, System or Domain
  tier BIGINT,                 -- Service: 1 (most critical) .. 4
  lifecycle TEXT,              -- Service: experimental, production, deprecated, ...
  doc TEXT NOT NULL,           -- canonical JSON {apiVersion, kind, metadata, spec}
  version BIGINT NOT NULL,     -- 1 on create, +1 on every change (ETag)
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (kind, name)
);
CREATE INDEX catalog_entities_owner ON catalog_entities (kind, owner, name);

-- References between catalog resources, e.g. (Service, api, dependsOn, Service, db).
-- A reference to a missing resource cannot be committed.
CREATE TABLE catalog_relations (
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  relation TEXT NOT NULL,      -- dependsOn, ownedBy, hasMember, partOf
  target_kind TEXT NOT NULL,
  target_name TEXT NOT NULL,
  PRIMARY KEY (kind, name, relation, target_kind, target_name),
  FOREIGN KEY (kind, name) REFERENCES catalog_entities (kind, name)
    ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (target_kind, target_name) REFERENCES catalog_entities (kind, name)
    DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX catalog_relations_target ON catalog_relations (target_kind, target_name, relation);

-- Local users. Passwords are argon2id hashes (libsodium crypto_pwhash_str).
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  disabled BIGINT NOT NULL DEFAULT 0
);

-- A user's roles: one per team, '' meaning every team.
CREATE TABLE user_roles (
  user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  team TEXT NOT NULL,
  role TEXT NOT NULL,          -- viewer, responder, manager, admin
  PRIMARY KEY (user_name, team)
);

-- API tokens for automation. Only a SHA-256 of the secret is stored.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,         -- public part, safe to show and log
  secret_hash TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  role TEXT NOT NULL,
  team TEXT NOT NULL,          -- '' means every team
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT,
  revoked_at_ms BIGINT
);

-- Console sessions. Only a SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);

-- Append-only, hash-chained audit log: hash = SHA-256(prev_hash + canonical entry).
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,        -- create, update, delete, login, ...
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  before_doc TEXT,
  after_doc TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_resource ON audit_log (kind, name, seq);

-- The chain's head. Updating this single row serialises audit writers on every backend.
CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
