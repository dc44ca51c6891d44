-- The first schema: catalogue, sales with lines, payments and documents, cached configuration,
-- outbox and audit log. Money in integer cents, quantities in thousandths, times as RFC 3339 UTC.
CREATE TABLE departments (
    id         TEXT PRIMARY KEY,
    number     INTEGER NOT NULL UNIQUE CHECK (number > 0),
    name       TEXT NOT NULL CHECK (name <> ''),
    vat_rate   INTEGER NOT NULL CHECK (vat_rate >= 0 AND vat_rate < 10000),
    nature     TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    CHECK ((vat_rate = 0) = (nature <> ''))
);

CREATE TABLE products (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL CHECK (name <> ''),
    price_cents   INTEGER NOT NULL CHECK (price_cents > 0),
    department_id TEXT NOT NULL REFERENCES departments(id),
    position      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sales (
    id           TEXT PRIMARY KEY,
    business_day TEXT NOT NULL,            -- local date YYYY-MM-DD of the journal
    started_at   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    total_cents  INTEGER NOT NULL CHECK (total_cents > 0),
    state        TEXT NOT NULL CHECK (state IN ('pending', 'documented', 'cancelled')),
    updated_at   TEXT NOT NULL
);
CREATE INDEX sales_by_day ON sales(business_day, created_at);
CREATE INDEX sales_by_state ON sales(state) WHERE state <> 'documented';

CREATE TABLE sale_lines (
    sale_id           TEXT NOT NULL REFERENCES sales(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    description       TEXT NOT NULL,
    qty_milli         INTEGER NOT NULL CHECK (qty_milli > 0),
    unit_cents        INTEGER NOT NULL CHECK (unit_cents > 0),
    amount_cents      INTEGER NOT NULL,
    department_id     TEXT NOT NULL,
    department_number INTEGER NOT NULL,
    department_name   TEXT NOT NULL,
    vat_rate          INTEGER NOT NULL,
    nature            TEXT NOT NULL DEFAULT '',
    product_id        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sale_id, position)
);

CREATE TABLE payments (
    id             TEXT PRIMARY KEY,
    sale_id        TEXT NOT NULL REFERENCES sales(id) ON DELETE CASCADE,
    method         TEXT NOT NULL CHECK (method IN ('cash', 'card', 'coverflex')),
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    tendered_cents INTEGER NOT NULL DEFAULT 0,
    change_cents   INTEGER NOT NULL DEFAULT 0,
    state          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX payments_by_sale ON payments(sale_id);

CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    sale_id        TEXT NOT NULL UNIQUE REFERENCES sales(id),
    kind           TEXT NOT NULL CHECK (kind IN ('receipt', 'invoice')),
    number         TEXT NOT NULL,
    z_number       INTEGER NOT NULL DEFAULT 0,
    doc_number     INTEGER NOT NULL DEFAULT 0,
    issued_at      TEXT NOT NULL,
    amount_cents   INTEGER NOT NULL,
    printer_serial TEXT NOT NULL DEFAULT ''
);

CREATE TABLE config (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,
    document   TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref_id     TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE audit_log (
    id      TEXT PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);
