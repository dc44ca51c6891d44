-- The catalogue of each sales point (departments, categories, products with their barcodes),
-- which its tills pull with GET /api/v1/catalogue. catalogue_version grows with every change
-- of it and is the document's version and ETag; 0 means the owner never made one, and the
-- tills then keep their own. Products are never deleted, only deactivated, like on the tills,
-- so a code keeps meaning the same product.
ALTER TABLE sales_points ADD COLUMN catalogue_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tills ADD COLUMN catalogue_version_seen BIGINT NOT NULL DEFAULT 0;

-- vat_rate in hundredths of a percent; 0 exactly when a Natura (N1…N7) says why.
CREATE TABLE catalogue_departments (
    id             TEXT PRIMARY KEY,
    sales_point_id TEXT NOT NULL REFERENCES sales_points(id),
    number         INTEGER NOT NULL CHECK (number > 0),
    name           TEXT NOT NULL CHECK (name <> ''),
    vat_rate       INTEGER NOT NULL CHECK (vat_rate >= 0 AND vat_rate < 10000),
    nature         TEXT NOT NULL DEFAULT '',
    CHECK ((vat_rate = 0) = (nature <> '')),
    UNIQUE (sales_point_id, number)
);

CREATE TABLE catalogue_categories (
    id             TEXT PRIMARY KEY,
    sales_point_id TEXT NOT NULL REFERENCES sales_points(id),
    name           TEXT NOT NULL CHECK (name <> ''),
    name_key       TEXT NOT NULL,  -- the name in lower case: "Bar" and "bar" are one category, as on the till
    position       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sales_point_id, name_key)
);

CREATE TABLE catalogue_products (
    id             TEXT PRIMARY KEY,
    sales_point_id TEXT NOT NULL REFERENCES sales_points(id),
    code           TEXT NOT NULL CHECK (code <> ''),
    code_key       TEXT NOT NULL,  -- catalogue.CodeKey(code): "cf01" and "CF01" are one product, as on the till
    name           TEXT NOT NULL CHECK (name <> ''),
    price_cents    BIGINT NOT NULL CHECK (price_cents > 0),
    department_id  TEXT NOT NULL REFERENCES catalogue_departments(id),
    category_id    TEXT REFERENCES catalogue_categories(id),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    updated_at     TEXT NOT NULL,
    UNIQUE (sales_point_id, code_key)
);
CREATE INDEX catalogue_products_by_name ON catalogue_products(sales_point_id, name);
CREATE INDEX catalogue_products_by_department ON catalogue_products(department_id);
CREATE INDEX catalogue_products_by_category ON catalogue_products(category_id);

-- A barcode names one product of the sales point, active or not, as on the till.
CREATE TABLE catalogue_barcodes (
    sales_point_id TEXT NOT NULL REFERENCES sales_points(id),
    barcode        TEXT NOT NULL,
    product_id     TEXT NOT NULL REFERENCES catalogue_products(id),
    PRIMARY KEY (sales_point_id, barcode)
);
CREATE INDEX catalogue_barcodes_by_product ON catalogue_barcodes(product_id);
