-- Operators: people who work the till, each with a number (printed on receipts as the fpmate
-- operator and written in the journal), a name, a role and a PIN stored hashed. A till with no
-- operators works as before, as operator 1.
CREATE TABLE operators (
    id          TEXT PRIMARY KEY,
    number      INTEGER NOT NULL UNIQUE CHECK (number > 0),
    name        TEXT NOT NULL CHECK (name <> ''),
    pin_hash    TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    disabled_at TEXT NOT NULL DEFAULT ''
);
-- The PIN identifies the operator: two working operators never share one. A disabled
-- operator's PIN may be given to someone new.
CREATE UNIQUE INDEX operators_by_pin ON operators(pin_hash) WHERE active = 1;

-- How this till hashes PINs, and the wrong PINs typed in a row. The salt is the till's, not
-- each operator's: a check finds the operator from the PIN with one derivation (see
-- storage/operators.go). The row is made here so every till has its own random salt.
CREATE TABLE operator_pins (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    salt         BLOB NOT NULL,
    iterations   INTEGER NOT NULL CHECK (iterations > 0),
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT NOT NULL DEFAULT ''
);
INSERT INTO operator_pins(id, salt, iterations) VALUES (1, randomblob(16), 200000);

-- Who sold: the operator's number, 1 for the sales made before operators (or without them).
ALTER TABLE sales ADD COLUMN operator_number INTEGER NOT NULL DEFAULT 1;
