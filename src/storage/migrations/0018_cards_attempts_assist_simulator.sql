-- Cards (issue 6 §5, issue 7 §5-§7): the per-card activation lock keyed by serial alone, staff
-- activation on a holder's behalf, and the SMS simulator. Times are Unix milliseconds.

-- Wrong passwords per card number, for every well-formed number whether or not such a card
-- exists, so the lock cannot tell real numbers from invented ones. A row exists while a run of
-- failures is counted; the right password deletes it, and rows idle for a day (and not locked)
-- are purged. It replaces cards.failed_attempts and cards.locked_until.
CREATE TABLE card_activation_attempts (
  serial TEXT PRIMARY KEY,                -- normalised serial (prefix + 10 digits + check digit)
  failed_attempts BIGINT NOT NULL,
  locked_until BIGINT NOT NULL,           -- 0: not locked
  last_failed_at BIGINT NOT NULL
);

CREATE INDEX card_activation_attempts_last ON card_activation_attempts (last_failed_at);

INSERT INTO card_activation_attempts (serial, failed_attempts, locked_until, last_failed_at)
SELECT serial, failed_attempts, locked_until, updated_at FROM cards
WHERE failed_attempts <> 0 OR locked_until <> 0;

ALTER TABLE cards DROP COLUMN failed_attempts;
ALTER TABLE cards DROP COLUMN locked_until;

-- The organisation an outgoing message concerns (its materialised path; '' when none, e.g. the
-- reply to an SMS that named no card), so lists of messages can be scoped to a subtree.
ALTER TABLE outbox_messages ADD COLUMN org_path TEXT NOT NULL DEFAULT '';

INSERT INTO permissions (code, description) VALUES
  ('card.activate.assist', '代客户激活保险卡（客服电话、柜面） / Activate a card on its holder''s behalf (phone, counter)'),
  ('sms.simulate', '使用短信网关模拟器 / Use the SMS gateway simulator');

INSERT INTO role_permissions (role_code, permission_code) VALUES
  ('system_admin', 'card.activate.assist'),
  ('system_admin', 'sms.simulate'),
  ('org_admin', 'card.activate.assist'),
  ('org_admin', 'sms.simulate'),
  ('cs_agent', 'card.activate.assist');
