-- The first schema of the back office, the same on SQLite and PostgreSQL (only their common
-- subset: TEXT, INTEGER, BIGINT). Times are RFC 3339 UTC text, money integer cents (BIGINT).
-- Secrets (passwords, device tokens, activation codes, session ids) are stored only as hashes.
CREATE TABLE accounts (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL CHECK (name <> ''),
    owner_email       TEXT NOT NULL UNIQUE CHECK (owner_email <> ''),
    password_hash     TEXT NOT NULL,
    coverflex_enabled INTEGER NOT NULL DEFAULT 0 CHECK (coverflex_enabled IN (0, 1)),
    created_at        TEXT NOT NULL
);

-- version grows with every change that alters the configuration document of the sales point's tills.
CREATE TABLE sales_points (
    id                    TEXT PRIMARY KEY,
    account_id            TEXT NOT NULL REFERENCES accounts(id),
    name                  TEXT NOT NULL CHECK (name <> ''),
    coverflex_visible     INTEGER NOT NULL DEFAULT 0 CHECK (coverflex_visible IN (0, 1)),
    coverflex_merchant_id TEXT NOT NULL DEFAULT '',
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL
);
CREATE INDEX sales_points_by_account ON sales_points(account_id);

CREATE TABLE tills (
    id                  TEXT PRIMARY KEY,
    sales_point_id      TEXT NOT NULL REFERENCES sales_points(id),
    name                TEXT NOT NULL CHECK (name <> ''),
    token_hash          TEXT UNIQUE,
    revoked             INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    activated_at        TEXT,
    last_sync_at        TEXT,
    config_version_seen BIGINT NOT NULL DEFAULT 0,
    pending_reported    BIGINT,
    created_at          TEXT NOT NULL
);
CREATE INDEX tills_by_sales_point ON tills(sales_point_id);

-- A spent code stays (used_at set) so that reusing it answers 409 rather than 404.
CREATE TABLE activation_codes (
    code_hash  TEXT PRIMARY KEY,
    till_id    TEXT NOT NULL REFERENCES tills(id),
    created_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX activation_codes_by_till ON activation_codes(till_id);

-- Device ids are made on the tills, so they are unique only within a sales point.
CREATE TABLE payment_devices (
    sales_point_id TEXT NOT NULL REFERENCES sales_points(id),
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    model          TEXT NOT NULL,
    link           TEXT NOT NULL,
    terminal_id    TEXT NOT NULL DEFAULT '',
    registered_by  TEXT REFERENCES tills(id),
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (sales_point_id, id)
);
-- The Terminal ID is unique in a sales point; the store checks first to give a clear message,
-- this index holds even against concurrent saves.
CREATE UNIQUE INDEX payment_devices_terminal ON payment_devices(sales_point_id, terminal_id) WHERE terminal_id <> '';

CREATE TABLE device_tills (
    sales_point_id TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    till_id        TEXT NOT NULL REFERENCES tills(id),
    PRIMARY KEY (sales_point_id, device_id, till_id),
    FOREIGN KEY (sales_point_id, device_id) REFERENCES payment_devices(sales_point_id, id)
);

-- body is the sale exactly as the till sent it, unknown fields included.
CREATE TABLE sales (
    id             TEXT PRIMARY KEY,
    till_id        TEXT NOT NULL REFERENCES tills(id),
    sales_point_id TEXT NOT NULL REFERENCES sales_points(id),
    account_id     TEXT NOT NULL REFERENCES accounts(id),
    created_at     TEXT NOT NULL,
    business_day   TEXT NOT NULL,            -- date in Italy (Europe/Rome) of created_at
    total_cents    BIGINT NOT NULL,
    body           TEXT NOT NULL,
    received_at    TEXT NOT NULL
);
CREATE INDEX sales_by_account_day ON sales(account_id, business_day);
CREATE INDEX sales_by_till ON sales(till_id, created_at);

CREATE TABLE sale_payments (
    sale_id      TEXT NOT NULL REFERENCES sales(id),
    seq          INTEGER NOT NULL,
    method       TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    terminal_id  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sale_id, seq)
);

CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    csrf       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions(account_id);
