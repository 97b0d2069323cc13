-- The double-entry ledger (src/ledger). Entries are posted in the same transaction as the business
-- change that causes them; every entry balances (enforced by SqlLedger::Post). Money is fen.

CREATE TABLE ledger_accounts (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('asset', 'liability', 'income', 'expense'))
);

INSERT INTO ledger_accounts (code, name_zh, name_en, kind) VALUES
  ('1002', '银行存款', 'Bank deposits', 'asset'),
  ('1122', '应收保费', 'Premiums receivable', 'asset'),
  ('2203', '预收保费', 'Premiums received in advance', 'liability'),
  ('2241', '其他应付款-应退保费', 'Other payables - premium refunds', 'liability'),
  ('6031', '保费收入', 'Premium income', 'income');

CREATE TABLE journal_entries (
  id TEXT PRIMARY KEY,                    -- NewId(): time-ordered
  at_ms BIGINT NOT NULL,
  memo TEXT NOT NULL,
  ref_type TEXT NOT NULL,                 -- 'receipt', 'policy', 'recovery', ...
  ref_id TEXT NOT NULL,
  org_id TEXT NOT NULL,                   -- the organisation node the money belongs to ('' = company)
  org_path TEXT NOT NULL,                 -- its path, for scoped reading ('' = head office only)
  actor_id TEXT NOT NULL                  -- user id, 'system:<name>' or 'anonymous'
);

CREATE INDEX journal_entries_ref ON journal_entries (ref_type, ref_id, at_ms);
CREATE INDEX journal_entries_at ON journal_entries (at_ms);

CREATE TABLE journal_lines (
  entry_id TEXT NOT NULL REFERENCES journal_entries (id),
  line_no BIGINT NOT NULL,
  account_code TEXT NOT NULL REFERENCES ledger_accounts (code),
  debit_fen BIGINT NOT NULL,
  credit_fen BIGINT NOT NULL,
  CHECK (debit_fen >= 0 AND credit_fen >= 0),
  CHECK ((debit_fen > 0 AND credit_fen = 0) OR (debit_fen = 0 AND credit_fen > 0)),
  PRIMARY KEY (entry_id, line_no)
);

CREATE INDEX journal_lines_account ON journal_lines (account_code);
