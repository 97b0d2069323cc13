-- Activation SMS received from the SMS gateway (issue 3, card activation by SMS): one row per
-- gateway message id, so a message delivered twice is answered from its first outcome and never
-- activates a card twice. The sender is kept only as a keyed hash.
CREATE TABLE sms_inbound (
  message_id TEXT PRIMARY KEY,            -- the gateway's message id
  from_hash TEXT NOT NULL,                -- KeyRing::LookupHash('phone', sender)
  received_at BIGINT NOT NULL,
  result_code TEXT NOT NULL,              -- 'activated' or the rejection reason
  policy_id TEXT,                         -- the policy issued, when activated
  processed_at BIGINT NOT NULL
);

CREATE INDEX sms_inbound_from ON sms_inbound (from_hash, received_at);
