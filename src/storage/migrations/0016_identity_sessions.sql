-- Identity (src/identity, issue 6 §5 and issue 7 §3): the login throttle replaces the per-account
-- lock, and browser sessions keep a CSRF token. Times are Unix milliseconds; 0 = never.

-- Failed-login counters, shared by every node. `key_hash` is a keyed BLAKE2b hash
-- (KeyRing::LookupHash) of the login text, of the client address, or of both: never the clear
-- login, and no user row is needed, so unknown logins are counted exactly like known ones.
-- scope 'pair': one login from one address; 'client': one address, any login; 'login': one
-- login, any address. The rules are in docs/architecture.md (Security model).
CREATE TABLE login_throttle (
  scope TEXT NOT NULL CHECK (scope IN ('pair', 'client', 'login')),
  key_hash TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  failures BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL,
  trusted_until BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (scope, key_hash)
);

CREATE INDEX login_throttle_expires_at ON login_throttle (expires_at);

-- The SHA-256 of a browser session's CSRF token (NULL for bearer-token sessions).
ALTER TABLE sessions ADD COLUMN csrf_hash TEXT;

-- The per-account lock of 0001 is gone: anyone could lock any account with five requests.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
