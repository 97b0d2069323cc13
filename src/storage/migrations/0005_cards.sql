-- Prepaid insurance cards (issue 3): types, batches, stock, sales, receipts, invoices, recoveries.
-- Times are Unix milliseconds; money is fen; ids are NewId() text.

CREATE TABLE card_types (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,              -- document type code (单证类型代码), e.g. "TRV7"
  name TEXT NOT NULL,
  serial_prefix TEXT NOT NULL UNIQUE,     -- 2-4 upper-case letters starting every serial
  product_code TEXT NOT NULL,
  plan_codes TEXT NOT NULL,               -- JSON array of the plans a holder may choose
  default_plan_code TEXT NOT NULL,        -- used by SMS activation
  term_unit TEXT NOT NULL,                -- 'day' | 'month' | 'year'
  term_value BIGINT NOT NULL,
  face_value_fen BIGINT NOT NULL,         -- the premium
  validity_days BIGINT NOT NULL,          -- a batch's cards must be activated within this many days
  start_rule TEXT NOT NULL,               -- 'next_day' | 'holder_choice'
  start_within_days BIGINT NOT NULL,      -- holder_choice: latest start, days after activation
  status TEXT NOT NULL,                   -- 'active' | 'disabled'
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE card_batches (
  id TEXT PRIMARY KEY,
  batch_no TEXT NOT NULL UNIQUE,
  card_type_id TEXT NOT NULL REFERENCES card_types (id),
  org_id TEXT NOT NULL REFERENCES orgs (id),  -- the head office that created it
  quantity BIGINT NOT NULL,
  first_seq BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  valid_until BIGINT NOT NULL,            -- cards not activated by then expire
  export_secret TEXT,                     -- sealed per-batch secret the passwords derive from; NULL once exported
  exported_at BIGINT,
  exported_by TEXT,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE INDEX card_batches_type ON card_batches (card_type_id, first_seq);

CREATE TABLE cards (
  serial TEXT PRIMARY KEY,                -- prefix + 10-digit sequence + check digit
  card_type_id TEXT NOT NULL REFERENCES card_types (id),
  batch_id TEXT NOT NULL REFERENCES card_batches (id),
  seq BIGINT NOT NULL,
  password_hash TEXT NOT NULL,            -- KeyRing::LookupHash("card_password", serial + ":" + password)
  status TEXT NOT NULL,                   -- see cards/card.hpp CardStatus
  status_before_freeze TEXT,
  holder_type TEXT NOT NULL,              -- 'org' | 'person'
  holder_id TEXT NOT NULL,                -- org id or user id
  holder_org_id TEXT NOT NULL,            -- the node whose subtree holds it (a person's own node)
  holder_org_path TEXT NOT NULL,
  sales_id TEXT,
  policy_id TEXT,
  failed_attempts BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  valid_until BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (card_type_id, seq)
);

CREATE INDEX cards_type_status_path ON cards (card_type_id, status, holder_org_path);
CREATE INDEX cards_holder ON cards (holder_id, status);
CREATE INDEX cards_sales ON cards (sales_id);
CREATE INDEX cards_valid_until ON cards (valid_until, status);

-- Per-card history (sale, payment, activation, reversal, freeze, expiry, ...).
CREATE TABLE card_events (
  id TEXT PRIMARY KEY,
  serial TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  ref_type TEXT,                          -- 'sale', 'receipt', 'recovery', 'policy', 'movement'
  ref_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX card_events_serial ON card_events (serial, at_ms);

-- Range movements along the organisation tree (下发登记 issue / 回收登记 recall): one row per range.
CREATE TABLE card_movements (
  id TEXT PRIMARY KEY,
  movement_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                     -- 'issue' | 'recall'
  card_type_id TEXT NOT NULL REFERENCES card_types (id),
  first_seq BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  quantity BIGINT NOT NULL,
  from_type TEXT NOT NULL,
  from_id TEXT NOT NULL,
  to_type TEXT NOT NULL,
  to_id TEXT NOT NULL,
  to_org_id TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  actor_id TEXT NOT NULL
);

CREATE INDEX card_movements_range ON card_movements (card_type_id, first_seq, last_seq);

-- Sales registration (销售登记): the sales id ties the cards to a charge receipt.
CREATE TABLE card_sales (
  id TEXT PRIMARY KEY,
  sales_no TEXT NOT NULL UNIQUE,
  card_type_id TEXT NOT NULL REFERENCES card_types (id),
  org_id TEXT NOT NULL REFERENCES orgs (id),     -- the registering institution
  org_path TEXT NOT NULL,
  seller_org_code TEXT NOT NULL,
  seller_code TEXT NOT NULL,                     -- the seller's login
  business_source TEXT NOT NULL,                 -- 'direct' | 'agency' | 'broker' | 'bancassurance' | 'online'
  quantity BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  status TEXT NOT NULL,                          -- 'registered' | 'receipted' | 'paid' | 'reversed'
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE INDEX card_sales_org ON card_sales (org_path, created_at);

-- Reverse processing (反向处理): the recovery id ties returned cards to a refund receipt.
CREATE TABLE card_recoveries (
  id TEXT PRIMARY KEY,
  recovery_no TEXT NOT NULL UNIQUE,
  sales_id TEXT NOT NULL REFERENCES card_sales (id),
  org_id TEXT NOT NULL REFERENCES orgs (id),
  org_path TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  disposition TEXT NOT NULL,                     -- 'restock' | 'void'
  reason TEXT NOT NULL,
  status TEXT NOT NULL,                          -- 'registered' | 'refunded'
  paid_before BIGINT NOT NULL,                   -- 1 if the cards had been paid (a refund is due)
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE card_recovery_cards (
  recovery_id TEXT NOT NULL REFERENCES card_recoveries (id),
  serial TEXT NOT NULL,
  PRIMARY KEY (recovery_id, serial)
);

-- Charge receipts (收费收据) and refund receipts, issued by a cashier and confirmed on receipt of funds.
CREATE TABLE receipts (
  id TEXT PRIMARY KEY,
  receipt_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                            -- 'charge' | 'refund'
  sales_id TEXT REFERENCES card_sales (id),
  recovery_id TEXT REFERENCES card_recoveries (id),
  org_id TEXT NOT NULL REFERENCES orgs (id),
  org_path TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,                    -- positive; a refund pays it out
  status TEXT NOT NULL,                          -- 'issued' | 'confirmed'
  payer_name TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  issued_by TEXT NOT NULL,
  confirmed_at BIGINT,
  confirmed_by TEXT,
  UNIQUE (sales_id, kind),
  UNIQUE (recovery_id, kind)
);

-- Invoices: blue for a confirmed charge, red-letter (红字发票) for a refund, pointing at the original.
CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  invoice_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                            -- 'blue' | 'red'
  receipt_id TEXT NOT NULL UNIQUE REFERENCES receipts (id),
  original_invoice_id TEXT REFERENCES invoices (id),
  org_id TEXT NOT NULL REFERENCES orgs (id),
  org_path TEXT NOT NULL,
  buyer_name TEXT NOT NULL,
  amount_fen BIGINT NOT NULL,                    -- negative on a red invoice
  issued_at BIGINT NOT NULL,
  issued_by TEXT NOT NULL
);

-- Activation attempts per client address, to slow guessing across many cards.
CREATE TABLE card_activation_throttle (
  client_key TEXT PRIMARY KEY,                   -- keyed hash of the client address
  failures BIGINT NOT NULL,
  window_start BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL
);

INSERT INTO permissions (code, description) VALUES
  ('card.type.manage', 'Create and change card types'),
  ('card.batch.create', 'Create card batches (head office)'),
  ('card.batch.export', 'Export a batch''s card passwords once, for the card printer'),
  ('card.stock.move', 'Issue and recall card stock along the organisation tree'),
  ('card.read', 'Read cards, their history and stock'),
  ('card.sale', 'Register card sales and reverse them'),
  ('card.payment', 'Issue receipts and confirm payments and refunds'),
  ('card.freeze', 'Report cards lost and unfreeze them'),
  ('card.report', 'Card stock, sales, activation and ageing reports'),
  ('policy.read', 'Read policies'),
  ('ledger.read', 'Read the ledger'),
  ('invoice.read', 'Read receipts and invoices');

INSERT INTO role_permissions (role_code, permission_code)
SELECT 'system_admin', code FROM permissions WHERE code LIKE 'card.%' OR code IN ('policy.read', 'ledger.read', 'invoice.read');

INSERT INTO role_permissions (role_code, permission_code) VALUES
  ('doc_admin', 'card.type.manage'),
  ('doc_admin', 'card.batch.create'),
  ('doc_admin', 'card.batch.export'),
  ('doc_admin', 'card.stock.move'),
  ('doc_admin', 'card.read'),
  ('doc_admin', 'card.sale'),
  ('doc_admin', 'card.freeze'),
  ('doc_admin', 'card.report'),
  ('doc_admin', 'invoice.read'),
  ('seller', 'card.read'),
  ('cashier', 'card.read'),
  ('cashier', 'card.payment'),
  ('cashier', 'invoice.read'),
  ('cashier', 'ledger.read'),
  ('underwriter', 'policy.read'),
  ('claims_handler', 'policy.read'),
  ('claims_approver', 'policy.read'),
  ('cs_agent', 'policy.read'),
  ('cs_agent', 'card.read'),
  ('cs_agent', 'card.freeze'),
  ('auditor', 'card.read'),
  ('auditor', 'card.report'),
  ('auditor', 'policy.read'),
  ('auditor', 'ledger.read'),
  ('auditor', 'invoice.read');
