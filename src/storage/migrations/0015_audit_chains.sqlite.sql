-- Several audit chains instead of one (src/audit); see 0015_audit_chains.postgres.sql. On SQLite the
-- single writer appends to chain 1 only. The table is rebuilt so that `seq` becomes the row id
-- (INTEGER PRIMARY KEY: one B-tree fewer per record). Records from before this migration become
-- chain 1, positions 1..n, hash_version 1 (unkeyed SHA-256, still verifiable).
CREATE TABLE audit_events_v2 (
  seq INTEGER PRIMARY KEY,
  chain_id BIGINT NOT NULL,
  chain_seq BIGINT NOT NULL,
  hash_version BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  actor_org_id TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  org_path TEXT NOT NULL,
  summary TEXT NOT NULL,
  result TEXT NOT NULL,
  request_id TEXT NOT NULL,
  client_address TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_events_v2 (seq, chain_id, chain_seq, hash_version, at_ms, actor_id, actor_role,
                             actor_org_id, action, object_type, object_id, org_id, org_path, summary,
                             result, request_id, client_address, prev_hash, hash)
SELECT seq, 1, seq, 1, at_ms, actor_id, actor_role, actor_org_id, action, object_type, object_id,
       org_id, org_path, summary, result, request_id, client_address, prev_hash, hash
FROM audit_events ORDER BY seq;
DROP TABLE audit_events;
ALTER TABLE audit_events_v2 RENAME TO audit_events;
CREATE INDEX audit_events_at_ms ON audit_events (at_ms);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id, seq);

CREATE TABLE audit_chains (
  chain_id INTEGER PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL,
  head_mac TEXT NOT NULL
);
INSERT INTO audit_chains (chain_id, last_seq, last_hash, head_mac)
SELECT 1, last_seq, last_hash, '' FROM audit_chain WHERE id = 1;
DROP TABLE audit_chain;
