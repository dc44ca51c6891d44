-- Payment safety: what each attempt is judged against (the terminal's last result before
-- sending, whether the terminal was this till's alone, its own timeout, when the request left)
-- and how its outcome was established; the terminal's last result as this till last saw it, read
-- in O(1) before every payment; receipts whose printing is uncertain until a person confirms.
ALTER TABLE payments ADD COLUMN prev_raw        TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN exclusive       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN work_timeout_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN sent_at         TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN evidence        TEXT NOT NULL DEFAULT '';
-- The attempts that block new electronic payments on their sale and their terminal.
CREATE INDEX payments_unresolved_by_terminal ON payments(terminal_id) WHERE state IN ('created', 'sent', 'unknown');
CREATE INDEX payments_unresolved_by_sale ON payments(sale_id) WHERE state IN ('created', 'sent', 'unknown');

CREATE TABLE terminal_state (
    terminal_id TEXT PRIMARY KEY,
    last_stan   TEXT NOT NULL,
    last_raw    TEXT NOT NULL DEFAULT '', -- the result payload byte for byte, when known
    updated_at  TEXT NOT NULL
);
-- Earlier tills knew their terminals' STANs only from their own attempts: the latest of them.
INSERT INTO terminal_state(terminal_id, last_stan, updated_at)
SELECT terminal_id, stan, updated_at FROM (
    SELECT terminal_id, CASE WHEN reversal_stan <> '' THEN reversal_stan ELSE stan END AS stan, updated_at,
           row_number() OVER (PARTITION BY terminal_id ORDER BY updated_at DESC, id DESC) AS n
    FROM payments WHERE terminal_id <> '' AND (stan <> '' OR reversal_stan <> ''))
WHERE n = 1;

ALTER TABLE sales ADD COLUMN print_uncertain_at TEXT NOT NULL DEFAULT '';
