package portal

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
)

// ImportResult says what an upload of a catalogue file changed.
type ImportResult struct {
	Added, Updated, Unchanged, Deactivated int
	NewCategories                          []string // made because a row named them
	Version                                int64    // the catalogue version after the upload
}

// Changed tells whether the upload changed anything (and bumped the version).
func (r ImportResult) Changed() bool {
	return r.Added+r.Updated+r.Deactivated+len(r.NewCategories) > 0
}

// importChunk is how many rows one multi-row statement writes.
const importChunk = 400

// ImportCatalogue applies the rows of a catalogue file (catalogue.Parse) to a sales point, all
// or nothing, in one transaction, with the meaning `till catalogue import` gives the same file
// (storage.ImportCatalogue): a product is added or updated by its code (ASCII case ignored) and
// is active after; categories a row names that do not exist are made, after the others; with
// replace every product the file does not list is deactivated. A barcode moves from a product
// that is not for sale; one held by an active product that stays is refused. Every such
// problem (and a department gone since the file was read) is a *catalogue.Invalid naming its
// row, and nothing changes.
func (s *Store) ImportCatalogue(ctx context.Context, accountID, salesPointID string, rows []catalogue.Row, replace bool) (ImportResult, error) {
	var res ImportResult
	err := s.inSalesPointTx(ctx, accountID, salesPointID, func(tx *txConn) error {
		old, err := s.readSnapshot(ctx, tx, salesPointID)
		if err != nil {
			return err
		}
		plan, err := planImport(old, rows, replace)
		if err != nil {
			return err
		}
		res = plan.result
		if !res.Changed() {
			return tx.QueryRowContext(ctx, "SELECT catalogue_version FROM sales_points WHERE id = ?", salesPointID).Scan(&res.Version)
		}
		if err := s.writeImport(ctx, tx, salesPointID, plan); err != nil {
			return err
		}
		if err := bumpCatalogue(ctx, tx, salesPointID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT catalogue_version FROM sales_points WHERE id = ?", salesPointID).Scan(&res.Version)
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import catalogue of %s: %w", salesPointID, err)
	}
	return res, nil
}

// importPlan is what an import writes: computed first, so that a file with any problem
// writes nothing.
type importPlan struct {
	result        ImportResult
	newCategories []checkout.Category // with their new ids
	upserts       []checkout.Product  // new (fresh id) and changed products, all active
	rebarcode     []checkout.Product  // products whose barcodes are replaced by the file's
	release       []string            // barcodes taken from products the file deactivates
	deactivate    []string            // product ids
	lastCategory  int                 // the highest position of a category; new ones follow, as on the till
}

func planImport(old storedCatalogue, rows []catalogue.Row, replace bool) (importPlan, error) {
	plan := importPlan{lastCategory: -1}
	depID := map[int]string{}
	for _, d := range old.departments {
		depID[d.Number] = d.ID
	}
	catID := map[string]string{}
	for _, c := range old.categories {
		catID[strings.ToLower(c.Name)] = c.ID
		plan.lastCategory = max(plan.lastCategory, c.Position)
	}
	byCode := map[string]int{}
	holder := map[string]int{} // barcode → index in old.products
	for i, p := range old.products {
		byCode[catalogue.CodeKey(p.Code)] = i
		for _, b := range p.Barcodes {
			holder[b] = i
		}
	}
	inFile := map[string]bool{}
	for _, r := range rows {
		inFile[catalogue.CodeKey(r.Code)] = true
	}
	var problems []catalogue.Problem
	for _, r := range rows {
		dep, ok := depID[r.Department]
		if !ok {
			problems = append(problems, catalogue.Problem{Line: r.Line, Field: "department", Code: catalogue.ProblemDepartment,
				Value: fmt.Sprint(r.Department)})
		}
		for _, b := range r.Barcodes {
			i, held := holder[b]
			if !held || inFile[catalogue.CodeKey(old.products[i].Code)] {
				continue // free, or held by a product whose row in the file gives its barcodes anew
			}
			// As on the till: a barcode moves from a product that is not for sale (or will not
			// be, with replace); an active product that stays keeps it.
			if !replace && old.products[i].Active {
				problems = append(problems, catalogue.Problem{Line: r.Line, Field: "barcode", Code: catalogue.ProblemDuplicate,
					Value: b, Holder: old.products[i].Code})
				continue
			}
			plan.release = append(plan.release, b)
		}
		if len(problems) > 0 {
			continue
		}
		plan.add(r, dep, catID, byCode, old)
	}
	if len(problems) > 0 {
		return importPlan{}, &catalogue.Invalid{Problems: problems}
	}
	if replace {
		for _, p := range old.products {
			if !inFile[catalogue.CodeKey(p.Code)] && p.Active {
				plan.deactivate = append(plan.deactivate, p.ID)
			}
		}
		plan.result.Deactivated = len(plan.deactivate)
	}
	return plan, nil
}

// add plans one row of a file with no problem so far.
func (plan *importPlan) add(r catalogue.Row, depID string, catID map[string]string, byCode map[string]int, old storedCatalogue) {
	p := checkout.Product{Code: r.Code, Name: r.Name, Price: r.Price, DepartmentID: depID, Active: true,
		Barcodes: slices.Sorted(slices.Values(r.Barcodes))}
	if r.Category != "" {
		key := strings.ToLower(strings.TrimSpace(r.Category))
		id, ok := catID[key]
		if !ok {
			id = newID()
			catID[key] = id
			plan.lastCategory++
			plan.newCategories = append(plan.newCategories, checkout.Category{ID: id, Name: strings.TrimSpace(r.Category),
				Position: plan.lastCategory})
			plan.result.NewCategories = append(plan.result.NewCategories, strings.TrimSpace(r.Category))
		}
		p.CategoryID = id
	}
	i, known := byCode[catalogue.CodeKey(r.Code)]
	if !known {
		p.ID = newID()
		plan.upserts = append(plan.upserts, p)
		plan.rebarcode = append(plan.rebarcode, p)
		plan.result.Added++
		return
	}
	was := old.products[i]
	p.ID = was.ID
	same := was.Code == p.Code && was.Name == p.Name && was.Price == p.Price && was.DepartmentID == p.DepartmentID &&
		was.CategoryID == p.CategoryID && was.Active
	sameBarcodes := slices.Equal(was.Barcodes, p.Barcodes)
	if !same {
		plan.upserts = append(plan.upserts, p)
	}
	if !sameBarcodes {
		plan.rebarcode = append(plan.rebarcode, p)
	}
	if same && sameBarcodes {
		plan.result.Unchanged++
	} else {
		plan.result.Updated++
	}
}

// writeImport writes a plan in multi-row statements: a 50,000-row file is a few hundred
// statements, not 100,000.
func (s *Store) writeImport(ctx context.Context, tx *txConn, salesPointID string, plan importPlan) error {
	now := formatTime(s.now())
	for _, c := range plan.newCategories {
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalogue_categories (id, sales_point_id, name, name_key, position)
			VALUES (?, ?, ?, ?, ?)`, c.ID, salesPointID, c.Name, strings.ToLower(c.Name), c.Position); err != nil {
			return fmt.Errorf("add category %q: %w", c.Name, err)
		}
	}
	// Barcodes leave their old products first, so none is ever held twice.
	var gone []any
	for _, p := range plan.rebarcode {
		gone = append(gone, p.ID)
	}
	if err := execChunks(ctx, tx, "DELETE FROM catalogue_barcodes WHERE product_id IN (%s)", nil, gone); err != nil {
		return fmt.Errorf("clear barcodes: %w", err)
	}
	var released []any
	for _, b := range plan.release {
		released = append(released, b)
	}
	if err := execChunks(ctx, tx, "DELETE FROM catalogue_barcodes WHERE sales_point_id = ? AND barcode IN (%s)",
		[]any{salesPointID}, released); err != nil {
		return fmt.Errorf("release barcodes: %w", err)
	}
	var vals []any
	for _, p := range plan.upserts {
		vals = append(vals, p.ID, salesPointID, p.Code, catalogue.CodeKey(p.Code), p.Name, int64(p.Price), p.DepartmentID,
			nullable(p.CategoryID), 1, now)
	}
	err := execRows(ctx, tx, `INSERT INTO catalogue_products (id, sales_point_id, code, code_key, name, price_cents,
		department_id, category_id, active, updated_at) VALUES %s
		ON CONFLICT (sales_point_id, code_key) DO UPDATE SET code = excluded.code, name = excluded.name,
		price_cents = excluded.price_cents, department_id = excluded.department_id, category_id = excluded.category_id,
		active = excluded.active, updated_at = excluded.updated_at`, vals, 10)
	if err != nil {
		return fmt.Errorf("write products: %w", err)
	}
	var codes []any
	for _, p := range plan.rebarcode {
		for _, b := range p.Barcodes {
			codes = append(codes, salesPointID, b, p.ID)
		}
	}
	if err := execRows(ctx, tx, "INSERT INTO catalogue_barcodes (sales_point_id, barcode, product_id) VALUES %s", codes, 3); err != nil {
		return fmt.Errorf("write barcodes: %w", err)
	}
	var off []any
	for _, id := range plan.deactivate {
		off = append(off, id)
	}
	if err := execChunks(ctx, tx, "UPDATE catalogue_products SET active = 0, updated_at = ? WHERE id IN (%s)", []any{now}, off); err != nil {
		return fmt.Errorf("deactivate products: %w", err)
	}
	return nil
}

// execRows runs an INSERT whose %s is filled with rows of cols placeholders, importChunk rows
// at a time; vals holds the rows one after the other.
func execRows(ctx context.Context, tx *txConn, stmt string, vals []any, cols int) error {
	for start := 0; start < len(vals); start += importChunk * cols {
		chunk := vals[start:min(start+importChunk*cols, len(vals))]
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(stmt, placeholders(len(chunk)/cols, cols)), chunk...); err != nil {
			return err
		}
	}
	return nil
}

// execChunks runs a statement whose IN (%s) is filled with up to importChunk of list at a
// time, after the fixed arguments before.
func execChunks(ctx context.Context, tx *txConn, stmt string, before, list []any) error {
	for start := 0; start < len(list); start += importChunk {
		chunk := list[start:min(start+importChunk, len(list))]
		in := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		args := append(slices.Clone(before), chunk...)
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(stmt, in), args...); err != nil {
			return err
		}
	}
	return nil
}
