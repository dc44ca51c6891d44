package storage

import (
	"context"
	"encoding/json"
	"time"
)

// SaleRecord is a documented sale as the back office receives it (docs/spec/sync.md, SALE).
// till_id is filled by the sync pusher, which knows the till's activation.
type SaleRecord struct {
	ID         string             `json:"id"`
	TillID     string             `json:"till_id"`
	CreatedAt  string             `json:"created_at"`
	TotalCents int64              `json:"total_cents"`
	Operator   int                `json:"operator"` // the operator's number, as on the receipt
	Lines      []SaleRecordLine   `json:"lines"`
	Payments   []SaleRecordPay    `json:"payments"`
	Document   SaleRecordDocument `json:"document"`
}

// SaleRecordLine is one line of a SaleRecord.
type SaleRecordLine struct {
	Description   string `json:"description"`
	QuantityMilli int64  `json:"quantity_milli"`
	UnitCents     int64  `json:"unit_cents"`
	Department    int    `json:"department"`
	VATRate       *int64 `json:"vat_rate,omitempty"` // hundredths of a percent
	Nature        string `json:"nature,omitempty"`
	// DiscountCents is what discounts took off the line: its own and its share of the sale's.
	DiscountCents int64 `json:"discount_cents,omitempty"`
}

// SaleRecordPay is one payment of a SaleRecord; terminal fields only for card and Coverflex.
type SaleRecordPay struct {
	Method      string `json:"method"`
	AmountCents int64  `json:"amount_cents"`
	TerminalID  string `json:"terminal_id,omitempty"`
	MerchantID  string `json:"merchant_id,omitempty"`
	MaskedPAN   string `json:"masked_pan,omitempty"`
	AuthCode    string `json:"auth_code,omitempty"`
	STAN        string `json:"stan,omitempty"`
	AcquirerID  string `json:"acquirer_id,omitempty"`
}

// SaleRecordDocument is the receipt or invoice of a SaleRecord.
type SaleRecordDocument struct {
	Kind          string `json:"kind"`
	ZNumber       int    `json:"z_number,omitempty"`
	Number        string `json:"number"`
	Year          int    `json:"year,omitempty"`
	PrinterSerial string `json:"printer_serial,omitempty"`
	XML           string `json:"xml,omitempty"`
}

// What queueSale reads and writes, prepared (hotQueries).
const (
	recordSaleSQL  = `SELECT created_at, total_cents, operator_number FROM sales WHERE id = ?`
	recordLinesSQL = `SELECT description, qty_milli, unit_cents, department_number, vat_rate, nature,
		discount_cents + sale_discount_cents FROM sale_lines WHERE sale_id = ? ORDER BY position`
	recordPaymentsSQL = `SELECT method, amount_cents, terminal_id, merchant_id, masked_pan, auth_code, stan, acquirer_id
		FROM payments WHERE sale_id = ? AND state = 'documented' ORDER BY created_at, id`
	recordDocumentSQL = `SELECT kind, z_number, number, year, printer_serial, xml FROM documents WHERE sale_id = ?`
	insertOutboxSQL   = `INSERT INTO outbox(id, kind, ref_id, payload, created_at) VALUES (?,?,?,?,?)`
)

// saleRecord reads a documented sale inside a transaction.
func saleRecord(ctx context.Context, tx *txn, saleID string) (SaleRecord, error) {
	r := SaleRecord{ID: saleID}
	err := tx.QueryRowContext(ctx, recordSaleSQL, saleID).Scan(&r.CreatedAt, &r.TotalCents, &r.Operator)
	if err != nil {
		return r, err
	}
	rows, err := tx.QueryContext(ctx, recordLinesSQL, saleID)
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var l SaleRecordLine
		var rate int64
		if err := rows.Scan(&l.Description, &l.QuantityMilli, &l.UnitCents, &l.Department, &rate, &l.Nature, &l.DiscountCents); err != nil {
			rows.Close()
			return r, err
		}
		if l.Nature == "" {
			l.VATRate = &rate
		}
		r.Lines = append(r.Lines, l)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, recordPaymentsSQL, saleID)
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var p SaleRecordPay
		if err := rows.Scan(&p.Method, &p.AmountCents, &p.TerminalID, &p.MerchantID, &p.MaskedPAN, &p.AuthCode, &p.STAN, &p.AcquirerID); err != nil {
			rows.Close()
			return r, err
		}
		r.Payments = append(r.Payments, p)
	}
	rows.Close()
	err = tx.QueryRowContext(ctx, recordDocumentSQL, saleID).
		Scan(&r.Document.Kind, &r.Document.ZNumber, &r.Document.Number, &r.Document.Year, &r.Document.PrinterSerial, &r.Document.XML)
	return r, err
}

// queueSale puts a documented sale in the outbox, in the caller's transaction, so the sale and
// its way to the back office are committed together.
func queueSale(ctx context.Context, tx *txn, saleID string) error {
	rec, err := saleRecord(ctx, tx, saleID)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, insertOutboxSQL, NewID(), "sale", saleID, string(payload), formatTime(time.Now()))
	return err
}

// outboxCountSQL counts the whole outbox, through its smallest index: the outbox holds only
// what the portal has not acknowledged yet (AckOutbox deletes the rest), so it stays small
// unless the till is offline for long.
const outboxCountSQL = `SELECT count(*) FROM outbox`

// OutboxCount is how many records wait to be sent to the back office.
func (d *DB) OutboxCount(ctx context.Context) (int, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, outboxCountSQL).Scan(&n)
	return n, err
}
