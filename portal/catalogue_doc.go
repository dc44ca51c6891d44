package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"till/app/checkout"
	"till/app/tillsync/cataloguedoc"
)

// CatalogueDoc is the catalogue document of docs/spec/sync.md, declared once in
// app/tillsync/cataloguedoc for the portal that serves it and the till that applies it.
type CatalogueDoc = cataloguedoc.Document

// ErrNoCatalogue: the sales point has no catalogue to send (never made here, or without a
// department): its tills keep their own.
var ErrNoCatalogue = errors.New("no catalogue in the back office for this sales point")

// querier is a *dbConn, or a *txConn when the read must see a transaction's own writes.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// storedProduct is a product with its department's number and its category's name.
type storedProduct struct {
	checkout.Product // DepartmentID and CategoryID are the portal's ids
	number           int
	category         string
}

// storedCatalogue is the whole catalogue of a sales point, each list in document order.
type storedCatalogue struct {
	departments []checkout.Department
	categories  []checkout.Category
	products    []storedProduct
}

// readSnapshot reads the whole catalogue of a sales point: four queries, whatever its size.
func (s *Store) readSnapshot(ctx context.Context, q querier, salesPointID string) (storedCatalogue, error) {
	var c storedCatalogue
	rows, err := q.QueryContext(ctx, `SELECT id, number, name, vat_rate, nature FROM catalogue_departments
		WHERE sales_point_id = ? ORDER BY number`, salesPointID)
	if err != nil {
		return c, fmt.Errorf("read departments of %s: %w", salesPointID, err)
	}
	for rows.Next() {
		var d checkout.Department
		if err := rows.Scan(&d.ID, &d.Number, &d.Name, &d.VATRate, &d.Nature); err != nil {
			rows.Close()
			return c, err
		}
		c.departments = append(c.departments, d)
	}
	if err := closeRows(rows); err != nil {
		return c, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, name, position FROM catalogue_categories
		WHERE sales_point_id = ? ORDER BY position, name_key`, salesPointID)
	if err != nil {
		return c, fmt.Errorf("read categories of %s: %w", salesPointID, err)
	}
	for rows.Next() {
		var cat checkout.Category
		if err := rows.Scan(&cat.ID, &cat.Name, &cat.Position); err != nil {
			rows.Close()
			return c, err
		}
		c.categories = append(c.categories, cat)
	}
	if err := closeRows(rows); err != nil {
		return c, err
	}
	if err := readProducts(ctx, q, salesPointID, &c); err != nil {
		return c, err
	}
	return c, nil
}

func readProducts(ctx context.Context, q querier, salesPointID string, c *storedCatalogue) error {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.code, p.name, p.price_cents, p.department_id, COALESCE(p.category_id, ''),
		p.active, d.number, COALESCE(c.name, '')`+productJoins+` WHERE p.sales_point_id = ? ORDER BY p.code_key`, salesPointID)
	if err != nil {
		return fmt.Errorf("read products of %s: %w", salesPointID, err)
	}
	at := map[string]int{}
	for rows.Next() {
		var p storedProduct
		var active int
		if err := rows.Scan(&p.ID, &p.Code, &p.Name, &p.Price, &p.DepartmentID, &p.CategoryID, &active, &p.number, &p.category); err != nil {
			rows.Close()
			return err
		}
		p.Active = active == 1
		at[p.ID] = len(c.products)
		c.products = append(c.products, p)
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT product_id, barcode FROM catalogue_barcodes WHERE sales_point_id = ?
		ORDER BY product_id, barcode`, salesPointID)
	if err != nil {
		return fmt.Errorf("read barcodes of %s: %w", salesPointID, err)
	}
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return err
		}
		if i, ok := at[id]; ok {
			c.products[i].Barcodes = append(c.products[i].Barcodes, code)
		}
	}
	return closeRows(rows)
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// document is the catalogue as the tills receive it.
func (c storedCatalogue) document(version int64) *CatalogueDoc {
	doc := &CatalogueDoc{Format: cataloguedoc.Format, Version: version,
		Departments: make([]cataloguedoc.Department, len(c.departments)),
		Categories:  make([]cataloguedoc.Category, len(c.categories)),
		Products:    make([]cataloguedoc.Product, 0, len(c.products))}
	for i, d := range c.departments {
		doc.Departments[i] = cataloguedoc.Department{Number: d.Number, Name: d.Name, VATRate: int64(d.VATRate), Nature: d.Nature}
	}
	for i, cat := range c.categories {
		doc.Categories[i] = cataloguedoc.Category{Name: cat.Name, Position: cat.Position}
	}
	for _, p := range c.products {
		if p.Active {
			doc.Products = append(doc.Products, cataloguedoc.Product{Code: p.Code, Barcodes: p.Barcodes, Name: p.Name,
				PriceCents: int64(p.Price), Department: p.number, Category: p.category})
		}
	}
	return doc
}

// catalogueVersion reads the version of the catalogue of the till's sales point and the
// version the portal last recorded the till holding: one row, so a 304 builds nothing.
func (s *Store) catalogueVersion(ctx context.Context, till TillIdentity) (current, held int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT sp.catalogue_version, t.catalogue_version_seen FROM tills t
		JOIN sales_points sp ON sp.id = t.sales_point_id WHERE t.id = ? AND sp.id = ?`,
		till.TillID, till.SalesPointID).Scan(&current, &held)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("catalogue version of till %s: %w", till.TillID, err)
	}
	return current, held, nil
}

// noteCatalogueHeld records the catalogue version a till got; only called when it differs
// from the recorded one, and the condition makes a concurrent pull write no row.
func (s *Store) noteCatalogueHeld(ctx context.Context, tillID string, version int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE tills SET catalogue_version_seen = ?, last_sync_at = ? WHERE id = ? AND catalogue_version_seen <> ?",
		version, formatTime(s.now()), tillID, version)
	if err != nil {
		return fmt.Errorf("record catalogue version %d of till %s: %w", version, tillID, err)
	}
	return nil
}

// CatalogueFor builds the catalogue document of a sales point. The parts are read by separate
// queries, so the version is read before and after and the read repeated if a change slipped
// in: a document never carries a version it does not match. It is then checked with the
// till's own rules; one the tills would refuse is never served (they would keep an older one).
func (s *Store) CatalogueFor(ctx context.Context, salesPointID string) (*CatalogueDoc, error) {
	for range 5 {
		before, err := s.salesPointCatalogueVersion(ctx, salesPointID)
		if err != nil {
			return nil, err
		}
		if before == 0 {
			return nil, ErrNoCatalogue
		}
		c, err := s.readSnapshot(ctx, s.db, salesPointID)
		if err != nil {
			return nil, err
		}
		after, err := s.salesPointCatalogueVersion(ctx, salesPointID)
		if err != nil {
			return nil, err
		}
		if after != before {
			continue
		}
		if len(c.departments) == 0 {
			return nil, ErrNoCatalogue
		}
		doc := c.document(before)
		if err := doc.Check(); err != nil {
			return nil, fmt.Errorf("catalogue of sales point %s, version %d, would be refused by the tills: %w", salesPointID, before, err)
		}
		return doc, nil
	}
	return nil, fmt.Errorf("catalogue of sales point %s: changing too fast to read", salesPointID)
}

func (s *Store) salesPointCatalogueVersion(ctx context.Context, salesPointID string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, "SELECT catalogue_version FROM sales_points WHERE id = ?", salesPointID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return v, err
}
