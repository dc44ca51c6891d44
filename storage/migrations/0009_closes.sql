-- The day's close (docs/closing.md): the close, and per terminal the reading of its totals, the
-- closing of its session and what the till holds for it. A payment belongs to the close that
-- counted it (payments.close_id), so "since the last close" does not depend on any clock.
CREATE TABLE closes (
    id                  TEXT PRIMARY KEY,
    state               TEXT NOT NULL CHECK (state IN ('terminals', 'z_printing', 'z_unknown', 'done')),
    started_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    done_at             TEXT NOT NULL DEFAULT '',
    operator            TEXT NOT NULL,
    cash_counted        INTEGER NOT NULL DEFAULT 0, -- 0 with cash_counted_set 0: not counted
    cash_counted_set    INTEGER NOT NULL DEFAULT 0,
    cash_expected_cents INTEGER NOT NULL DEFAULT 0,
    open_payments       TEXT NOT NULL DEFAULT '',   -- the open payments the manager acknowledged, JSON
    differs             INTEGER NOT NULL DEFAULT 0,
    z_number            INTEGER NOT NULL DEFAULT 0,
    z_total_cents       INTEGER NOT NULL DEFAULT 0,
    z_evidence          TEXT NOT NULL DEFAULT ''
);
-- At most one close is under way: every unfinished close has done_at ''.
CREATE UNIQUE INDEX closes_one_open ON closes(done_at) WHERE done_at = '';

CREATE TABLE close_terminals (
    close_id        TEXT NOT NULL REFERENCES closes(id),
    terminal_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    shared          INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL CHECK (state IN ('reading', 'read', 'closing', 'closed', 'unknown', 'refused')),
    terminal_cents  INTEGER NOT NULL DEFAULT 0, -- the session's total (T) read just before C
    host_cents      INTEGER NOT NULL DEFAULT 0,
    till_cents      INTEGER NOT NULL DEFAULT 0,
    coverflex_cents INTEGER NOT NULL DEFAULT 0,
    card_cents      INTEGER NOT NULL DEFAULT 0,
    evidence        TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (close_id, terminal_id)
);

ALTER TABLE payments ADD COLUMN close_id TEXT NOT NULL DEFAULT '';
-- The payments no close has counted yet: the only ones a close reads, by terminal ('' for cash).
CREATE INDEX payments_unclosed ON payments(terminal_id, state) WHERE close_id = '';
-- The payments a close counted, for its report.
CREATE INDEX payments_by_close ON payments(close_id, terminal_id) WHERE close_id <> '';

-- Money given back by a refund or a void (0008) belongs to a close the same way: cash handed
-- out comes off the drawer, a reversal off its terminal's payments.
ALTER TABLE return_money ADD COLUMN close_id TEXT NOT NULL DEFAULT '';
CREATE INDEX return_money_unclosed ON return_money(method) WHERE close_id = '';
CREATE INDEX return_money_by_close ON return_money(close_id) WHERE close_id <> '';
