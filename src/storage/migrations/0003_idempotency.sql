-- Stripe-style idempotency keys (src/idempotency). A row is claimed ('pending') before the handler
-- runs and completed ('done') with the response afterwards. `scope` is "user:<user id>" or
-- "addr:<client address>", so callers never see each other's keys. `response_body` is base64 (the
-- body may be any bytes); `response_headers` is a JSON array of [name, value] pairs. Times are
-- Unix milliseconds; rows are purged after `expires_at`.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
  status INTEGER,
  content_type TEXT,
  response_body TEXT,
  response_headers TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
