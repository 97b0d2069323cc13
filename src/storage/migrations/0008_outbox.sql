-- The transactional outbox (src/notify). A message is inserted in the same transaction as the
-- change it reports and sent afterwards by a dispatcher, with retries. RULES.md §6: the recipient
-- (a phone number) and the text (it can carry names and policy numbers) are sealed with the key
-- ring; only the keyed look-up hash and the masked phone are stored in clear.
--   status            'pending' (waiting or being sent), 'sent', 'failed' (given up)
--   attempts          sends started so far (incremented when a dispatcher claims the message; it
--                     also fences a dispatcher whose claim has been taken over by another)
--   next_attempt_at   when a pending message is due; a claim moves it forward by the lease
-- Times are Unix milliseconds.
CREATE TABLE outbox_messages (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  recipient_enc TEXT NOT NULL,
  recipient_hash TEXT NOT NULL,
  recipient_masked TEXT NOT NULL,
  template_code TEXT NOT NULL,
  text_enc TEXT NOT NULL,
  ref_type TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  last_error TEXT,
  provider_message_id TEXT
);

CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_messages_ref ON outbox_messages (ref_type, ref_id);
CREATE INDEX outbox_messages_recipient ON outbox_messages (recipient_hash);
CREATE INDEX outbox_messages_created ON outbox_messages (created_at);
