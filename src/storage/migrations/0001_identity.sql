-- Identity and organisation (src/identity): the organisation tree, staff and customer users,
-- roles and permissions as data, and login sessions. Times are Unix milliseconds.

-- The organisation tree: head office -> branch -> institution -> outlet. `path` is materialised
-- ("/<root id>/<branch id>/.../<own id>/") so a subtree is one prefix comparison.
CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('head_office', 'branch', 'institution', 'outlet')),
  parent_id TEXT REFERENCES orgs (id),
  path TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX orgs_parent_id ON orgs (parent_id);

-- Staff (with an org) and customers (without). Personal data is sealed (`*_enc`, KeyRing::Seal)
-- and looked up through keyed hashes (`*_hash`, KeyRing::LookupHash), RULES.md section 6.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'customer')),
  org_id TEXT REFERENCES orgs (id),
  status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
  password_hash TEXT NOT NULL,
  phone_enc TEXT,
  phone_hash TEXT,
  id_type TEXT,
  id_number_enc TEXT,
  id_number_hash TEXT,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX users_org_id ON users (org_id);
CREATE INDEX users_phone_hash ON users (phone_hash);
CREATE UNIQUE INDEX users_id_number ON users (id_type, id_number_hash);

CREATE TABLE roles (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'customer')),
  sort_order INTEGER NOT NULL
);

CREATE TABLE permissions (
  code TEXT PRIMARY KEY,
  description TEXT NOT NULL
);

CREATE TABLE role_permissions (
  role_code TEXT NOT NULL REFERENCES roles (code),
  permission_code TEXT NOT NULL REFERENCES permissions (code),
  PRIMARY KEY (role_code, permission_code)
);

CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users (id),
  role_code TEXT NOT NULL REFERENCES roles (code),
  PRIMARY KEY (user_id, role_code)
);

CREATE INDEX user_roles_role_code ON user_roles (role_code);

-- Login sessions. Only the SHA-256 of the bearer token is stored.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  idle_timeout_ms BIGINT NOT NULL,
  client_address TEXT NOT NULL,
  revoked_at BIGINT
);

CREATE INDEX sessions_user_id ON sessions (user_id);

INSERT INTO roles (code, name_zh, name_en, kind, sort_order) VALUES
  ('system_admin', '系统管理员', 'System administrator', 'staff', 10),
  ('org_admin', '机构管理员', 'Organisation administrator', 'staff', 20),
  ('doc_admin', '单证管理员', 'Document administrator', 'staff', 30),
  ('seller', '销售人员', 'Seller', 'staff', 40),
  ('cashier', '收付费专员', 'Cashier', 'staff', 50),
  ('underwriter', '核保员', 'Underwriter', 'staff', 60),
  ('claims_handler', '理赔处理员', 'Claims handler', 'staff', 70),
  ('claims_approver', '理赔审批人', 'Claims approver', 'staff', 80),
  ('cs_agent', '客服专员', 'Customer service agent', 'staff', 90),
  ('auditor', '审计员', 'Auditor', 'staff', 100),
  ('customer', '客户', 'Customer', 'customer', 200);

INSERT INTO permissions (code, description) VALUES
  ('org.read', '查看机构 / Read organisations'),
  ('org.write', '新建和修改机构 / Create and change organisations'),
  ('user.read', '查看用户 / Read users'),
  ('user.write', '新建和修改用户 / Create and change users'),
  ('role.read', '查看角色 / Read roles'),
  ('role.assign', '分配角色 / Assign roles'),
  ('pii.reveal', '查看个人信息明文 / Reveal personal data'),
  ('audit.read', '查看审计记录 / Read audit records'),
  ('product.read', '查看产品 / Read products'),
  ('product.write', '维护产品 / Change products'),
  ('session.read', '查看本人会话 / Read own sessions');

-- The system administrator holds every permission. A later migration that adds a permission
-- also grants it to system_admin with one more INSERT INTO role_permissions.
INSERT INTO role_permissions (role_code, permission_code)
SELECT 'system_admin', code FROM permissions;

INSERT INTO role_permissions (role_code, permission_code) VALUES
  ('org_admin', 'org.read'),
  ('org_admin', 'org.write'),
  ('org_admin', 'user.read'),
  ('org_admin', 'user.write'),
  ('org_admin', 'role.read'),
  ('org_admin', 'role.assign'),
  ('org_admin', 'product.read'),
  ('org_admin', 'session.read'),
  ('doc_admin', 'org.read'),
  ('doc_admin', 'product.read'),
  ('doc_admin', 'session.read'),
  ('seller', 'org.read'),
  ('seller', 'product.read'),
  ('seller', 'session.read'),
  ('cashier', 'org.read'),
  ('cashier', 'product.read'),
  ('cashier', 'session.read'),
  ('underwriter', 'org.read'),
  ('underwriter', 'product.read'),
  ('underwriter', 'session.read'),
  ('claims_handler', 'org.read'),
  ('claims_handler', 'product.read'),
  ('claims_handler', 'session.read'),
  ('claims_approver', 'org.read'),
  ('claims_approver', 'product.read'),
  ('claims_approver', 'session.read'),
  ('cs_agent', 'org.read'),
  ('cs_agent', 'product.read'),
  ('cs_agent', 'session.read'),
  ('auditor', 'audit.read'),
  ('auditor', 'org.read'),
  ('auditor', 'user.read'),
  ('auditor', 'session.read'),
  ('customer', 'session.read');
