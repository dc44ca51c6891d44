package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
)

// The catalogue of a sales point: departments, categories and products, which its tills pull
// with GET /api/v1/catalogue (catalogue_api.go). Every change bumps the sales point's
// catalogue_version in the same transaction; a save that changes nothing does not, so a till's
// ETag stays good. Input is checked with the till's own rules (package catalogue): what the
// portal stores, the tills accept.

// CatalogueInfo is what the pages show of a sales point's catalogue.
type CatalogueInfo struct {
	SalesPoint
	CatalogueVersion int64 // 0: never edited here; the tills keep their own catalogue
	Departments      int
	Categories       int
	Products         int
	ActiveProducts   int
}

// DepartmentRow is a department with how many products (active or not) are in it.
type DepartmentRow struct {
	checkout.Department
	Products int
}

// CategoryRow is a category with how many products (active or not) are in it.
type CategoryRow struct {
	checkout.Category
	Products int
}

// problemsError turns the problems the catalogue rules found into one Italian message.
func problemsError(field string, problems []catalogue.Problem) error {
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message(false)
	}
	return &ValidationError{Field: field, Message: "Da correggere: " + strings.Join(msgs, "; ") + "."}
}

// ownSalesPoint checks, inside tx, that the sales point is the account's.
func ownSalesPoint(ctx context.Context, tx *txConn, accountID, salesPointID string) error {
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM sales_points WHERE id = ? AND account_id = ?", salesPointID, accountID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// bumpCatalogue records that the catalogue of a sales point changed.
func bumpCatalogue(ctx context.Context, tx *txConn, salesPointID string) error {
	_, err := tx.ExecContext(ctx, "UPDATE sales_points SET catalogue_version = catalogue_version + 1 WHERE id = ?", salesPointID)
	return err
}

// inSalesPointTx runs fn in a transaction after checking the sales point is the account's.
func (s *Store) inSalesPointTx(ctx context.Context, accountID, salesPointID string, fn func(*txConn) error) error {
	return s.inTx(ctx, func(tx *txConn) error {
		if err := ownSalesPoint(ctx, tx, accountID, salesPointID); err != nil {
			return err
		}
		return fn(tx)
	})
}

// CatalogueInfo counts what the catalogue of one of the account's sales points holds.
func (s *Store) CatalogueInfo(ctx context.Context, accountID, salesPointID string) (CatalogueInfo, error) {
	sp, err := s.SalesPoint(ctx, accountID, salesPointID)
	if err != nil {
		return CatalogueInfo{}, err
	}
	info := CatalogueInfo{SalesPoint: sp}
	err = s.db.QueryRowContext(ctx, `SELECT sp.catalogue_version,
		(SELECT COUNT(*) FROM catalogue_departments WHERE sales_point_id = sp.id),
		(SELECT COUNT(*) FROM catalogue_categories WHERE sales_point_id = sp.id),
		(SELECT COUNT(*) FROM catalogue_products WHERE sales_point_id = sp.id),
		(SELECT COUNT(*) FROM catalogue_products WHERE sales_point_id = sp.id AND active = 1)
		FROM sales_points sp WHERE sp.id = ?`, sp.ID).
		Scan(&info.CatalogueVersion, &info.Departments, &info.Categories, &info.Products, &info.ActiveProducts)
	if err != nil {
		return CatalogueInfo{}, fmt.Errorf("catalogue of %s: %w", salesPointID, err)
	}
	return info, nil
}

// CatalogueDepartments lists the departments of one of the account's sales points by number.
func (s *Store) CatalogueDepartments(ctx context.Context, accountID, salesPointID string) ([]DepartmentRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.number, d.name, d.vat_rate, d.nature,
		(SELECT COUNT(*) FROM catalogue_products p WHERE p.department_id = d.id)
		FROM catalogue_departments d JOIN sales_points sp ON sp.id = d.sales_point_id
		WHERE d.sales_point_id = ? AND sp.account_id = ? ORDER BY d.number`, salesPointID, accountID)
	if err != nil {
		return nil, fmt.Errorf("departments of %s: %w", salesPointID, err)
	}
	defer rows.Close()
	var out []DepartmentRow
	for rows.Next() {
		var d DepartmentRow
		if err := rows.Scan(&d.ID, &d.Number, &d.Name, &d.VATRate, &d.Nature, &d.Products); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CatalogueCategories lists the categories of one of the account's sales points in order.
func (s *Store) CatalogueCategories(ctx context.Context, accountID, salesPointID string) ([]CategoryRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.name, c.position,
		(SELECT COUNT(*) FROM catalogue_products p WHERE p.category_id = c.id)
		FROM catalogue_categories c JOIN sales_points sp ON sp.id = c.sales_point_id
		WHERE c.sales_point_id = ? AND sp.account_id = ? ORDER BY c.position, c.name_key`, salesPointID, accountID)
	if err != nil {
		return nil, fmt.Errorf("categories of %s: %w", salesPointID, err)
	}
	defer rows.Close()
	var out []CategoryRow
	for rows.Next() {
		var c CategoryRow
		if err := rows.Scan(&c.ID, &c.Name, &c.Position, &c.Products); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveDepartment adds a department (d.ID empty) or changes one of the sales point's. The number
// is the one the fiscal printer knows, unique in the sales point.
func (s *Store) SaveDepartment(ctx context.Context, accountID, salesPointID string, d checkout.Department) (checkout.Department, error) {
	d.Name, d.Nature = strings.TrimSpace(d.Name), strings.TrimSpace(d.Nature)
	if err := problemsError("department", catalogue.CheckDepartment(d)); err != nil {
		return d, err
	}
	if !validName(d.Name, 100) {
		return d, &ValidationError{"name", "Il nome del reparto può avere al massimo 100 caratteri, senza caratteri di controllo."}
	}
	err := s.inSalesPointTx(ctx, accountID, salesPointID, func(tx *txConn) error {
		var other string
		err := tx.QueryRowContext(ctx, "SELECT id FROM catalogue_departments WHERE sales_point_id = ? AND number = ?",
			salesPointID, d.Number).Scan(&other)
		switch {
		case err == nil && other != d.ID:
			return &ValidationError{"number", fmt.Sprintf("Esiste già un reparto numero %d: scegli un altro numero.", d.Number)}
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if d.ID == "" {
			d.ID = newID()
			_, err = tx.ExecContext(ctx, `INSERT INTO catalogue_departments (id, sales_point_id, number, name, vat_rate, nature)
				VALUES (?, ?, ?, ?, ?, ?)`, d.ID, salesPointID, d.Number, d.Name, int64(d.VATRate), d.Nature)
			if err != nil {
				return err
			}
			return bumpCatalogue(ctx, tx, salesPointID)
		}
		res, err := tx.ExecContext(ctx, `UPDATE catalogue_departments SET number = ?, name = ?, vat_rate = ?, nature = ?
			WHERE id = ? AND sales_point_id = ? AND NOT (number = ? AND name = ? AND vat_rate = ? AND nature = ?)`,
			d.Number, d.Name, int64(d.VATRate), d.Nature, d.ID, salesPointID, d.Number, d.Name, int64(d.VATRate), d.Nature)
		if err != nil {
			return err
		}
		return bumpIfChanged(ctx, tx, res, salesPointID, "catalogue_departments", d.ID)
	})
	if err != nil {
		return d, fmt.Errorf("save department %d: %w", d.Number, err)
	}
	return d, nil
}

// bumpIfChanged bumps the catalogue when an UPDATE changed its row; when it changed none, it
// tells a row that was already so (nil) from a row that is not the sales point's (ErrNotFound).
func bumpIfChanged(ctx context.Context, tx *txConn, res sql.Result, salesPointID, table, id string) error {
	if n, _ := res.RowsAffected(); n > 0 {
		return bumpCatalogue(ctx, tx, salesPointID)
	}
	var one int
	// table is one of our constants, never outside input.
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+table+" WHERE id = ? AND sales_point_id = ?", id, salesPointID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// DeleteDepartment removes a department no product is in. The last department stays: tills
// sell by department, and a catalogue without one is never sent to them.
func (s *Store) DeleteDepartment(ctx context.Context, accountID, salesPointID, id string) error {
	return s.inSalesPointTx(ctx, accountID, salesPointID, func(tx *txConn) error {
		var used, all int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM catalogue_products WHERE department_id = d.id),
			(SELECT COUNT(*) FROM catalogue_departments WHERE sales_point_id = d.sales_point_id)
			FROM catalogue_departments d WHERE d.id = ? AND d.sales_point_id = ?`, id, salesPointID).Scan(&used, &all)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNotFound
		case err != nil:
			return err
		case used > 0:
			return &ValidationError{"department", fmt.Sprintf("Il reparto contiene %d prodotti (anche disattivati): spostali in un altro reparto prima di eliminarlo.", used)}
		case all == 1:
			return &ValidationError{"department", "È l'ultimo reparto: le casse vendono per reparto, aggiungine un altro prima di eliminarlo."}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM catalogue_departments WHERE id = ?", id); err != nil {
			return err
		}
		return bumpCatalogue(ctx, tx, salesPointID)
	})
}

// SaveCategory adds a category (c.ID empty) or renames or moves one of the sales point's.
// Names are unique in the sales point whatever their case, as on the till.
func (s *Store) SaveCategory(ctx context.Context, accountID, salesPointID string, c checkout.Category) (checkout.Category, error) {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || !validName(c.Name, 100) {
		return c, &ValidationError{"name", "Il nome della categoria è obbligatorio (al massimo 100 caratteri, senza caratteri di controllo)."}
	}
	if c.Position < 0 || c.Position > 9999 {
		return c, &ValidationError{"position", "La posizione va da 0 a 9999."}
	}
	err := s.inSalesPointTx(ctx, accountID, salesPointID, func(tx *txConn) error {
		var other string
		err := tx.QueryRowContext(ctx, "SELECT id FROM catalogue_categories WHERE sales_point_id = ? AND name_key = ?",
			salesPointID, strings.ToLower(c.Name)).Scan(&other)
		switch {
		case err == nil && other != c.ID:
			return &ValidationError{"name", fmt.Sprintf("Esiste già la categoria «%s».", c.Name)}
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if c.ID == "" {
			c.ID = newID()
			_, err = tx.ExecContext(ctx, `INSERT INTO catalogue_categories (id, sales_point_id, name, name_key, position)
				VALUES (?, ?, ?, ?, ?)`, c.ID, salesPointID, c.Name, strings.ToLower(c.Name), c.Position)
			if err != nil {
				return err
			}
			return bumpCatalogue(ctx, tx, salesPointID)
		}
		res, err := tx.ExecContext(ctx, `UPDATE catalogue_categories SET name = ?, name_key = ?, position = ?
			WHERE id = ? AND sales_point_id = ? AND NOT (name = ? AND position = ?)`,
			c.Name, strings.ToLower(c.Name), c.Position, c.ID, salesPointID, c.Name, c.Position)
		if err != nil {
			return err
		}
		return bumpIfChanged(ctx, tx, res, salesPointID, "catalogue_categories", c.ID)
	})
	if err != nil {
		return c, fmt.Errorf("save category %q: %w", c.Name, err)
	}
	return c, nil
}

// DeleteCategory removes a category; its products stay, without a category.
func (s *Store) DeleteCategory(ctx context.Context, accountID, salesPointID, id string) error {
	return s.inSalesPointTx(ctx, accountID, salesPointID, func(tx *txConn) error {
		if _, err := tx.ExecContext(ctx, `UPDATE catalogue_products SET category_id = NULL, updated_at = ?
			WHERE category_id = ? AND sales_point_id = ?`, formatTime(s.now()), id, salesPointID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM catalogue_categories WHERE id = ? AND sales_point_id = ?", id, salesPointID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return bumpCatalogue(ctx, tx, salesPointID)
	})
}
