-- Indexes that no query reads, dropped: each cost every policy issue or ledger posting an index
-- insert (and its WAL on PostgreSQL) for nothing.
-- - policies_holder, policies_insured: a person's policies are found through their party rows
--   (policy_parties_id_number covers the holder, the insured and beneficiaries alike).
-- - policy_parties_phone: nothing looks a party up by phone; customers are found by their user
--   row's phone (users_phone_hash).
-- - journal_entries_at: entries are read by reference (journal_entries_ref); the trial balance sums
--   every line.
-- - journal_lines_account: the trial balance reads every line anyway, and ledger accounts are
--   never deleted, so their foreign key needs no index on the referencing side. It also had only
--   five distinct keys, so every posting inserted into the same few leaf pages.
DROP INDEX IF EXISTS policies_holder;
DROP INDEX IF EXISTS policies_insured;
DROP INDEX IF EXISTS policy_parties_phone;
DROP INDEX IF EXISTS journal_entries_at;
DROP INDEX IF EXISTS journal_lines_account;
