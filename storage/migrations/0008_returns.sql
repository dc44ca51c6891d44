-- Refunds (reso) and voids (annullo) of a documented sale: the document that refers to the
-- original, the lines it gives back, and how the money went back. A return is written before
-- its document is sent (state printing) and each later state before the next side effect.
CREATE TABLE returns (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('refund', 'void')),
    sale_id           TEXT NOT NULL REFERENCES sales(id),
    original_number   TEXT NOT NULL,            -- ZZZZ-NNNN of the receipt, or the invoice number
    original_kind     TEXT NOT NULL CHECK (original_kind IN ('receipt', 'invoice')),
    -- printing: sent or about to be; documented: issued and recorded; refused: the printer
    -- said no, nothing issued; uncertain: it may have been issued, a person must say.
    state             TEXT NOT NULL CHECK (state IN ('printing', 'documented', 'refused', 'uncertain')),
    amount_cents      INTEGER NOT NULL CHECK (amount_cents > 0),
    operator_number   INTEGER NOT NULL,
    operator_name     TEXT NOT NULL DEFAULT '',
    number            TEXT NOT NULL DEFAULT '',  -- the new document's ZZZZ-NNNN, or the credit note's number
    z_number          INTEGER NOT NULL DEFAULT 0,
    doc_number        INTEGER NOT NULL DEFAULT 0,
    printer_serial    TEXT NOT NULL DEFAULT '',
    issued_at         TEXT NOT NULL DEFAULT '',
    year              INTEGER NOT NULL DEFAULT 0, -- credit notes share the invoices' yearly numbers
    xml               TEXT NOT NULL DEFAULT '',   -- the FatturaPA TD04 of a credit note
    detail            TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX returns_by_sale ON returns(sale_id);
CREATE INDEX returns_open ON returns(state) WHERE state IN ('printing', 'uncertain');
-- One void per sale at most, unless the printer refused it.
CREATE UNIQUE INDEX returns_one_void ON returns(sale_id) WHERE kind = 'void' AND state <> 'refused';

CREATE TABLE return_lines (
    return_id    TEXT NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    sale_id      TEXT NOT NULL,
    position     INTEGER NOT NULL,             -- the sale line's position
    qty_milli    INTEGER NOT NULL CHECK (qty_milli > 0),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    PRIMARY KEY (return_id, position)
);
CREATE INDEX return_lines_by_sale_line ON return_lines(sale_id, position);

-- How the money went back, one row per means: cash handed out, a reversal on the terminal
-- (only the terminal's last transaction, STAN checked), or a person's job (manual).
CREATE TABLE return_money (
    id           TEXT PRIMARY KEY,
    return_id    TEXT NOT NULL REFERENCES returns(id) ON DELETE CASCADE,
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card', 'coverflex')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    attempt_id   TEXT NOT NULL DEFAULT '',     -- the original payment attempt, for electronic money
    device_id    TEXT NOT NULL DEFAULT '',
    stan         TEXT NOT NULL DEFAULT '',     -- the original payment's STAN
    reversal_stan TEXT NOT NULL DEFAULT '',
    -- planned: not done yet; reversing: the reversal may have reached the terminal (never sent
    -- again); done: cash out or reversed; manual: a person must do it (detail says how);
    -- unknown: the reversal's answer was lost, a person checks the terminal.
    state        TEXT NOT NULL CHECK (state IN ('planned', 'reversing', 'done', 'manual', 'unknown')),
    detail       TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL
);
CREATE INDEX return_money_by_return ON return_money(return_id);
