-- Electronic payments (card, Coverflex) as attempts with their terminal data; invoices with
-- their customers and yearly numbering; the printer's state noted before printing, so an
-- unknown print outcome can be reconciled after a crash.
ALTER TABLE payments ADD COLUMN requested_cents  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN device_id        TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN terminal_id      TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN merchant_id      TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN prev_stan        TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN masked_pan       TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN auth_code        TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN stan             TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN acquirer_id      TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN operation_number TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN entry_mode       TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN card_type        TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN host_datetime    TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN terminal_text    TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN reversal_stan    TEXT NOT NULL DEFAULT '';
CREATE INDEX payments_open ON payments(state) WHERE state IN ('created', 'sent', 'unknown', 'approved');
CREATE INDEX payments_by_terminal_stan ON payments(terminal_id, stan);

ALTER TABLE sales ADD COLUMN document_kind       TEXT NOT NULL DEFAULT 'receipt';
ALTER TABLE sales ADD COLUMN customer_id         TEXT NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN print_started_at    TEXT NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN print_before_z      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN print_before_number INTEGER NOT NULL DEFAULT 0;

ALTER TABLE documents ADD COLUMN year   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN xml    TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN copies INTEGER NOT NULL DEFAULT 0; -- reprints, never new documents

CREATE TABLE customers (
    id             TEXT PRIMARY KEY,
    company        TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',
    surname        TEXT NOT NULL DEFAULT '',
    vat_number     TEXT NOT NULL DEFAULT '',
    tax_code       TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    cap            TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    province       TEXT NOT NULL DEFAULT '',
    recipient_code TEXT NOT NULL DEFAULT '',
    pec            TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    last_used_at   TEXT NOT NULL
);
CREATE INDEX customers_by_use ON customers(last_used_at DESC);

CREATE TABLE invoice_counters (
    year        INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);
