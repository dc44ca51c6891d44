package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/fatturapa"
	"till/money"
)

// ErrNoSale is returned when a sale to document is not stored.
var ErrNoSale = errors.New("no such sale")

// InvoiceFile is one issued invoice, for export.
type InvoiceFile struct {
	Number int // yearly progressive
	Year   int
	SaleID string
	XML    []byte
}

// DocumentInvoice issues the invoice of a pending sale for a saved customer, in one
// transaction: it takes the next number of at's year (from 1, in the same transaction as the
// document, so a number is never reused and never skipped), asks build for the XML with that
// number, stores the document, marks the sale documented as an invoice for the customer (and
// its approved payments documented), notes the customer as just used, and queues the sale for
// the back office. If build fails nothing is written and the number stays free.
//
// build runs inside the transaction, which holds the database's only connection: it must not
// use this DB.
func (d *DB) DocumentInvoice(ctx context.Context, saleID, customerID string, at time.Time, attemptIDs []string,
	build func(number, year int) ([]byte, error)) (checkout.Document, error) {
	year := at.Year()
	var doc checkout.Document
	err := d.write(ctx, func(tx *txn) error {
		var state string
		var total int64
		err := tx.QueryRowContext(ctx, `SELECT state, total_cents FROM sales WHERE id = ?`, saleID).Scan(&state, &total)
		switch {
		case err == sql.ErrNoRows:
			return ErrNoSale
		case err != nil:
			return err
		case state != "pending":
			return fmt.Errorf("sale is %s: %w", state, ErrNotPending)
		}
		res, err := tx.ExecContext(ctx, `UPDATE customers SET last_used_at = ? WHERE id = ?`, useTime(time.Now()), customerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("customer %s: %w", customerID, ErrNoCustomer)
		}
		number, err := nextInvoiceNumber(ctx, tx, year)
		if err != nil {
			return err
		}
		xml, err := build(number, year)
		if err != nil {
			return fmt.Errorf("build invoice %s: %w", fatturapa.FormatNumber(number, year), err)
		}
		if len(xml) == 0 {
			return fmt.Errorf("build invoice %s: empty XML", fatturapa.FormatNumber(number, year))
		}
		doc = checkout.Document{UUID: NewID(), Kind: "invoice", Label: fatturapa.FormatNumber(number, year),
			DocumentRef: fiscal.DocumentRef{Number: number, IssuedAt: at, Amount: money.Cents(total)}}
		return recordInvoice(ctx, tx, saleID, customerID, doc, year, xml, attemptIDs)
	})
	if err != nil {
		return checkout.Document{}, fmt.Errorf("invoice sale %s: %w", saleID, err)
	}
	return doc, nil
}

// nextInvoiceNumber takes the next number of year's sequence, starting at 1.
func nextInvoiceNumber(ctx context.Context, tx *txn, year int) (int, error) {
	var number int
	err := tx.QueryRowContext(ctx, `INSERT INTO invoice_counters(year, last_number) VALUES (?, 1)
		ON CONFLICT(year) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`, year).Scan(&number)
	if err != nil {
		return 0, fmt.Errorf("number invoice of %d: %w", year, err)
	}
	return number, nil
}

func recordInvoice(ctx context.Context, tx *txn, saleID, customerID string, doc checkout.Document, year int, xml []byte, attemptIDs []string) error {
	now := formatTime(time.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO documents(id, sale_id, kind, number, doc_number, issued_at, amount_cents, year, xml)
		VALUES (?,?,?,?,?,?,?,?,?)`, doc.UUID, saleID, doc.Kind, doc.Label, doc.Number,
		formatTime(doc.IssuedAt), doc.Amount, year, string(xml)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sales SET state = 'documented', document_kind = 'invoice', customer_id = ?,
		updated_at = ? WHERE id = ?`, customerID, now, saleID); err != nil {
		return err
	}
	paid, err := documentAttempts(ctx, tx, saleID, attemptIDs, now)
	if err != nil {
		return err
	}
	if err := chainRecords(ctx, tx, documentedRefs(saleID, paid, doc.UUID)...); err != nil {
		return err
	}
	return queueSale(ctx, tx, saleID)
}

// Invoices lists the issued invoices of year (every year when year is 0), in number order.
func (d *DB) Invoices(ctx context.Context, year int) ([]InvoiceFile, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT doc_number, year, sale_id, xml FROM documents
		WHERE kind = 'invoice' AND (?1 = 0 OR year = ?1) ORDER BY year, doc_number`, year)
	if err != nil {
		return nil, fmt.Errorf("read invoices: %w", err)
	}
	defer rows.Close()
	var out []InvoiceFile
	for rows.Next() {
		var f InvoiceFile
		var xml string
		if err := rows.Scan(&f.Number, &f.Year, &f.SaleID, &xml); err != nil {
			return nil, fmt.Errorf("read invoices: %w", err)
		}
		f.XML = []byte(xml)
		out = append(out, f)
	}
	return out, rows.Err()
}
