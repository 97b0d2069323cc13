-- Policies (src/policies). One row per issued policy and one per party. Personal data of the
-- parties is sealed (`*_enc`, KeyRing::Seal) with keyed look-up hashes (`*_hash`,
-- KeyRing::LookupHash) and the masked name in clear for lists (RULES.md section 6).
-- Times are Unix milliseconds, money fen, dates 'YYYY-MM-DD' (Asia/Shanghai).

CREATE TABLE policies (
  id TEXT PRIMARY KEY,
  policy_no TEXT NOT NULL UNIQUE,         -- 'P' + issue date YYYYMMDD + 10 random digits
  product_code TEXT NOT NULL,
  product_version BIGINT NOT NULL,
  plan_code TEXT NOT NULL,
  status TEXT NOT NULL,                   -- see policies/policy.hpp PolicyStatus ('in_force', ...)
  premium_fen BIGINT NOT NULL CHECK (premium_fen >= 0),
  start_date TEXT NOT NULL,               -- cover from 00:00 on this date
  end_date TEXT NOT NULL,                 -- to 24:00 on this date
  issued_at BIGINT NOT NULL,
  org_id TEXT NOT NULL REFERENCES orgs (id),
  org_path TEXT NOT NULL,                 -- the issuing node's path: staff see their subtree
  source TEXT NOT NULL,                   -- 'card' | 'online' | 'counter'
  card_serial TEXT UNIQUE,                -- at most one policy per card; NULL for other sources
  coverages TEXT NOT NULL,                -- JSON array: the plan's coverages when issued
  holder_id_hash TEXT NOT NULL,           -- LookupHash('id_number', ...) of the holder's ID number
  insured_id_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX policies_org_path ON policies (org_path, id);
CREATE INDEX policies_issued_at ON policies (issued_at);
CREATE INDEX policies_product ON policies (product_code, status);
CREATE INDEX policies_holder ON policies (holder_id_hash);
CREATE INDEX policies_insured ON policies (insured_id_hash);

CREATE TABLE policy_parties (
  policy_id TEXT NOT NULL REFERENCES policies (id),
  seq BIGINT NOT NULL,                    -- holder 1, insured 2, beneficiaries 3...
  role TEXT NOT NULL CHECK (role IN ('holder', 'insured', 'beneficiary')),
  name_enc TEXT NOT NULL,
  name_masked TEXT NOT NULL,              -- MaskName: '张*'
  id_type TEXT NOT NULL,                  -- IdTypeName: 'resident_id', 'passport', ...
  id_number_enc TEXT NOT NULL,
  id_number_hash TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
  phone_enc TEXT,
  phone_hash TEXT,
  relationship TEXT NOT NULL,             -- to the insured: 'self', 'spouse', 'child', 'parent', 'other'
  share_percent BIGINT NOT NULL,          -- beneficiaries: 1-100, adding up to 100 per policy
  PRIMARY KEY (policy_id, seq)
);

CREATE INDEX policy_parties_id_number ON policy_parties (id_number_hash);
CREATE INDEX policy_parties_phone ON policy_parties (phone_hash);
