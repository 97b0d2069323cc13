-- PostgreSQL only (SQLite has no fillfactor). A message is claimed within moments of its insert;
-- the claim updates it in place only if its page has room for the new row version, and a full
-- page (the default fillfactor is 100) has none. Half of each new page is kept free for them.
-- Existing pages are not rewritten; the setting applies to pages filled from now on.
ALTER TABLE outbox_messages SET (fillfactor = 50);
