package storage

import (
	"context"
	"database/sql"
	"fmt"

	"till/app/checkout"
	"till/money"
)

// Departments lists the departments in button order.
func (d *DB) Departments(ctx context.Context) ([]checkout.Department, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT id, number, name, vat_rate, nature FROM departments ORDER BY position, number`)
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
	rows, err := d.sql.QueryContext(ctx, `SELECT id, name, position FROM categories ORDER BY position, name`)
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

// Products lists the active products in button order, with their barcodes.
func (d *DB) Products(ctx context.Context) ([]checkout.Product, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT id, code, name, price_cents, department_id, category_id FROM products
		WHERE active = 1 ORDER BY position, name`)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	var out []checkout.Product
	at := map[string]int{}
	for rows.Next() {
		p := checkout.Product{Active: true}
		if err := rows.Scan(&p.ID, &p.Code, &p.Name, &p.Price, &p.DepartmentID, &p.CategoryID); err != nil {
			rows.Close()
			return nil, err
		}
		at[p.ID] = len(out)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = d.sql.QueryContext(ctx, `SELECT product_id, barcode FROM product_barcodes ORDER BY product_id, barcode`)
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
	return out, rows.Err()
}

// demoDepartments are the reparti of a typical Italian bar-restaurant with a small grocery
// corner; N1 is "escluse ex art. 15" (e.g. deposits and stamp duty recharged at cost).
var demoDepartments = []checkout.Department{
	{Number: 1, Name: "Bar", VATRate: 2200},
	{Number: 2, Name: "Cucina", VATRate: 1000},
	{Number: 3, Name: "Alimentari", VATRate: 400},
	{Number: 4, Name: "Escluso art. 15", VATRate: 0, Nature: "N1"},
}

var demoProducts = []struct {
	name  string
	price money.Cents
	dep   int
}{
	{"Caffè", 120, 1}, {"Cappuccino", 160, 1}, {"Acqua 50cl", 150, 1}, {"Spremuta", 350, 1},
	{"Menu pranzo", 1200, 2}, {"Panino", 550, 2}, {"Pane 1kg", 380, 3}, {"Marca da bollo", 200, 4},
}

// SeedDemo fills an empty catalogue with the demo departments and products; a catalogue that
// already has departments is left alone, so a restart never duplicates them.
func (d *DB) SeedDemo(ctx context.Context) (bool, error) {
	seeded := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM departments`).Scan(&n); err != nil || n > 0 {
			return err
		}
		ids := map[int]string{}
		for i, dep := range demoDepartments {
			id := NewID()
			ids[dep.Number] = id
			if _, err := tx.ExecContext(ctx, `INSERT INTO departments(id, number, name, vat_rate, nature, position) VALUES (?,?,?,?,?,?)`,
				id, dep.Number, dep.Name, dep.VATRate, dep.Nature, i); err != nil {
				return err
			}
		}
		for i, p := range demoProducts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO products(id, code, name, price_cents, department_id, position) VALUES (?,?,?,?,?,?)`,
				NewID(), fmt.Sprintf("P%04d", i+1), p.name, p.price, ids[p.dep], i); err != nil {
				return err
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
