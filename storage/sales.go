package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
)

// The journal and the day's totals read one day of sales through sales_by_day.
const (
	journalSQL = `SELECT s.id, s.created_at, s.total_cents, s.state, COALESCE(doc.number, ''),
		(SELECT group_concat(method, ',') FROM (SELECT DISTINCT method FROM payments p WHERE p.sale_id = s.id
			AND p.state IN ('approved', 'documented') ORDER BY method)),
		s.print_uncertain_at <> '',
		EXISTS (SELECT 1 FROM payments u WHERE u.sale_id = s.id AND u.state IN ('created', 'sent', 'unknown')),
		EXISTS (SELECT 1 FROM payments r WHERE r.sale_id = s.id AND r.state = 'declined')
			AND NOT EXISTS (SELECT 1 FROM payments a WHERE a.sale_id = s.id AND a.state IN ('approved', 'documented'))
		FROM sales s LEFT JOIN documents doc ON doc.sale_id = s.id
		WHERE s.business_day = ? ORDER BY s.created_at DESC, s.id DESC`
	dayCountsSQL = `SELECT count(*), COALESCE(sum(total_cents), 0),
		(SELECT count(*) FROM sales WHERE business_day = ?1 AND state = 'pending')
		FROM sales WHERE business_day = ?1 AND state = 'documented'`
	dayByMethodSQL = `SELECT p.method, sum(p.amount_cents) FROM payments p JOIN sales s ON s.id = p.sale_id
		WHERE s.business_day = ? AND s.state = 'documented' AND p.state = 'documented' GROUP BY p.method ORDER BY p.method`
	dayByDepartmentSQL = `SELECT l.department_number, l.department_name, l.vat_rate, l.nature, sum(l.amount_cents)
		FROM sale_lines l JOIN sales s ON s.id = l.sale_id
		WHERE s.business_day = ? AND s.state = 'documented'
		GROUP BY l.department_number, l.department_name, l.vat_rate, l.nature ORDER BY l.department_number`
)

// Journal lists a day's sales, newest first, with their payment methods and documents.
func (d *DB) Journal(ctx context.Context, day time.Time) ([]checkout.JournalEntry, error) {
	rows, err := d.sql.QueryContext(ctx, journalSQL, day.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	defer rows.Close()
	var out []checkout.JournalEntry
	for rows.Next() {
		var e checkout.JournalEntry
		var at, state string
		var methods sql.NullString
		if err := rows.Scan(&e.SaleID, &at, &e.Total, &state, &e.Document, &methods, &e.PrintUncertain, &e.PaymentUnknown, &e.Declined); err != nil {
			return nil, err
		}
		e.At, e.Documented, e.Cancelled = parseTime(at), state == "documented", state == "cancelled"
		for _, m := range splitComma(methods.String) {
			e.Methods = append(e.Methods, fiscal.PaymentMethod(m))
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Totals sums a day's documented sales per payment method and per department.
func (d *DB) Totals(ctx context.Context, day time.Time) (checkout.DayTotals, error) {
	key := day.Format(time.DateOnly)
	t := checkout.DayTotals{ByMethod: map[fiscal.PaymentMethod]money.Cents{}}
	err := d.sql.QueryRowContext(ctx, dayCountsSQL, key).Scan(&t.Sales, &t.Total, &t.Pending)
	if err != nil {
		return t, fmt.Errorf("read day totals: %w", err)
	}
	rows, err := d.sql.QueryContext(ctx, dayByMethodSQL, key)
	if err != nil {
		return t, fmt.Errorf("read totals per method: %w", err)
	}
	for rows.Next() {
		var m string
		var v money.Cents
		if err := rows.Scan(&m, &v); err != nil {
			rows.Close()
			return t, err
		}
		t.ByMethod[fiscal.PaymentMethod(m)] = v
	}
	rows.Close()
	rows, err = d.sql.QueryContext(ctx, dayByDepartmentSQL, key)
	if err != nil {
		return t, fmt.Errorf("read totals per department: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dt checkout.DepartmentTotal
		if err := rows.Scan(&dt.Number, &dt.Name, &dt.VATRate, &dt.Nature, &dt.Total); err != nil {
			return t, err
		}
		t.ByDepartment = append(t.ByDepartment, dt)
	}
	return t, rows.Err()
}

// StoredSale is a sale read back whole, for tests, support and the headless commands.
type StoredSale struct {
	ID       string
	State    string
	Total    money.Cents
	Lines    []checkout.Line
	Discount checkout.Discount // on the whole sale
	Payments []checkout.Payment
	Document *checkout.Document
	Copies   int // copies of the document printed since
	// PrintUncertain: the receipt may have been issued; a person must say whether it was.
	PrintUncertain bool
}

// What Sale reads of one sale, each through its table's key or the sale's index.
const (
	saleSQL = `SELECT state, total_cents, print_uncertain_at, discount_percent, discount_request_cents
		FROM sales WHERE id = ?`
	saleLinesSQL = `SELECT description, qty_milli, unit_cents, department_id, department_number,
		department_name, vat_rate, nature, product_id, discount_percent, discount_request_cents FROM sale_lines
		WHERE sale_id = ? ORDER BY position`
	salePaymentsSQL = `SELECT id, method, amount_cents, tendered_cents, change_cents FROM payments WHERE sale_id = ? ORDER BY created_at, id`
	saleDocumentSQL = `SELECT id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial, copies
		FROM documents WHERE sale_id = ?`
	saleStartedSQL = `SELECT started_at FROM sales WHERE id = ?`
)

// Sale reads one sale with its lines, payments and document.
func (d *DB) Sale(ctx context.Context, id string) (StoredSale, error) {
	s := StoredSale{ID: id}
	var uncertain string
	if err := d.sql.QueryRowContext(ctx, saleSQL, id).Scan(&s.State, &s.Total, &uncertain, &s.Discount.Percent, &s.Discount.Amount); err != nil {
		return s, fmt.Errorf("read sale %s: %w", id, err)
	}
	s.PrintUncertain = uncertain != ""
	rows, err := d.sql.QueryContext(ctx, saleLinesSQL, id)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var l checkout.Line
		dep := &l.Department
		if err := rows.Scan(&l.Description, &l.QtyMilli, &l.UnitPrice, &dep.ID, &dep.Number, &dep.Name, &dep.VATRate, &dep.Nature, &l.ProductID,
			&l.Discount.Percent, &l.Discount.Amount); err != nil {
			rows.Close()
			return s, err
		}
		s.Lines = append(s.Lines, l)
	}
	rows.Close()
	rows, err = d.sql.QueryContext(ctx, salePaymentsSQL, id)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var p checkout.Payment
		if err := rows.Scan(&p.ID, &p.Method, &p.Amount, &p.Tendered, &p.Change); err != nil {
			rows.Close()
			return s, err
		}
		s.Payments = append(s.Payments, p)
	}
	rows.Close()
	var doc checkout.Document
	var issued, number string
	err = d.sql.QueryRowContext(ctx, saleDocumentSQL, id).Scan(&doc.UUID, &doc.Kind, &number, &doc.ZNumber, &doc.Number, &issued, &doc.Amount,
		&doc.PrinterSerial, &s.Copies)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return s, err
	default:
		doc.IssuedAt, doc.Label = parseTime(issued), number
		s.Document = &doc
	}
	return s, nil
}

func splitComma(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' })
}

// DiscardPending deletes a pending sale (lines and payments go with it) and writes the audit
// log, in one transaction. A documented sale is never deleted.
func (d *DB) DiscardPending(ctx context.Context, saleID, reason string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var total int64
		var uncertain string
		err := tx.QueryRowContext(ctx, `SELECT total_cents, print_uncertain_at FROM sales WHERE id = ? AND state = 'pending'`, saleID).
			Scan(&total, &uncertain)
		switch {
		case err == sql.ErrNoRows:
			return nil // never saved, or already gone: nothing to discard
		case err != nil:
			return err
		case uncertain != "":
			return fmt.Errorf("sale %s: %w", saleID, checkout.ErrPrintUncertain) // it may exist on paper
		}
		var held int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM payments WHERE sale_id = ? AND method <> 'cash'
			AND state NOT IN ('declined', 'cancelled')`, saleID).Scan(&held); err != nil {
			return err
		}
		if held > 0 {
			// A voucher taken or maybe taken: the sale must be finished, reversed or settled.
			return fmt.Errorf("sale %s: %d electronic payments taken or unknown: %w", saleID, held, ErrNotPending)
		}
		payments, err := queryIDs(ctx, tx, `SELECT id FROM payments WHERE sale_id = ?`, saleID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sales WHERE id = ? AND state = 'pending'`, saleID); err != nil {
			return err
		}
		// The chain notes the sale and its payments gone, so Verify tells this from a deletion with sqlite3.
		if err := chainAppend(ctx, tx, "sale", saleID); err != nil {
			return err
		}
		gone := map[string]bool{}
		for _, id := range payments {
			gone[id] = true
		}
		if err := chainGone(ctx, tx, "payment", gone); err != nil {
			return err
		}
		return audit(ctx, tx, "cashier", "discard_pending_sale", saleID, fmt.Sprintf("%s; total %s", reason, money.Cents(total)))
	})
}

// pendingCountSQL counts the entries of the partial index sales_pending, whose condition it
// states word for word.
const pendingCountSQL = `SELECT count(*) FROM sales WHERE state = 'pending'`

// PendingCount counts sales waiting for their document, on any day.
func (d *DB) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, pendingCountSQL).Scan(&n)
	return n, err
}

// lastReceiptSQL takes the last entry of the printer's range in documents_by_printer.
const lastReceiptSQL = `SELECT z_number, doc_number FROM documents WHERE printer_serial = ?
	ORDER BY z_number DESC, doc_number DESC LIMIT 1`

// LastReceipt is the highest Z and document number recorded for a printer, zeros when none.
func (d *DB) LastReceipt(ctx context.Context, printerSerial string) (z, number int, err error) {
	err = d.sql.QueryRowContext(ctx, lastReceiptSQL, printerSerial).Scan(&z, &number)
	switch {
	case err == sql.ErrNoRows:
		return 0, 0, nil
	case err != nil:
		return 0, 0, fmt.Errorf("read last receipt of %s: %w", printerSerial, err)
	}
	return z, number, nil
}
