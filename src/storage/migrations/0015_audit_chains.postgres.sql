-- Several audit chains instead of one (src/audit). A transaction appends to a chain no other
-- transaction holds (SELECT ... FOR UPDATE SKIP LOCKED), so audited writes on many nodes no longer
-- queue behind one chain head. Each record now names its chain and its position in it; `seq`
-- stays unique across chains (from a sequence) and is the paging key. Records from before this
-- migration become chain 1, positions 1..n, hash_version 1 (unkeyed SHA-256, still verifiable);
-- new records are sealed with a keyed MAC under the audit subkey (hash_version 2), and each chain
-- head carries a tag from its last record's seal ('' until the chain is appended to).
ALTER TABLE audit_events ADD COLUMN chain_id BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN chain_seq BIGINT;
ALTER TABLE audit_events ADD COLUMN hash_version BIGINT NOT NULL DEFAULT 1;
UPDATE audit_events SET chain_seq = seq;
ALTER TABLE audit_events ALTER COLUMN chain_seq SET NOT NULL;
ALTER TABLE audit_events ALTER COLUMN chain_id DROP DEFAULT;
ALTER TABLE audit_events ALTER COLUMN hash_version DROP DEFAULT;

CREATE TABLE audit_chains (
  chain_id BIGINT PRIMARY KEY,
  last_seq BIGINT NOT NULL,               -- chain_seq of the chain's last record (0: empty)
  last_hash TEXT NOT NULL,                -- its hash (the genesis hash when empty)
  head_mac TEXT NOT NULL                  -- the head tag of the last record's seal; '' until appended to
);
INSERT INTO audit_chains (chain_id, last_seq, last_hash, head_mac)
SELECT 1, last_seq, last_hash, '' FROM audit_chain WHERE id = 1;
DROP TABLE audit_chain;

CREATE SEQUENCE audit_chain_ids START WITH 2;
CREATE SEQUENCE audit_events_seq;
SELECT setval('audit_events_seq', COALESCE((SELECT MAX(seq) FROM audit_events), 0) + 1, false);
