package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"till/app/checkout"
)

// ErrNoCustomer is returned for a customer id that is not stored.
var ErrNoCustomer = errors.New("no such customer")

// useTime formats last_used_at with a fixed number of decimals: the list of saved customers is
// ordered by this text, and RFC 3339 with trimmed decimals does not sort as time does.
func useTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

const customerColumns = `id, company, name, surname, vat_number, tax_code, address, cap, city, province, recipient_code, pec`

// SaveCustomer stores c, inserting it (with a new id when c.ID is empty) or updating the stored
// customer with its id, and marks it used now so it leads the list of saved customers. It
// stores what it is given: the caller validates first (checkout.Customer.Validate).
func (d *DB) SaveCustomer(ctx context.Context, c checkout.Customer) (checkout.Customer, error) {
	if c.ID == "" {
		c.ID = NewID()
	}
	now := time.Now()
	_, err := d.sql.ExecContext(ctx, `INSERT INTO customers(`+customerColumns+`, created_at, last_used_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET company = excluded.company, name = excluded.name, surname = excluded.surname,
			vat_number = excluded.vat_number, tax_code = excluded.tax_code, address = excluded.address, cap = excluded.cap,
			city = excluded.city, province = excluded.province, recipient_code = excluded.recipient_code, pec = excluded.pec,
			last_used_at = excluded.last_used_at`,
		c.ID, c.Company, c.Name, c.Surname, c.VATNumber, c.TaxCode, c.Address, c.CAP, c.City, c.Province, c.RecipientCode,
		c.PEC, formatTime(now), useTime(now))
	if err != nil {
		return c, fmt.Errorf("save customer %s: %w", c.ID, err)
	}
	return c, nil
}

// customersSQL reads customers_by_use from its start, which is its order.
const customersSQL = `SELECT ` + customerColumns + ` FROM customers ORDER BY last_used_at DESC, id DESC LIMIT ?`

// Customers lists up to limit saved customers, most recently used first.
func (d *DB) Customers(ctx context.Context, limit int) ([]checkout.Customer, error) {
	rows, err := d.sql.QueryContext(ctx, customersSQL, limit)
	if err != nil {
		return nil, fmt.Errorf("read customers: %w", err)
	}
	return scanCustomers(rows)
}

// Customer reads one saved customer; ErrNoCustomer when there is none with that id.
func (d *DB) Customer(ctx context.Context, id string) (checkout.Customer, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = ?`, id)
	if err != nil {
		return checkout.Customer{}, fmt.Errorf("read customer %s: %w", id, err)
	}
	list, err := scanCustomers(rows)
	if err != nil {
		return checkout.Customer{}, fmt.Errorf("read customer %s: %w", id, err)
	}
	if len(list) == 0 {
		return checkout.Customer{}, fmt.Errorf("read customer %s: %w", id, ErrNoCustomer)
	}
	return list[0], nil
}

// FindCustomers lists up to 50 saved customers whose company, name, surname, P.IVA or codice
// fiscale starts with query (ignoring case), most recently used first.
func (d *DB) FindCustomers(ctx context.Context, query string) ([]checkout.Customer, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return d.Customers(ctx, 50)
	}
	// LIKE ignores ASCII case; its wildcards in what the cashier typed are taken literally.
	pattern := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	rows, err := d.sql.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers
		WHERE company LIKE ?1 ESCAPE '\' OR name LIKE ?1 ESCAPE '\' OR surname LIKE ?1 ESCAPE '\'
			OR vat_number LIKE ?1 ESCAPE '\' OR tax_code LIKE ?1 ESCAPE '\'
		ORDER BY last_used_at DESC, id DESC LIMIT 50`, pattern)
	if err != nil {
		return nil, fmt.Errorf("find customers %q: %w", q, err)
	}
	return scanCustomers(rows)
}

func scanCustomers(rows *sql.Rows) ([]checkout.Customer, error) {
	defer rows.Close()
	var out []checkout.Customer
	for rows.Next() {
		var c checkout.Customer
		if err := rows.Scan(&c.ID, &c.Company, &c.Name, &c.Surname, &c.VATNumber, &c.TaxCode, &c.Address, &c.CAP,
			&c.City, &c.Province, &c.RecipientCode, &c.PEC); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
