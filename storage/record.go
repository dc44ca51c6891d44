package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
)

// ErrNotPending is returned when a sale that is documented or cancelled would be changed.
var ErrNotPending = errors.New("sale is not pending")

// The statements of recording a sale. They run prepared (see DB.write): what the till writes
// for every sale is parsed once per process.
const (
	saleHeadSQL   = `SELECT state, print_uncertain_at FROM sales WHERE id = ?`
	insertSaleSQL = `INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at,
		discount_percent, discount_request_cents, discount_cents, operator_number)
		VALUES (?,?,?,?,?,'pending',?,?,?,?,?)`
	updateSaleSQL = `UPDATE sales SET total_cents = ?, updated_at = ?, discount_percent = ?, discount_request_cents = ?,
		discount_cents = ?, operator_number = COALESCE(NULLIF(?, 0), operator_number) WHERE id = ?`
	deleteLinesSQL = `DELETE FROM sale_lines WHERE sale_id = ?`
	insertLineSQL  = `INSERT INTO sale_lines(sale_id, position, description, qty_milli, unit_cents,
		amount_cents, department_id, department_number, department_name, vat_rate, nature, product_id,
		discount_percent, discount_request_cents, discount_cents, sale_discount_cents)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	deleteCashSQL = `DELETE FROM payments WHERE sale_id = ? AND method = 'cash' RETURNING id`
	insertCashSQL = `INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, tendered_cents,
		change_cents, state, created_at, updated_at) VALUES (?,?,?,?,?,?,?,'approved',?,?)`
	printIntentSQL  = `UPDATE sales SET print_started_at = ?, print_before_z = ?, print_before_number = ? WHERE id = ?`
	documentSaleSQL = `UPDATE sales SET state = 'documented', document_kind = ?, print_uncertain_at = '', updated_at = ?
		WHERE id = ? AND state = 'pending'`
	documentCashSQL = `UPDATE payments SET state = 'documented', updated_at = ? WHERE sale_id = ? AND method = 'cash'
		AND state = 'approved' RETURNING id`
	documentAttemptSQL = `UPDATE payments SET state = 'documented', updated_at = ? WHERE id = ? AND sale_id = ? AND state = 'approved'`
	openAttemptsSQL    = `SELECT count(*) FROM payments WHERE sale_id = ? AND method <> 'cash'
		AND state IN ('created', 'sent', 'unknown', 'approved')`
	insertReceiptSQL = `INSERT INTO documents(id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial)
		VALUES (?,?,?,?,?,?,?,?,?)`
	saleTotalSQL    = `SELECT total_cents FROM sales WHERE id = ?`
	attemptStateSQL = `SELECT state FROM payments WHERE id = ?`
	auditSQL        = `INSERT INTO audit_log(id, at, actor, action, subject, detail) VALUES (?,?,?,?,?,?)`
)

// hotQueries are prepared once per DB, for the transactions of DB.write; the audit chain's
// too, since every sale appends to it.
var hotQueries = append([]string{
	saleHeadSQL, insertSaleSQL, updateSaleSQL, deleteLinesSQL, insertLineSQL, deleteCashSQL, insertCashSQL, printIntentSQL,
	documentSaleSQL, documentCashSQL, documentAttemptSQL, openAttemptsSQL, insertReceiptSQL, saleTotalSQL, attemptStateSQL,
	auditSQL, recordSaleSQL, recordLinesSQL, recordPaymentsSQL, recordDocumentSQL, insertOutboxSQL,
	blockingAttemptSQL, insertAttemptSQL, updateAttemptSQL, saveBaselineSQL,
}, chainQueries...)

// saleHead is what a write must know of a stored sale before changing it.
type saleHead struct {
	stored    bool
	state     string
	uncertain bool // its receipt may have been issued
}

func readSaleHead(ctx context.Context, tx *txn, saleID string) (saleHead, error) {
	var h saleHead
	var uncertain string
	err := tx.QueryRowContext(ctx, saleHeadSQL, saleID).Scan(&h.state, &uncertain)
	switch {
	case err == sql.ErrNoRows:
		return h, nil
	case err != nil:
		return h, err
	}
	h.stored, h.uncertain = true, uncertain != ""
	return h, nil
}

// refuseUncertain fails with checkout.ErrPrintUncertain when the sale's receipt may exist.
func (h saleHead) refuseUncertain(saleID string) error {
	if h.uncertain {
		return fmt.Errorf("sale %s: %w", saleID, checkout.ErrPrintUncertain)
	}
	return nil
}

// upsertSale writes a pending sale and replaces its lines, keeping its payments. A documented
// or cancelled sale is never changed.
func upsertSale(ctx context.Context, tx *txn, h saleHead, s *checkout.Sale, at time.Time) error {
	now := formatTime(at)
	switch {
	case !h.stored:
		started := s.StartedAt
		if started.IsZero() {
			started = at
		}
		if _, err := tx.ExecContext(ctx, insertSaleSQL, s.ID, at.Local().Format(time.DateOnly), formatTime(started), now, s.Total(), now,
			s.Discount.Percent, s.Discount.Amount, s.SaleDiscount(), s.OperatorNumber()); err != nil {
			return err
		}
	case h.state != "pending":
		return fmt.Errorf("sale %s is %s: %w", s.ID, h.state, ErrNotPending)
	default:
		if _, err := tx.ExecContext(ctx, updateSaleSQL, s.Total(), now, s.Discount.Percent, s.Discount.Amount, s.SaleDiscount(),
			s.Operator, s.ID); err != nil { // a sale loaded without its operator keeps it
			return err
		}
		if _, err := tx.ExecContext(ctx, deleteLinesSQL, s.ID); err != nil {
			return err
		}
	}
	shares := s.DiscountShares()
	for i, l := range s.Lines {
		if _, err := tx.ExecContext(ctx, insertLineSQL, s.ID, i+1, l.Description, l.QtyMilli, l.UnitPrice, l.Amount()-shares[i],
			l.Department.ID, l.Department.Number, l.Department.Name, l.Department.VATRate, l.Department.Nature, l.ProductID,
			l.Discount.Percent, l.Discount.Amount, l.LineDiscount(), shares[i]); err != nil {
			return err
		}
	}
	return nil // the caller chains the sale with what else it wrote
}

// SavePending records the sale, its lines and its cash payments as waiting for the document,
// with the intent to print (and what the printer said its last document was) when print is not
// nil, in one transaction. Saving again (a retry after the printer refused) replaces the lines
// and the cash payments; electronic payments are kept. A sale whose earlier receipt may have
// been issued is refused until a person says whether it was.
func (d *DB) SavePending(ctx context.Context, s *checkout.Sale, cash []checkout.Payment, print *checkout.PrintIntent, at time.Time) error {
	return d.write(ctx, func(tx *txn) error {
		h, err := readSaleHead(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if err := h.refuseUncertain(s.ID); err != nil {
			return err
		}
		if err := upsertSale(ctx, tx, h, s, at); err != nil {
			return err
		}
		var replaced map[string]bool
		refs := []chainRef{{"sale", s.ID}}
		if h.stored { // a new sale has no payments yet
			if replaced, err = deleteCash(ctx, tx, s.ID); err != nil {
				return err
			}
		}
		now := formatTime(at)
		for _, p := range cash {
			if _, err := tx.ExecContext(ctx, insertCashSQL, p.ID, s.ID, string(p.Method), p.Amount, p.Amount, p.Tendered, p.Change,
				now, now); err != nil {
				return err
			}
			delete(replaced, p.ID)
			refs = append(refs, chainRef{"payment", p.ID})
		}
		refs = append(refs, goneRefs("payment", replaced)...)
		started, before := "", fiscal.DocumentRef{}
		if print != nil {
			started, before = now, print.Before
		}
		if _, err = tx.ExecContext(ctx, printIntentSQL, started, before.ZNumber, before.Number, s.ID); err != nil {
			return err
		}
		return chainRecords(ctx, tx, refs...)
	})
}

// MarkDocumented records the document, marks the sale and exactly the listed approved attempts
// documented, and queues the sale for the back office, in one transaction. Each attempt moves
// from approved to documented as a compare-and-set, and an attempt of the sale still open
// that is not on the document stops it: the paper would not show it. With person set, the sale
// must be waiting for a print confirmation, and the confirmation is audited.
func (d *DB) MarkDocumented(ctx context.Context, saleID string, doc checkout.Document, attemptIDs []string, person string) error {
	return d.write(ctx, func(tx *txn) error {
		now := formatTime(time.Now())
		cond := ""
		if person != "" {
			cond = " AND print_uncertain_at <> ''"
		}
		res, err := tx.ExecContext(ctx, documentSaleSQL+cond, doc.Kind, now, saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if person != "" {
				return fmt.Errorf("document sale %s: %w", saleID, checkout.ErrNotUncertain)
			}
			return fmt.Errorf("document sale %s: %w", saleID, ErrNotPending)
		}
		paid, err := documentAttempts(ctx, tx, saleID, attemptIDs, now)
		if err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, insertReceiptSQL, doc.UUID, saleID, doc.Kind, doc.DocumentRef.ID(), doc.ZNumber, doc.Number,
			formatTime(doc.IssuedAt), doc.Amount, doc.PrinterSerial); err != nil {
			return err
		}
		if err := chainRecords(ctx, tx, documentedRefs(saleID, paid, doc.UUID)...); err != nil {
			return err
		}
		if person != "" {
			if err := audit(ctx, tx, person, "confirm_printed", saleID, "receipt "+doc.DocumentRef.ID()+" read on paper or in the printer's journal"); err != nil {
				return err
			}
		}
		if err := noteAmountDiffers(ctx, tx, saleID, doc); err != nil {
			return err
		}
		return queueSale(ctx, tx, saleID)
	})
}

// noteAmountDiffers writes to the audit log a receipt whose printed total, as the printer
// stated it, is not the sale's: the document keeps the printer's amount, the sale its own.
func noteAmountDiffers(ctx context.Context, tx *txn, saleID string, doc checkout.Document) error {
	if !doc.AmountReported {
		return nil
	}
	var total money.Cents
	if err := tx.QueryRowContext(ctx, saleTotalSQL, saleID).Scan(&total); err != nil {
		return err
	}
	if total == doc.Amount {
		return nil
	}
	return audit(ctx, tx, "till", "printer_amount_differs", saleID,
		fmt.Sprintf("receipt %s: the printer totals %s, the sale %s", doc.DocumentRef.ID(), doc.Amount, total))
}

// documentAttempts moves the sale's cash payments and the attempts on its document from
// approved to documented, each attempt as a compare-and-set, and refuses when any other attempt
// of the sale is still open. It returns the payments it moved, for the chain.
func documentAttempts(ctx context.Context, tx *txn, saleID string, attemptIDs []string, now string) ([]string, error) {
	moved, err := queryIDs(ctx, tx, documentCashSQL, now, saleID)
	if err != nil {
		return nil, err
	}
	for _, id := range attemptIDs {
		res, err := tx.ExecContext(ctx, documentAttemptSQL, now, id, saleID)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, &checkout.StaleError{ID: id, Want: checkout.AttemptApproved, Found: attemptState(ctx, tx, id)}
		}
		moved = append(moved, id)
	}
	var open int
	if err := tx.QueryRowContext(ctx, openAttemptsSQL, saleID).Scan(&open); err != nil {
		return nil, err
	}
	if open > 0 {
		return nil, fmt.Errorf("sale %s: %d electronic payments are not on the document: %w", saleID, open, checkout.ErrStale)
	}
	return moved, nil
}

func attemptState(ctx context.Context, tx *txn, id string) checkout.AttemptState {
	var st string
	if err := tx.QueryRowContext(ctx, attemptStateSQL, id).Scan(&st); err != nil {
		return "missing"
	}
	return checkout.AttemptState(st)
}

// audit writes an audit_log row and chains it: a manual resolution, a cancel, a person's word
// on a receipt are records the chain covers.
func audit(ctx context.Context, tx execer, actor, action, subject, detail string) error {
	id := NewID()
	if _, err := tx.ExecContext(ctx, auditSQL, id, formatTime(time.Now()), actor, action, subject, detail); err != nil {
		return err
	}
	return chainAppend(ctx, tx, "audit", id)
}

// CancelSale marks a pending sale cancelled, with an audit entry; its attempts must already be
// reversed, declined or cancelled.
func (d *DB) CancelSale(ctx context.Context, saleID, reason string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, openAttemptsSQL, saleID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return fmt.Errorf("cancel sale %s: %d payments still open", saleID, open)
		}
		now := formatTime(time.Now())
		res, err := tx.ExecContext(ctx, `UPDATE sales SET state = 'cancelled', updated_at = ? WHERE id = ? AND state = 'pending'`, now, saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("cancel sale %s: %w", saleID, ErrNotPending)
		}
		if err := chainAppend(ctx, tx, "sale", saleID); err != nil {
			return err
		}
		gone, err := deleteCash(ctx, tx, saleID)
		if err != nil {
			return err
		}
		if err := chainGone(ctx, tx, "payment", gone); err != nil {
			return err
		}
		return audit(ctx, tx, "cashier", "cancel_sale", saleID, reason)
	})
}

// pendingSalesSQL and the other queries of start-up read through an index (plan_test.go): a
// partial index is used only when the query states its condition word for word, here
// sales_pending's state = 'pending'.
const pendingSalesSQL = `SELECT id, print_started_at, print_uncertain_at, print_before_z, print_before_number
		FROM sales WHERE state = 'pending' ORDER BY created_at, id`

// PendingSales lists the sales waiting for their document, oldest first, with what is known
// of their printing.
func (d *DB) PendingSales(ctx context.Context) ([]checkout.PendingSale, error) {
	rows, err := d.sql.QueryContext(ctx, pendingSalesSQL)
	if err != nil {
		return nil, fmt.Errorf("read pending sales: %w", err)
	}
	defer rows.Close()
	var out []checkout.PendingSale
	for rows.Next() {
		var p checkout.PendingSale
		var started, uncertain string
		if err := rows.Scan(&p.ID, &started, &uncertain, &p.Before.ZNumber, &p.Before.Number); err != nil {
			return nil, err
		}
		p.PrintStarted, p.PrintUncertain = started != "", uncertain != ""
		out = append(out, p)
	}
	return out, rows.Err()
}

// ClearPrintIntent notes that a pending sale's printing provably produced no document.
func (d *DB) ClearPrintIntent(ctx context.Context, saleID string) error {
	_, err := d.sql.ExecContext(ctx, `UPDATE sales SET print_started_at = '' WHERE id = ? AND state = 'pending' AND print_uncertain_at = ''`, saleID)
	return err
}

// MarkPrintUncertain notes that a pending sale's receipt may have been issued: it stays so
// until a person says whether it was.
func (d *DB) MarkPrintUncertain(ctx context.Context, saleID string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sales SET print_uncertain_at = ? WHERE id = ? AND state = 'pending' AND print_uncertain_at = ''`,
			formatTime(time.Now()), saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return audit(ctx, tx, "till", "print_uncertain", saleID, "the printer's answer to the receipt was lost")
		}
		return nil
	})
}

// ClearPrintUncertain records a person's word that an uncertain receipt was not issued, with
// an audit entry, as a compare-and-set on the uncertain state.
func (d *DB) ClearPrintUncertain(ctx context.Context, saleID, person string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sales SET print_uncertain_at = '', print_started_at = '' WHERE id = ? AND state = 'pending'
			AND print_uncertain_at <> ''`, saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("sale %s: %w", saleID, checkout.ErrNotUncertain)
		}
		return audit(ctx, tx, person, "confirm_not_printed", saleID, "receipt not found on paper nor in the printer's journal")
	})
}

const cashTenderedSQL = `SELECT COALESCE(sum(tendered_cents), 0) FROM payments WHERE sale_id = ? AND method = 'cash'`

// CashTendered is the cash handed over recorded for a pending sale, 0 when none.
func (d *DB) CashTendered(ctx context.Context, saleID string) (money.Cents, error) {
	var t money.Cents
	err := d.sql.QueryRowContext(ctx, cashTenderedSQL, saleID).Scan(&t)
	return t, err
}

// LoadSale reads a sale back as the checkout works on it.
func (d *DB) LoadSale(ctx context.Context, id string) (*checkout.Sale, error) {
	st, err := d.Sale(ctx, id)
	if err != nil {
		return nil, err
	}
	var started string
	if err := d.sql.QueryRowContext(ctx, saleStartedSQL, id).Scan(&started); err != nil {
		return nil, err
	}
	op, err := d.saleOperator(ctx, id)
	if err != nil {
		return nil, err
	}
	return &checkout.Sale{ID: id, StartedAt: parseTime(started), Lines: st.Lines, Discount: st.Discount, Operator: op}, nil
}

// SaleDocument reads a documented sale's document.
func (d *DB) SaleDocument(ctx context.Context, saleID string) (checkout.Document, error) {
	s, err := d.Sale(ctx, saleID)
	if err != nil {
		return checkout.Document{}, err
	}
	if s.Document == nil {
		return checkout.Document{}, fmt.Errorf("sale %s has no document", saleID)
	}
	return *s.Document, nil
}

// CountCopy counts a printed copy of a sale's document, with an audit entry, in one transaction.
func (d *DB) CountCopy(ctx context.Context, saleID string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE documents SET copies = copies + 1 WHERE sale_id = ?`, saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("sale %s has no document", saleID)
		}
		return audit(ctx, tx, "cashier", "print_copy", saleID, "")
	})
}

// lastReceiptSaleSQL reads documents_by_kind backwards: rowid is the order of recording.
const lastReceiptSaleSQL = `SELECT sale_id FROM documents WHERE kind = 'receipt' ORDER BY rowid DESC LIMIT 1`

// LastReceiptSale is the sale of the receipt this till recorded last, "" when none.
func (d *DB) LastReceiptSale(ctx context.Context) (string, error) {
	var id string
	err := d.sql.QueryRowContext(ctx, lastReceiptSaleSQL).Scan(&id)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return id, err
}
