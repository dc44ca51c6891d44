package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"till/app/catalogue"
	"till/app/checkout"
	"till/money"
)

// ErrNoProduct is returned for a product id the catalogue does not hold.
var ErrNoProduct = errors.New("no such product")

// ErrCatalogueManaged: the catalogue comes from the back office, which owns it; an edit made on
// the till would be overwritten by the next pull, so it is refused (edit it in the portal).
var ErrCatalogueManaged = errors.New("the catalogue is managed by the back office")

// refuseManaged fails with ErrCatalogueManaged, inside the writing transaction, when the
// catalogue was last set by the back office.
func refuseManaged(ctx context.Context, tx *sql.Tx) error {
	var source string
	err := tx.QueryRowContext(ctx, `SELECT source FROM catalogue_meta WHERE id = 1`).Scan(&source)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case source == catalogue.SourcePortal:
		return ErrCatalogueManaged
	}
	return nil
}

// The catalogue's listings, read at start. They read their tables whole: a catalogue does not
// grow with the history. Products on sale come in the order of products_on_sale, so 50,000 of
// them need no sort; barcodes are sorted per product in Go.
const (
	departmentsSQL = `SELECT id, number, name, vat_rate, nature FROM departments ORDER BY position, number`
	categoriesSQL  = `SELECT id, name, position FROM categories ORDER BY position, name`
	productsSQL    = `SELECT id, code, name, price_cents, department_id, category_id, active FROM products
		WHERE active = 1 ORDER BY position, name, id`
	allProductsSQL = `SELECT id, code, name, price_cents, department_id, category_id, active FROM products
		ORDER BY position, name, id`
	barcodesSQL = `SELECT product_id, barcode FROM product_barcodes`
)

// Departments lists the departments in button order.
func (d *DB) Departments(ctx context.Context) ([]checkout.Department, error) {
	rows, err := d.sql.QueryContext(ctx, departmentsSQL)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	defer rows.Close()
	var out []checkout.Department
	for rows.Next() {
		var dep checkout.Department
		if err := rows.Scan(&dep.ID, &dep.Number, &dep.Name, &dep.VATRate, &dep.Nature); err != nil {
			return nil, err
		}
		out = append(out, dep)
	}
	return out, rows.Err()
}

// Categories lists the categories in button order.
func (d *DB) Categories(ctx context.Context) ([]checkout.Category, error) {
	rows, err := d.sql.QueryContext(ctx, categoriesSQL)
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	defer rows.Close()
	var out []checkout.Category
	for rows.Next() {
		var c checkout.Category
		if err := rows.Scan(&c.ID, &c.Name, &c.Position); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Products lists the active products in button order, with their barcodes in ascending order.
func (d *DB) Products(ctx context.Context) ([]checkout.Product, error) {
	return listProducts(ctx, d.sql, true)
}

// AllProducts lists every product, active or not, in button order, with their barcodes: the
// manager's screen shows the inactive ones to bring them back.
func (d *DB) AllProducts(ctx context.Context) ([]checkout.Product, error) {
	return listProducts(ctx, d.sql, false)
}

func listProducts(ctx context.Context, q queryer, activeOnly bool) ([]checkout.Product, error) {
	query := allProductsSQL
	if activeOnly {
		query = productsSQL
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	var out []checkout.Product
	at := map[string]int{}
	for rows.Next() {
		var p checkout.Product
		if err := rows.Scan(&p.ID, &p.Code, &p.Name, &p.Price, &p.DepartmentID, &p.CategoryID, &p.Active); err != nil {
			rows.Close()
			return nil, err
		}
		at[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	rows, err = q.QueryContext(ctx, barcodesSQL)
	if err != nil {
		return nil, fmt.Errorf("list barcodes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if i, ok := at[id]; ok {
			out[i].Barcodes = append(out[i].Barcodes, code)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list barcodes: %w", err)
	}
	for i := range out {
		if len(out[i].Barcodes) > 1 {
			slices.Sort(out[i].Barcodes) // one order, so that exports and comparisons are stable
		}
	}
	return out, nil
}

// CatalogueMeta says where the catalogue last came from.
type CatalogueMeta struct {
	Version   int64  // the back office's catalogue version; 0 after an edit on the till
	ETag      string // the back office's ETag of that version
	Source    string // catalogue.SourcePortal or catalogue.SourceLocal; "" if never recorded
	UpdatedAt time.Time
}

// CatalogueMeta is the catalogue's origin; the zero CatalogueMeta for a catalogue nobody has
// imported, edited or sent yet (the demo one, or one from before catalogues had an origin).
func (d *DB) CatalogueMeta(ctx context.Context) (CatalogueMeta, error) {
	var m CatalogueMeta
	var at string
	err := d.sql.QueryRowContext(ctx, `SELECT version, etag, source, updated_at FROM catalogue_meta WHERE id = 1`).
		Scan(&m.Version, &m.ETag, &m.Source, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return CatalogueMeta{}, nil
	}
	if err != nil {
		return CatalogueMeta{}, fmt.Errorf("read catalogue origin: %w", err)
	}
	m.UpdatedAt = parseTime(at)
	return m, nil
}

func setCatalogueMeta(ctx context.Context, tx *sql.Tx, version int64, etag, source string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO catalogue_meta(id, version, etag, source, updated_at) VALUES (1,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET version = excluded.version, etag = excluded.etag, source = excluded.source,
		updated_at = excluded.updated_at`, version, etag, source, formatTime(time.Now()))
	return err
}

// ImportResult counts what an import changed. A product whose only change is its place in the
// list is not counted, so importing an export reports no changes.
type ImportResult struct {
	Added, Updated, Deactivated int
}

// ImportCatalogue writes rows read from a catalogue file, in one transaction: products are
// matched by code (ASCII case ignored) and added or updated, with their barcodes; categories
// named by the rows and not found (case ignored) are created at the end of the list; an inactive
// product in the file becomes active again. With replace, the file is the whole catalogue:
// products missing from it are deactivated (never deleted: sale lines refer to them) and the
// file's order becomes the button order; without, existing products keep their place and new
// ones go at the end. A barcode still held by an active product that stays is refused. Any
// problem, listed as a *catalogue.Invalid with the rows' lines, leaves the catalogue as it was.
func (d *DB) ImportCatalogue(ctx context.Context, rows []catalogue.Row, replace bool) (ImportResult, error) {
	if len(rows) == 0 {
		// With replace this would take every product off sale: never what an empty file means.
		return ImportResult{}, fmt.Errorf("import catalogue: %w", &catalogue.Invalid{Problems: []catalogue.Problem{{Code: catalogue.ProblemEmpty}}})
	}
	var res ImportResult
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := refuseManaged(ctx, tx); err != nil {
			return err
		}
		cur, err := loadCatalogue(ctx, tx)
		if err != nil {
			return err
		}
		items := make([]incoming, len(rows))
		var problems []catalogue.Problem
		names := make([]string, 0, len(rows))
		for i, r := range rows {
			names = append(names, r.Category)
			p := checkout.Product{Code: r.Code, Name: r.Name, Price: r.Price, Barcodes: r.Barcodes,
				DepartmentID: cur.departments[r.Department]}
			if p.DepartmentID == "" {
				problems = append(problems, catalogue.Problem{Line: r.Line, Field: "department",
					Code: catalogue.ProblemDepartment, Value: fmt.Sprint(r.Department)})
			}
			items[i] = incoming{line: r.Line, p: p, category: r.Category}
		}
		if len(problems) > 0 {
			return &catalogue.Invalid{Problems: problems}
		}
		cats, err := ensureCategories(ctx, tx, cur, names)
		if err != nil {
			return err
		}
		for i := range items {
			items[i].p.CategoryID = cats[categoryKey(items[i].category)]
		}
		res, err = upsertProducts(ctx, tx, cur, items, replace)
		if err != nil || res == (ImportResult{}) {
			return err
		}
		if err := setCatalogueMeta(ctx, tx, 0, "", catalogue.SourceLocal); err != nil {
			return err
		}
		return audit(ctx, tx, "manager", "catalogue_import", "",
			fmt.Sprintf("added %d, updated %d, deactivated %d; replace %v", res.Added, res.Updated, res.Deactivated, replace))
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import catalogue: %w", err)
	}
	return res, nil
}

// ApplyPortalCatalogue makes c the till's catalogue, all or nothing: departments are matched
// by number (name, VAT rate and nature updated, new numbers added, the snapshot's order becomes
// the button order, departments it leaves out stay); categories by name (case ignored), and
// the ones it leaves out are removed from the till and from their products; products by code,
// added or updated, and those it leaves out deactivated. The origin becomes the portal's
// version and etag. A snapshot that fails c.Check changes nothing.
func (d *DB) ApplyPortalCatalogue(ctx context.Context, c catalogue.Snapshot, version int64, etag string) error {
	if err := c.Check(); err != nil {
		return fmt.Errorf("apply catalogue %d from the back office: %w", version, err)
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := loadCatalogue(ctx, tx)
		if err != nil {
			return err
		}
		depIDs, err := applyDepartments(ctx, tx, cur, c.Departments)
		if err != nil {
			return err
		}
		catIDs, err := applyCategories(ctx, tx, cur, c.Categories)
		if err != nil {
			return err
		}
		items := make([]incoming, len(c.Products))
		for i, p := range c.Products {
			p.DepartmentID, p.CategoryID = depIDs[p.DepartmentID], catIDs[p.CategoryID]
			items[i] = incoming{p: p}
		}
		res, err := upsertProducts(ctx, tx, cur, items, true)
		if err != nil {
			return err
		}
		if err := setCatalogueMeta(ctx, tx, version, etag, catalogue.SourcePortal); err != nil {
			return err
		}
		return audit(ctx, tx, "portal", "catalogue_from_portal", fmt.Sprint(version),
			fmt.Sprintf("added %d, updated %d, deactivated %d", res.Added, res.Updated, res.Deactivated))
	})
	if err != nil {
		return fmt.Errorf("apply catalogue %d from the back office: %w", version, err)
	}
	return nil
}

// SaveProduct adds p, or updates the product with p.ID, with exactly p's barcodes. An empty ID
// gets a new one; a caller that needs to know it sets p.ID = NewID() first. A new product is
// active and goes at the end of the list; an existing one keeps its place and its active flag
// (SetProductActive changes that). The department must exist, the category too when set; a
// code used by another product, or a barcode held by another active product, is refused with a
// *catalogue.Invalid (a barcode of an inactive product moves to this one).
func (d *DB) SaveProduct(ctx context.Context, p checkout.Product) error {
	p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
	if p.ID == "" {
		p.ID = NewID()
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := refuseManaged(ctx, tx); err != nil {
			return err
		}
		problems := catalogue.CheckProduct(p)
		if err := checkProductRefs(ctx, tx, p, &problems); err != nil {
			return err
		}
		if len(problems) > 0 {
			return &catalogue.Invalid{Problems: problems}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO products(id, code, name, price_cents, department_id, category_id, active, position)
			VALUES (?1,?2,?3,?4,?5,?6,1,(SELECT coalesce(max(position), -1) + 1 FROM products))
			ON CONFLICT(id) DO UPDATE SET code = ?2, name = ?3, price_cents = ?4, department_id = ?5, category_id = ?6`,
			p.ID, p.Code, p.Name, p.Price, p.DepartmentID, p.CategoryID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM product_barcodes WHERE product_id = ?`, p.ID); err != nil {
			return err
		}
		for _, b := range p.Barcodes {
			// A barcode of an inactive product was let through by checkProductRefs: it moves here.
			if _, err := tx.ExecContext(ctx, `INSERT INTO product_barcodes(barcode, product_id) VALUES (?,?)
				ON CONFLICT(barcode) DO UPDATE SET product_id = excluded.product_id`, b, p.ID); err != nil {
				return err
			}
		}
		return setCatalogueMeta(ctx, tx, 0, "", catalogue.SourceLocal)
	})
	if err != nil {
		return fmt.Errorf("save product %s: %w", p.Code, err)
	}
	return nil
}

// checkProductRefs adds to problems what only the database can tell about p: a department or
// category that does not exist, a code or barcode that another product has.
func checkProductRefs(ctx context.Context, tx *sql.Tx, p checkout.Product, problems *[]catalogue.Problem) error {
	add := func(pr catalogue.Problem) { *problems = append(*problems, pr) }
	if p.DepartmentID != "" && !exists(ctx, tx, `SELECT 1 FROM departments WHERE id = ?`, p.DepartmentID) {
		add(catalogue.Problem{Field: "department", Code: catalogue.ProblemDepartment, Value: p.DepartmentID})
	}
	if p.CategoryID != "" && !exists(ctx, tx, `SELECT 1 FROM categories WHERE id = ?`, p.CategoryID) {
		add(catalogue.Problem{Field: "category", Code: catalogue.ProblemCategory, Value: p.CategoryID})
	}
	var other string
	err := tx.QueryRowContext(ctx, `SELECT code FROM products WHERE code = ? COLLATE NOCASE AND id <> ? LIMIT 1`, p.Code, p.ID).Scan(&other)
	switch {
	case err == nil && p.Code != "":
		add(catalogue.Problem{Field: "code", Code: catalogue.ProblemDuplicate, Value: p.Code, Holder: other})
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return err
	}
	for _, b := range p.Barcodes {
		var holder string
		err := tx.QueryRowContext(ctx, `SELECT p.code FROM product_barcodes b JOIN products p ON p.id = b.product_id
			WHERE b.barcode = ? AND b.product_id <> ? AND p.active = 1`, b, p.ID).Scan(&holder)
		switch {
		case err == nil:
			add(catalogue.Problem{Field: "barcode", Code: catalogue.ProblemDuplicate, Value: b, Holder: holder})
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
	}
	return nil
}

func exists(ctx context.Context, tx *sql.Tx, query string, args ...any) bool {
	var one int
	return tx.QueryRowContext(ctx, query, args...).Scan(&one) == nil
}

// SetProductActive takes a product off the catalogue (the sale screen and exports no longer
// show it) or brings it back; it is never deleted, since sale lines refer to it.
func (d *DB) SetProductActive(ctx context.Context, id string, active bool) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := refuseManaged(ctx, tx); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE products SET active = ? WHERE id = ?`, active, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNoProduct
		}
		return setCatalogueMeta(ctx, tx, 0, "", catalogue.SourceLocal)
	})
	if err != nil {
		return fmt.Errorf("set product %s active=%v: %w", id, active, err)
	}
	return nil
}

// SaveCategory adds c, or renames and moves the category with c.ID (an empty ID gets a new
// one). A name another category has (case ignored) is refused with a *catalogue.Invalid.
func (d *DB) SaveCategory(ctx context.Context, c checkout.Category) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.ID == "" {
		c.ID = NewID()
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := refuseManaged(ctx, tx); err != nil {
			return err
		}
		if c.Name == "" {
			return &catalogue.Invalid{Problems: []catalogue.Problem{{Field: "name", Code: catalogue.ProblemMissing}}}
		}
		taken := false // compared as imports compare them, accents' case too (SQL lower() is ASCII only)
		err := scanEach(ctx, tx, `SELECT id, name FROM categories`, func(rows *sql.Rows) error {
			var id, name string
			err := rows.Scan(&id, &name)
			taken = taken || (id != c.ID && categoryKey(name) == categoryKey(c.Name))
			return err
		})
		if err != nil {
			return err
		}
		if taken {
			return &catalogue.Invalid{Problems: []catalogue.Problem{{Field: "name", Code: catalogue.ProblemDuplicate, Value: c.Name}}}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO categories(id, name, position) VALUES (?1,?2,?3)
			ON CONFLICT(id) DO UPDATE SET name = ?2, position = ?3`, c.ID, c.Name, c.Position); err != nil {
			return err
		}
		return setCatalogueMeta(ctx, tx, 0, "", catalogue.SourceLocal)
	})
	if err != nil {
		return fmt.Errorf("save category %q: %w", c.Name, err)
	}
	return nil
}

// SaveDepartment adds dep, or updates the department with dep.ID (an empty ID gets a new one);
// a new department goes at the end of the list. The rules are catalogue.CheckDepartment's, and
// a number another department has is refused, with a *catalogue.Invalid. Sales already made
// keep the rate they were made with: sale lines copy it.
func (d *DB) SaveDepartment(ctx context.Context, dep checkout.Department) error {
	dep.Name = strings.TrimSpace(dep.Name)
	if dep.ID == "" {
		dep.ID = NewID()
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if err := refuseManaged(ctx, tx); err != nil {
			return err
		}
		problems := catalogue.CheckDepartment(dep)
		if exists(ctx, tx, `SELECT 1 FROM departments WHERE number = ? AND id <> ?`, dep.Number, dep.ID) {
			problems = append(problems, catalogue.Problem{Field: "number", Code: catalogue.ProblemDuplicate, Value: fmt.Sprint(dep.Number)})
		}
		if len(problems) > 0 {
			return &catalogue.Invalid{Problems: problems}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO departments(id, number, name, vat_rate, nature, position)
			VALUES (?1,?2,?3,?4,?5,(SELECT coalesce(max(position), -1) + 1 FROM departments))
			ON CONFLICT(id) DO UPDATE SET number = ?2, name = ?3, vat_rate = ?4, nature = ?5`,
			dep.ID, dep.Number, dep.Name, dep.VATRate, dep.Nature); err != nil {
			return err
		}
		return setCatalogueMeta(ctx, tx, 0, "", catalogue.SourceLocal)
	})
	if err != nil {
		return fmt.Errorf("save department %d: %w", dep.Number, err)
	}
	return nil
}

// storedProduct is a product as the database has it, for an import to compare against.
type storedProduct struct {
	checkout.Product
	position int
}

// current is the catalogue in the database at the start of an import or a portal update.
type current struct {
	products      []storedProduct
	byCode        map[string]int    // catalogue.CodeKey(code) → index in products
	holder        map[string]int    // barcode → index in products
	departments   map[int]string    // number → id
	categories    map[string]string // categoryKey(name) → id
	maxPosition   int
	maxCategory   int
	maxDepartment int
}

func loadCatalogue(ctx context.Context, tx *sql.Tx) (*current, error) {
	all, err := listProducts(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	c := &current{byCode: make(map[string]int, len(all)), holder: make(map[string]int, len(all)),
		departments: map[int]string{}, categories: map[string]string{}, maxPosition: -1, maxCategory: -1, maxDepartment: -1}
	positions := map[string]int{}
	err = scanEach(ctx, tx, `SELECT id, position FROM products`, func(rows *sql.Rows) error {
		var id string
		var pos int
		err := rows.Scan(&id, &pos)
		positions[id] = pos
		c.maxPosition = max(c.maxPosition, pos)
		return err
	})
	if err != nil {
		return nil, err
	}
	c.products = make([]storedProduct, len(all))
	for i, p := range all {
		c.products[i] = storedProduct{Product: p, position: positions[p.ID]}
		if _, dup := c.byCode[catalogue.CodeKey(p.Code)]; !dup {
			c.byCode[catalogue.CodeKey(p.Code)] = i
		}
		for _, b := range p.Barcodes {
			c.holder[b] = i
		}
	}
	err = scanEach(ctx, tx, `SELECT id, number, position FROM departments`, func(rows *sql.Rows) error {
		var id string
		var number, pos int
		err := rows.Scan(&id, &number, &pos)
		c.departments[number] = id
		c.maxDepartment = max(c.maxDepartment, pos)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = scanEach(ctx, tx, `SELECT id, name, position FROM categories`, func(rows *sql.Rows) error {
		var id, name string
		var pos int
		err := rows.Scan(&id, &name, &pos)
		c.categories[categoryKey(name)] = id
		c.maxCategory = max(c.maxCategory, pos)
		return err
	})
	return c, err
}

func scanEach(ctx context.Context, tx *sql.Tx, query string, each func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// categoryKey is how category names are compared: "Bevande" and " bevande" are one category.
func categoryKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// ensureCategories returns the id of every named category (by categoryKey), creating the
// missing ones at the end of the list in the order they are first named.
func ensureCategories(ctx context.Context, tx *sql.Tx, cur *current, names []string) (map[string]string, error) {
	out := map[string]string{}
	for _, name := range names {
		key := categoryKey(name)
		if key == "" || out[key] != "" {
			continue
		}
		id, ok := cur.categories[key]
		if !ok {
			id = NewID()
			cur.maxCategory++
			if _, err := tx.ExecContext(ctx, `INSERT INTO categories(id, name, position) VALUES (?,?,?)`,
				id, strings.TrimSpace(name), cur.maxCategory); err != nil {
				return nil, err
			}
			cur.categories[key] = id
		}
		out[key] = id
	}
	return out, nil
}

// applyCategories makes the till's categories the snapshot's: matched by name, renamed and
// moved as it says, created when new, and removed (from their products too) when it leaves them
// out. It returns the till's id of each snapshot category id.
func applyCategories(ctx context.Context, tx *sql.Tx, cur *current, cats []checkout.Category) (map[string]string, error) {
	out := make(map[string]string, len(cats))
	keep := map[string]bool{}
	for _, c := range cats {
		name := strings.TrimSpace(c.Name)
		id, ok := cur.categories[categoryKey(name)]
		if !ok {
			id = NewID()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO categories(id, name, position) VALUES (?1,?2,?3)
			ON CONFLICT(id) DO UPDATE SET name = ?2, position = ?3 WHERE name <> ?2 OR position <> ?3`, id, name, c.Position); err != nil {
			return nil, err
		}
		out[c.ID], keep[id] = id, true
	}
	for _, id := range cur.categories {
		if keep[id] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE products SET category_id = '' WHERE category_id = ?`, id); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM categories WHERE id = ?`, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// applyDepartments updates the departments the snapshot numbers and adds the new ones, in the
// snapshot's order, before the ones it leaves out. It returns the till's id of each snapshot department id.
func applyDepartments(ctx context.Context, tx *sql.Tx, cur *current, deps []checkout.Department) (map[string]string, error) {
	out, kept := make(map[string]string, len(deps)), map[string]bool{}
	for i, dep := range deps {
		id, ok := cur.departments[dep.Number]
		if !ok {
			id = NewID()
			cur.departments[dep.Number] = id
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO departments(id, number, name, vat_rate, nature, position) VALUES (?1,?2,?3,?4,?5,?6)
			ON CONFLICT(id) DO UPDATE SET name = ?3, vat_rate = ?4, nature = ?5, position = ?6`,
			id, dep.Number, strings.TrimSpace(dep.Name), dep.VATRate, dep.Nature, i); err != nil {
			return nil, err
		}
		out[dep.ID], kept[id] = id, true
	}
	// The departments it leaves out follow, in their order.
	var rest []string
	err := scanEach(ctx, tx, `SELECT id FROM departments ORDER BY position, number`, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		if !kept[id] {
			rest = append(rest, id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for k, id := range rest {
		if _, err := tx.ExecContext(ctx, `UPDATE departments SET position = ? WHERE id = ?`, len(deps)+k, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// incoming is a product to write: from a file row (line > 0) or a snapshot, its department and
// category already the till's ids.
type incoming struct {
	line     int
	p        checkout.Product
	category string // the name the row gave, to find the id by
	at       int    // index in current.products, -1 for a new product
}

// checkIncoming lists what stops items from being written over cur, with their lines: what
// catalogue.CheckProduct finds, codes and barcodes given twice, and barcodes held by a product
// that stays active and keeps them (one that is not in items, when items do not replace the
// catalogue). It also finds each item's stored product.
func checkIncoming(cur *current, items []incoming, replace bool) []catalogue.Problem {
	matched := make(map[int]bool, len(items))
	for i := range items {
		it := &items[i]
		it.p.Code, it.p.Name = strings.TrimSpace(it.p.Code), strings.TrimSpace(it.p.Name)
		it.at = -1
		if j, ok := cur.byCode[catalogue.CodeKey(it.p.Code)]; ok {
			it.at, matched[j] = j, true
		}
	}
	var problems []catalogue.Problem
	codes, barcodes := make(map[string]int, len(items)), make(map[string]int, len(items))
	for _, it := range items {
		add := func(p catalogue.Problem) { p.Line = it.line; problems = append(problems, p) }
		for _, p := range catalogue.CheckProduct(it.p) {
			add(p)
		}
		key := catalogue.CodeKey(it.p.Code)
		if first, dup := codes[key]; dup && key != "" {
			add(catalogue.Problem{Field: "code", Code: catalogue.ProblemDuplicate, Value: it.p.Code, OtherLine: first})
		}
		codes[key] = it.line
		for _, b := range it.p.Barcodes {
			if first, dup := barcodes[b]; dup {
				add(catalogue.Problem{Field: "barcode", Code: catalogue.ProblemDuplicate, Value: b, OtherLine: first})
			}
			barcodes[b] = it.line
			if h, held := cur.holder[b]; held && h != it.at && !matched[h] && !replace && cur.products[h].Active {
				add(catalogue.Problem{Field: "barcode", Code: catalogue.ProblemDuplicate, Value: b, Holder: cur.products[h].Code})
			}
		}
	}
	return problems
}

// upsertProducts writes items over cur (see ImportCatalogue) and counts what changed.
func upsertProducts(ctx context.Context, tx *sql.Tx, cur *current, items []incoming, replace bool) (ImportResult, error) {
	if problems := checkIncoming(cur, items, replace); len(problems) > 0 {
		return ImportResult{}, &catalogue.Invalid{Problems: problems}
	}
	w, err := prepareWriter(ctx, tx)
	if err != nil {
		return ImportResult{}, err
	}
	defer w.close()
	matched := make([]bool, len(cur.products))
	for _, it := range items {
		if it.at >= 0 {
			matched[it.at] = true
		}
	}
	// Barcodes first leave the products whose set changes and the products they are taken
	// from, so that no insert below meets a barcode still held.
	newBarcodes := make([]bool, len(items))
	for i, it := range items {
		if it.at < 0 {
			newBarcodes[i] = len(it.p.Barcodes) > 0
		} else if old := cur.products[it.at].Barcodes; !sameBarcodes(old, it.p.Barcodes) {
			newBarcodes[i] = true
			if err := w.exec(ctx, w.dropBarcodesOf, cur.products[it.at].ID); err != nil {
				return ImportResult{}, err
			}
		}
		for _, b := range it.p.Barcodes {
			if h, held := cur.holder[b]; held && h != it.at && !matched[h] {
				if err := w.exec(ctx, w.dropBarcode, b); err != nil {
					return ImportResult{}, err
				}
			}
		}
	}
	var res ImportResult
	next := cur.maxPosition
	for i, it := range items {
		p, pos := it.p, i
		if it.at < 0 {
			if !replace {
				next++
				pos = next
			}
			p.ID = NewID() // a snapshot's ids are the back office's
			if err := w.exec(ctx, w.insert, p.ID, p.Code, p.Name, p.Price, p.DepartmentID, p.CategoryID, pos); err != nil {
				return ImportResult{}, err
			}
			res.Added++
		} else {
			old := cur.products[it.at]
			p.ID = old.ID
			if !replace {
				pos = old.position
			}
			changed := old.Code != p.Code || old.Name != p.Name || old.Price != p.Price || old.DepartmentID != p.DepartmentID ||
				old.CategoryID != p.CategoryID || !old.Active || newBarcodes[i]
			if changed || pos != old.position {
				if err := w.exec(ctx, w.update, p.ID, p.Code, p.Name, p.Price, p.DepartmentID, p.CategoryID, pos); err != nil {
					return ImportResult{}, err
				}
			}
			if changed {
				res.Updated++
			}
		}
		if newBarcodes[i] {
			for _, b := range p.Barcodes {
				if err := w.exec(ctx, w.addBarcode, b, p.ID); err != nil {
					return ImportResult{}, err
				}
			}
		}
	}
	if replace {
		for j, old := range cur.products {
			if !matched[j] && old.Active {
				if err := w.exec(ctx, w.deactivate, old.ID); err != nil {
					return ImportResult{}, err
				}
				res.Deactivated++
			}
		}
	}
	return res, nil
}

func sameBarcodes(stored, given []string) bool {
	if len(stored) != len(given) {
		return false
	}
	sorted := slices.Clone(given)
	slices.Sort(sorted)
	return slices.Equal(stored, sorted)
}

// productWriter holds the statements an import runs once per product: prepared once, they
// keep a 50,000-product import to seconds.
type productWriter struct {
	insert, update, deactivate, dropBarcodesOf, dropBarcode, addBarcode *sql.Stmt
}

func prepareWriter(ctx context.Context, tx *sql.Tx) (*productWriter, error) {
	w := &productWriter{}
	for _, s := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&w.insert, `INSERT INTO products(id, code, name, price_cents, department_id, category_id, active, position) VALUES (?,?,?,?,?,?,1,?)`},
		{&w.update, `UPDATE products SET code = ?2, name = ?3, price_cents = ?4, department_id = ?5, category_id = ?6, active = 1,
			position = ?7 WHERE id = ?1`},
		{&w.deactivate, `UPDATE products SET active = 0 WHERE id = ?`},
		{&w.dropBarcodesOf, `DELETE FROM product_barcodes WHERE product_id = ?`},
		{&w.dropBarcode, `DELETE FROM product_barcodes WHERE barcode = ?`},
		{&w.addBarcode, `INSERT INTO product_barcodes(barcode, product_id) VALUES (?,?)`},
	} {
		stmt, err := tx.PrepareContext(ctx, s.query)
		if err != nil {
			w.close()
			return nil, err
		}
		*s.stmt = stmt
	}
	return w, nil
}

func (w *productWriter) exec(ctx context.Context, stmt *sql.Stmt, args ...any) error {
	_, err := stmt.ExecContext(ctx, args...)
	return err
}

func (w *productWriter) close() {
	for _, s := range []*sql.Stmt{w.insert, w.update, w.deactivate, w.dropBarcodesOf, w.dropBarcode, w.addBarcode} {
		if s != nil {
			s.Close()
		}
	}
}

// demoDepartments are the reparti of a typical Italian bar-restaurant with a small grocery
// corner; N1 is "escluse ex art. 15" (e.g. deposits and stamp duty recharged at cost).
var demoDepartments = []checkout.Department{
	{Number: 1, Name: "Bar", VATRate: 2200},
	{Number: 2, Name: "Cucina", VATRate: 1000},
	{Number: 3, Name: "Alimentari", VATRate: 400},
	{Number: 4, Name: "Escluso art. 15", VATRate: 0, Nature: "N1"},
}

var demoCategories = []string{"Caffetteria", "Bevande", "Cucina", "Alimentari", "Varie"}

// demoProducts is a bar's counter; the barcodes are made-up codes with an Italian prefix and a
// right check digit, on what comes packaged.
var demoProducts = []struct {
	code, name string
	price      money.Cents
	dep        int
	category   string
	barcodes   []string
}{
	{"CAF01", "Caffè", 120, 1, "Caffetteria", nil},
	{"CAF02", "Cappuccino", 160, 1, "Caffetteria", nil},
	{"CAF03", "Caffè macchiato", 130, 1, "Caffetteria", nil},
	{"CAF04", "Caffè d'orzo", 140, 1, "Caffetteria", nil},
	{"CAF05", "Caffè decaffeinato", 130, 1, "Caffetteria", nil},
	{"CAF06", "Latte macchiato", 180, 1, "Caffetteria", nil},
	{"CAF07", "Cornetto alla crema", 150, 1, "Caffetteria", nil},
	{"CAF08", "Cornetto vuoto", 120, 1, "Caffetteria", nil},
	{"CAF09", "Tè caldo", 180, 1, "Caffetteria", nil},
	{"BEV01", "Acqua 50cl", 150, 1, "Bevande", []string{"8039825979194"}},
	{"BEV02", "Acqua frizzante 50cl", 150, 1, "Bevande", []string{"8007483378871"}},
	{"BEV03", "Spremuta d'arancia", 350, 1, "Bevande", nil},
	{"BEV04", "Cola 33cl", 250, 1, "Bevande", []string{"8062328601293", "8004047966697"}},
	{"BEV05", "Aranciata 33cl", 250, 1, "Bevande", []string{"8072510273467"}},
	{"BEV06", "Succo di frutta albicocca", 220, 1, "Bevande", []string{"8046869589692"}},
	{"BEV07", "Birra alla spina media", 500, 1, "Bevande", nil},
	{"BEV08", "Calice di vino rosso", 450, 1, "Bevande", nil},
	{"BEV09", "Aperitivo analcolico", 350, 1, "Bevande", []string{"80350491"}},
	{"CUC01", "Menu pranzo", 1200, 2, "Cucina", nil},
	{"CUC02", "Panino", 550, 2, "Cucina", nil},
	{"CUC03", "Toast prosciutto e formaggio", 400, 2, "Cucina", nil},
	{"CUC04", "Tramezzino tonno e pomodoro", 300, 2, "Cucina", nil},
	{"CUC05", "Piadina crudo e squacquerone", 650, 2, "Cucina", nil},
	{"CUC06", "Insalata mista", 600, 2, "Cucina", nil},
	{"CUC07", "Primo del giorno", 800, 2, "Cucina", nil},
	{"ALI01", "Pane 1kg", 380, 3, "Alimentari", nil},
	{"ALI02", "Grissini torinesi 250g", 240, 3, "Alimentari", []string{"8013944117712"}},
	{"ALI03", "Latte fresco intero 1l", 190, 3, "Alimentari", []string{"8051620466105"}},
	{"ALI04", "Pasta di semola spaghetti 500g", 120, 3, "Alimentari", []string{"8099069584837"}},
	{"ALI05", "Farina 00 1kg", 110, 3, "Alimentari", []string{"8004011980360"}},
	{"VAR01", "Marca da bollo", 200, 4, "Varie", nil},
}

// SeedDemo fills an empty catalogue with the demo departments, categories and products; a
// catalogue that already has departments is left alone, so a restart never duplicates them.
// It records no origin: the demo is neither the shop's nor the back office's.
func (d *DB) SeedDemo(ctx context.Context) (bool, error) {
	seeded := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM departments`).Scan(&n); err != nil || n > 0 {
			return err
		}
		deps := map[int]string{}
		for i, dep := range demoDepartments {
			id := NewID()
			deps[dep.Number] = id
			if _, err := tx.ExecContext(ctx, `INSERT INTO departments(id, number, name, vat_rate, nature, position) VALUES (?,?,?,?,?,?)`,
				id, dep.Number, dep.Name, dep.VATRate, dep.Nature, i); err != nil {
				return err
			}
		}
		cats := map[string]string{}
		for i, name := range demoCategories {
			cats[name] = NewID()
			if _, err := tx.ExecContext(ctx, `INSERT INTO categories(id, name, position) VALUES (?,?,?)`, cats[name], name, i); err != nil {
				return err
			}
		}
		for i, p := range demoProducts {
			id := NewID()
			if _, err := tx.ExecContext(ctx, `INSERT INTO products(id, code, name, price_cents, department_id, category_id, position)
				VALUES (?,?,?,?,?,?,?)`, id, p.code, p.name, p.price, deps[p.dep], cats[p.category], i); err != nil {
				return err
			}
			for _, b := range p.barcodes {
				if _, err := tx.ExecContext(ctx, `INSERT INTO product_barcodes(barcode, product_id) VALUES (?,?)`, b, id); err != nil {
					return err
				}
			}
		}
		seeded = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("seed demo catalogue: %w", err)
	}
	return seeded, nil
}
