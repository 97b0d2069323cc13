-- Card sales (issue 3): the bank reference a cashier records when confirming a receipt. It may hold
-- account digits, so it is kept sealed (KeyRing::Seal, RULES.md §6) and never shown in clear.
ALTER TABLE receipts ADD COLUMN bank_reference_enc TEXT;

CREATE INDEX IF NOT EXISTS receipts_org ON receipts (org_path, issued_at);
CREATE INDEX IF NOT EXISTS card_recoveries_sales ON card_recoveries (sales_id);
