package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
)

// ProductRow is a product as the product list shows it: with its department's number and name
// and its category's name.
type ProductRow struct {
	checkout.Product
	DepartmentNumber int
	DepartmentName   string
	CategoryName     string
}

// ProductPage is one page of a product search.
type ProductPage struct {
	Products []ProductRow
	Total    int // products matching, on every page
	Page     int // 1-based
	Pages    int
}

// productsPerPage bounds a page: a catalogue of 50,000 products is browsed, never sent whole.
const productsPerPage = 50

const productColumns = `p.id, p.code, p.name, p.price_cents, p.department_id, COALESCE(p.category_id, ''), p.active,
	d.number, d.name, COALESCE(c.name, '')`

const productJoins = ` FROM catalogue_products p JOIN catalogue_departments d ON d.id = p.department_id
	LEFT JOIN catalogue_categories c ON c.id = p.category_id`

func scanProduct(sc interface{ Scan(...any) error }) (ProductRow, error) {
	var p ProductRow
	var active int
	err := sc.Scan(&p.ID, &p.Code, &p.Name, &p.Price, &p.DepartmentID, &p.CategoryID, &active,
		&p.DepartmentNumber, &p.DepartmentName, &p.CategoryName)
	p.Active = active == 1
	return p, err
}

// likePattern makes a LIKE pattern that finds text anywhere, with % and _ taken literally.
func likePattern(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(text)) + "%"
}

// SearchProducts returns page (from 1) of the products of one of the account's sales points
// whose name or code contains query, or that have query as a barcode, by name. An empty query
// lists them all.
func (s *Store) SearchProducts(ctx context.Context, accountID, salesPointID, query string, page int) (ProductPage, error) {
	if _, err := s.SalesPoint(ctx, accountID, salesPointID); err != nil {
		return ProductPage{}, err
	}
	where := " WHERE p.sales_point_id = ?"
	args := []any{salesPointID}
	if q := strings.TrimSpace(query); q != "" {
		where += ` AND (LOWER(p.name) LIKE ? ESCAPE '\' OR p.code_key LIKE ? ESCAPE '\'
			OR p.id IN (SELECT product_id FROM catalogue_barcodes WHERE sales_point_id = ? AND barcode = ?))`
		args = append(args, likePattern(q), likePattern(catalogue.CodeKey(q)), salesPointID, q)
	}
	var out ProductPage
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM catalogue_products p"+where, args...).Scan(&out.Total); err != nil {
		return ProductPage{}, fmt.Errorf("count products of %s: %w", salesPointID, err)
	}
	out.Pages = max(1, (out.Total+productsPerPage-1)/productsPerPage)
	out.Page = min(max(page, 1), out.Pages)
	rows, err := s.db.QueryContext(ctx, "SELECT "+productColumns+productJoins+where+" ORDER BY p.name, p.code_key LIMIT ? OFFSET ?",
		append(args, productsPerPage, (out.Page-1)*productsPerPage)...)
	if err != nil {
		return ProductPage{}, fmt.Errorf("products of %s: %w", salesPointID, err)
	}
	defer rows.Close()
	at := map[string]int{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return ProductPage{}, err
		}
		at[p.ID] = len(out.Products)
		out.Products = append(out.Products, p)
	}
	if err := rows.Err(); err != nil {
		return ProductPage{}, err
	}
	rows.Close()
	return out, s.fillBarcodes(ctx, out.Products, at)
}

// fillBarcodes adds their barcodes to a page of products (at: product id → index).
func (s *Store) fillBarcodes(ctx context.Context, products []ProductRow, at map[string]int) error {
	if len(products) == 0 {
		return nil
	}
	args := make([]any, 0, len(products))
	for _, p := range products {
		args = append(args, p.ID)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT product_id, barcode FROM catalogue_barcodes WHERE product_id IN ("+
		strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+") ORDER BY product_id, barcode", args...)
	if err != nil {
		return fmt.Errorf("barcodes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return err
		}
		products[at[id]].Barcodes = append(products[at[id]].Barcodes, code)
	}
	return rows.Err()
}

// Product returns one product of one of the account's sales points.
func (s *Store) Product(ctx context.Context, accountID, salesPointID, id string) (ProductRow, error) {
	p, err := scanProduct(s.db.QueryRowContext(ctx, "SELECT "+productColumns+productJoins+
		` JOIN sales_points sp ON sp.id = p.sales_point_id WHERE p.id = ? AND p.sales_point_id = ? AND sp.account_id = ?`,
		id, salesPointID, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return ProductRow{}, ErrNotFound
	}
	if err != nil {
		return ProductRow{}, fmt.Errorf("product %s: %w", id, err)
	}
	list := []ProductRow{p}
	if err := s.fillBarcodes(ctx, list, map[string]int{p.ID: 0}); err != nil {
		return ProductRow{}, err
	}
	return list[0], nil
}

// SaveProduct adds a product (p.ID empty) or changes one of the sales point's. It is checked
// with the till's rules (catalogue.CheckProduct); its code and barcodes must be free in the
// sales point (a barcode moves from a product that is not for sale, as on the till), its
// department and category the sales point's. A product's code does not change once made: the
// tills know the product by it.
func (s *Store) SaveProduct(ctx context.Context, accountID, salesPointID string, p checkout.Product) (checkout.Product, error) {
	p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
	if p.ID != "" {
		stored, err := s.Product(ctx, accountID, salesPointID, p.ID)
		if err != nil {
			return p, err
		}
		p.Code = stored.Code // it never changes; the edit form does not send it
	}
	if err := problemsError("product", catalogue.CheckProduct(p)); err != nil {
		return p, err
	}
	if !validName(p.Code, 64) || !validName(p.Name, 200) {
		return p, &ValidationError{"name", "Codice (al massimo 64 caratteri) e nome (al massimo 200) non possono contenere caratteri di controllo."}
	}
	slices.Sort(p.Barcodes)
	err := s.inSalesPointTx(ctx, accountID, salesPointID, func(tx *txConn) error {
		if err := checkProductRefs(ctx, tx, salesPointID, p); err != nil {
			return err
		}
		if p.ID == "" {
			return s.insertProduct(ctx, tx, salesPointID, &p)
		}
		return s.updateProduct(ctx, tx, salesPointID, &p)
	})
	if err != nil {
		return p, fmt.Errorf("save product %q: %w", p.Code, err)
	}
	return p, nil
}

// checkProductRefs checks that the department and category are the sales point's and that
// no other product of it holds the code or one of the barcodes.
func checkProductRefs(ctx context.Context, tx *txConn, salesPointID string, p checkout.Product) error {
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM catalogue_departments WHERE id = ? AND sales_point_id = ?", p.DepartmentID, salesPointID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return &ValidationError{"department", "Scegli un reparto del punto vendita."}
	}
	if err != nil {
		return err
	}
	if p.CategoryID != "" {
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM catalogue_categories WHERE id = ? AND sales_point_id = ?", p.CategoryID, salesPointID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return &ValidationError{"category", "Scegli una categoria del punto vendita, o nessuna."}
		}
		if err != nil {
			return err
		}
	}
	if p.ID == "" {
		var code string
		err := tx.QueryRowContext(ctx, "SELECT code FROM catalogue_products WHERE sales_point_id = ? AND code_key = ?",
			salesPointID, catalogue.CodeKey(p.Code)).Scan(&code)
		if err == nil {
			return &ValidationError{"code", fmt.Sprintf("Il codice «%s» è già di un altro prodotto (%s): scegline un altro, o modifica quel prodotto.", p.Code, code)}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	for _, b := range p.Barcodes {
		var holder, code string
		var active int
		err := tx.QueryRowContext(ctx, `SELECT p.id, p.code, p.active FROM catalogue_barcodes b JOIN catalogue_products p ON p.id = b.product_id
			WHERE b.sales_point_id = ? AND b.barcode = ?`, salesPointID, b).Scan(&holder, &code, &active)
		if err == nil && holder != p.ID && active == 1 {
			return &ValidationError{"barcode", fmt.Sprintf("Il codice a barre %s è già del prodotto %s: toglilo da quello prima.", b, code)}
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

// takeBarcodes removes p's barcodes from the inactive products holding them: as on the till,
// a barcode moves from a product that is not for sale.
func takeBarcodes(ctx context.Context, tx *txConn, salesPointID string, p checkout.Product) error {
	for _, b := range p.Barcodes {
		if _, err := tx.ExecContext(ctx, "DELETE FROM catalogue_barcodes WHERE sales_point_id = ? AND barcode = ? AND product_id <> ?",
			salesPointID, b, p.ID); err != nil {
			return err
		}
	}
	return nil
}

func nullable(id string) any {
	if id == "" {
		return nil
	}
	return id
}

func (s *Store) insertProduct(ctx context.Context, tx *txConn, salesPointID string, p *checkout.Product) error {
	p.ID = newID()
	_, err := tx.ExecContext(ctx, `INSERT INTO catalogue_products (id, sales_point_id, code, code_key, name, price_cents,
		department_id, category_id, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, salesPointID, p.Code, catalogue.CodeKey(p.Code), p.Name, int64(p.Price), p.DepartmentID, nullable(p.CategoryID),
		boolInt(p.Active), formatTime(s.now()))
	if err != nil {
		return err
	}
	if err := takeBarcodes(ctx, tx, salesPointID, *p); err != nil {
		return err
	}
	if err := insertBarcodes(ctx, tx, salesPointID, p.ID, p.Barcodes); err != nil {
		return err
	}
	return bumpCatalogue(ctx, tx, salesPointID)
}

// updateProduct changes everything but the code, and bumps the version only when something did.
func (s *Store) updateProduct(ctx context.Context, tx *txConn, salesPointID string, p *checkout.Product) error {
	res, err := tx.ExecContext(ctx, `UPDATE catalogue_products SET name = ?, price_cents = ?, department_id = ?, category_id = ?,
		active = ?, updated_at = ? WHERE id = ? AND sales_point_id = ?
		AND NOT (name = ? AND price_cents = ? AND department_id = ? AND COALESCE(category_id, '') = ? AND active = ?)`,
		p.Name, int64(p.Price), p.DepartmentID, nullable(p.CategoryID), boolInt(p.Active), formatTime(s.now()), p.ID, salesPointID,
		p.Name, int64(p.Price), p.DepartmentID, p.CategoryID, boolInt(p.Active))
	if err != nil {
		return err
	}
	changed, _ := res.RowsAffected()
	var code string
	err = tx.QueryRowContext(ctx, "SELECT code FROM catalogue_products WHERE id = ? AND sales_point_id = ?", p.ID, salesPointID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	p.Code = code
	old, err := productBarcodes(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	if !slices.Equal(old, p.Barcodes) {
		changed++
		if _, err := tx.ExecContext(ctx, "DELETE FROM catalogue_barcodes WHERE product_id = ?", p.ID); err != nil {
			return err
		}
		if err := takeBarcodes(ctx, tx, salesPointID, *p); err != nil {
			return err
		}
		if err := insertBarcodes(ctx, tx, salesPointID, p.ID, p.Barcodes); err != nil {
			return err
		}
	}
	if changed == 0 {
		return nil
	}
	return bumpCatalogue(ctx, tx, salesPointID)
}

func productBarcodes(ctx context.Context, tx *txConn, productID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT barcode FROM catalogue_barcodes WHERE product_id = ? ORDER BY barcode", productID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func insertBarcodes(ctx context.Context, tx *txConn, salesPointID, productID string, barcodes []string) error {
	for _, b := range barcodes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO catalogue_barcodes (sales_point_id, barcode, product_id) VALUES (?, ?, ?)",
			salesPointID, b, productID); err != nil {
			return err
		}
	}
	return nil
}

// SetProductActive deactivates a product (it leaves the tills' sale screens, and stays for the
// sales that sold it) or makes it active again.
func (s *Store) SetProductActive(ctx context.Context, accountID, salesPointID, id string, active bool) error {
	return s.inSalesPointTx(ctx, accountID, salesPointID, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `UPDATE catalogue_products SET active = ?, updated_at = ?
			WHERE id = ? AND sales_point_id = ? AND active <> ?`, boolInt(active), formatTime(s.now()), id, salesPointID, boolInt(active))
		if err != nil {
			return err
		}
		return bumpIfChanged(ctx, tx, res, salesPointID, "catalogue_products", id)
	})
}

// ActiveCatalogueRows returns the active products of one of the account's sales points as
// catalogue file rows, by code: what the CSV download holds, and what an upload of the same
// file changes nothing with.
func (s *Store) ActiveCatalogueRows(ctx context.Context, accountID, salesPointID string) ([]catalogue.Row, error) {
	if _, err := s.SalesPoint(ctx, accountID, salesPointID); err != nil {
		return nil, err
	}
	snap, err := s.readSnapshot(ctx, s.db, salesPointID)
	if err != nil {
		return nil, err
	}
	var rows []catalogue.Row
	for _, p := range snap.products {
		if p.Active {
			rows = append(rows, catalogue.Row{Code: p.Code, Barcodes: p.Barcodes, Name: p.Name, Price: p.Price,
				Department: p.number, Category: p.category})
		}
	}
	return rows, nil
}
