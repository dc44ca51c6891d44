-- A shop's own catalogue and discounts. Products get the shop's code (the key of CSV files and
-- back office upserts), an optional category, an active flag (a product dropped from the
-- catalogue stays for the sales that sold it) and barcodes; categories group the sale screen.
-- catalogue_meta holds the version of the catalogue the back office last sent, so a pull with
-- the same version changes nothing. Discounts are kept as the cashier asked them (percentage
-- or amount) and as the cents they took; a line's amount_cents is now what it adds to the total
-- after its own discount and its share of the sale's.
CREATE TABLE categories (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE CHECK (name <> ''),
    position INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE products ADD COLUMN code        TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN category_id TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN active      INTEGER NOT NULL DEFAULT 1;
-- Products of earlier tills had no code: P0001, P0002… in their button order.
UPDATE products SET code = (
    SELECT 'P' || printf('%04d', n) FROM (
        SELECT id, row_number() OVER (ORDER BY position, name, id) AS n FROM products) AS numbered
    WHERE numbered.id = products.id);
CREATE UNIQUE INDEX products_by_code ON products(code);
CREATE INDEX products_by_department ON products(department_id);
-- The sale screen's list, in its order, without sorting a large catalogue at every start.
CREATE INDEX products_on_sale ON products(position, name, id) WHERE active = 1;

CREATE TABLE product_barcodes (
    barcode    TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE
);
CREATE INDEX product_barcodes_by_product ON product_barcodes(product_id);

CREATE TABLE catalogue_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,      -- the back office's catalogue version; 0 when edited here
    etag       TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL CHECK (source IN ('local', 'portal')),
    updated_at TEXT NOT NULL
);

ALTER TABLE sales ADD COLUMN discount_percent       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN discount_request_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN discount_cents         INTEGER NOT NULL DEFAULT 0; -- what it took off

ALTER TABLE sale_lines ADD COLUMN discount_percent       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sale_lines ADD COLUMN discount_request_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sale_lines ADD COLUMN discount_cents         INTEGER NOT NULL DEFAULT 0; -- the line's own
ALTER TABLE sale_lines ADD COLUMN sale_discount_cents    INTEGER NOT NULL DEFAULT 0; -- its share of the sale's
