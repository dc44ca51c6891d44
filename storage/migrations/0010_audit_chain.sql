-- The tamper-evident audit chain (docs/audit.md): one entry per write of a sale, a payment, a
-- document, an audit_log row and the records other parts register, appended in the write's
-- transaction. Each entry's hash covers the previous entry's hash and the record's content as
-- the till wrote it, so an edit with sqlite3, a deleted row and a deleted or reordered entry
-- show when `till audit verify` recomputes them. seq is the order of appending (no rowid reuse
-- matters: the till numbers the entries itself, one after the last).
CREATE TABLE audit_chain (
    seq          INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    ref_id       TEXT NOT NULL,
    at           TEXT NOT NULL,
    content_hash TEXT NOT NULL, -- hex SHA-256 of the record's canonical content
    prev_hash    TEXT NOT NULL, -- the previous entry's hash, '' for the first
    hash         TEXT NOT NULL  -- hex SHA-256 over seq, kind, ref_id, at, content_hash, prev_hash
);
-- The genesis entry, sealed by the first write (or verify) after this migration: sealing it
-- chains every record the file already held, which SQL alone cannot hash.
INSERT INTO audit_chain(seq, kind, ref_id, at, content_hash, prev_hash, hash) VALUES (1, 'genesis', '', '', '', '', '');
