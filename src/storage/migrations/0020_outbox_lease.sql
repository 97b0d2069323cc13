-- A lighter outbox (issue 6 §5: what a card activation costs PostgreSQL). Every activation inserts
-- a message and a dispatcher then claims it and records its outcome, so each index on
-- outbox_messages is written up to three times per activation.
--   claimed_until     a dispatcher's claim on a pending message lasts until then (Unix ms; 0: not
--                     claimed). A message is due when next_attempt_at and claimed_until have both
--                     passed. The claim no longer moves next_attempt_at, which is indexed: it
--                     changes only unindexed columns, so PostgreSQL can update the row in place
--                     (a HOT update, no new index entries).
-- The due index holds pending messages only, so sent ones leave it. The recipient index served no
-- query, and lists walk the primary key newest first instead of created_at (ids begin with their
-- creation time in milliseconds, and created_at is that time).
ALTER TABLE outbox_messages ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;

DROP INDEX outbox_messages_due;
DROP INDEX outbox_messages_recipient;
DROP INDEX outbox_messages_created;
CREATE INDEX outbox_messages_due ON outbox_messages (next_attempt_at, id) WHERE status = 'pending';
