-- The outbox list gets its own permission (issue 6 §2): reading what was sent to whom is an
-- operations task, no longer part of audit.read. Held by the system administrator (who holds every
-- permission) and the organisation administrator, each in their own subtree.
INSERT INTO permissions (code, description) VALUES
  ('outbox.read', '查看短信发送记录 / Read the outbox of outgoing messages');

INSERT INTO role_permissions (role_code, permission_code) VALUES
  ('system_admin', 'outbox.read'),
  ('org_admin', 'outbox.read');

-- No index on org_path: the scope is an exact substr() prefix test, which no index serves; lists
-- walk outbox_messages_created newest first, and every activation's insert stays as cheap as it was.
