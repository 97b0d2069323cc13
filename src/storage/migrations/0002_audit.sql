-- The hash-chained audit log (src/audit). One row per state change, appended in the same
-- transaction as the change. `hash` = SHA-256 over the record's canonical fields including
-- `prev_hash`, so altering or deleting any row breaks the chain (RULES.md §6: audit records are
-- protected from deletion or alteration). Times are Unix milliseconds.
CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
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

CREATE INDEX audit_events_at_ms ON audit_events (at_ms);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id, seq);

-- The chain head: the last appended record. Appenders lock this single row, which orders them.
CREATE TABLE audit_chain (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);

INSERT INTO audit_chain (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
