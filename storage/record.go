package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"till/app/checkout"
	"till/fiscal"
)

// ErrNotPending is returned when a sale that is documented or cancelled would be changed.
var ErrNotPending = errors.New("sale is not pending")

// upsertSale writes a pending sale and replaces its lines, keeping its payments. A documented
// or cancelled sale is never changed.
func upsertSale(ctx context.Context, tx *sql.Tx, s *checkout.Sale, at time.Time) error {
	var state string
	err := tx.QueryRowContext(ctx, `SELECT state FROM sales WHERE id = ?`, s.ID).Scan(&state)
	now := formatTime(at)
	switch {
	case err == sql.ErrNoRows:
		started := s.StartedAt
		if started.IsZero() {
			started = at
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at)
			VALUES (?,?,?,?,?,'pending',?)`, s.ID, at.Local().Format(time.DateOnly), formatTime(started), now, s.Total(), now); err != nil {
			return err
		}
	case err != nil:
		return err
	case state != "pending":
		return fmt.Errorf("sale %s is %s: %w", s.ID, state, ErrNotPending)
	default:
		if _, err := tx.ExecContext(ctx, `UPDATE sales SET total_cents = ?, updated_at = ? WHERE id = ?`, s.Total(), now, s.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sale_lines WHERE sale_id = ?`, s.ID); err != nil {
			return err
		}
	}
	for i, l := range s.Lines {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sale_lines(sale_id, position, description, qty_milli, unit_cents,
			amount_cents, department_id, department_number, department_name, vat_rate, nature, product_id)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, s.ID, i+1, l.Description, l.QtyMilli, l.UnitPrice, l.Amount(),
			l.Department.ID, l.Department.Number, l.Department.Name, l.Department.VATRate, l.Department.Nature, l.ProductID); err != nil {
			return err
		}
	}
	return nil
}

// SavePending records the sale, its lines and its cash payments as waiting for the document,
// with the printer's last document before printing (so an unknown print outcome can be
// reconciled after a crash), in one transaction. Saving again (a retry after the printer
// failed) replaces the lines and the cash payments; electronic payments are kept.
func (d *DB) SavePending(ctx context.Context, s *checkout.Sale, cash []checkout.Payment, before fiscal.DocumentRef, at time.Time) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := upsertSale(ctx, tx, s, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM payments WHERE sale_id = ? AND method = 'cash'`, s.ID); err != nil {
			return err
		}
		now := formatTime(at)
		for _, p := range cash {
			if _, err := tx.ExecContext(ctx, `INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, tendered_cents,
				change_cents, state, created_at, updated_at) VALUES (?,?,?,?,?,?,?,'approved',?,?)`,
				p.ID, s.ID, string(p.Method), p.Amount, p.Amount, p.Tendered, p.Change, now, now); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE sales SET print_started_at = ?, print_before_z = ?, print_before_number = ? WHERE id = ?`,
			now, before.ZNumber, before.Number, s.ID)
		return err
	})
}

// MarkDocumented records the document, marks the sale and its approved payments documented and
// queues the sale for the back office, in one transaction.
func (d *DB) MarkDocumented(ctx context.Context, saleID string, doc checkout.Document) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(time.Now())
		res, err := tx.ExecContext(ctx, `UPDATE sales SET state = 'documented', document_kind = ?, updated_at = ? WHERE id = ? AND state = 'pending'`,
			doc.Kind, now, saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("document sale %s: %w", saleID, ErrNotPending)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE payments SET state = 'documented', updated_at = ? WHERE sale_id = ? AND state = 'approved'`,
			now, saleID); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO documents(id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial)
			VALUES (?,?,?,?,?,?,?,?,?)`, doc.UUID, saleID, doc.Kind, doc.DocumentRef.ID(), doc.ZNumber, doc.Number,
			formatTime(doc.IssuedAt), doc.Amount, doc.PrinterSerial); err != nil {
			return err
		}
		return queueSale(ctx, tx, saleID)
	})
}

// RecordAttempt writes the sale (pending, with its lines) and a new attempt, in one transaction.
func (d *DB) RecordAttempt(ctx context.Context, s *checkout.Sale, a *checkout.Attempt) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := upsertSale(ctx, tx, s, a.CreatedAt); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, state, device_id,
			terminal_id, merchant_id, prev_stan, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
			a.ID, a.SaleID, string(a.Method), a.Requested, a.Requested, string(a.State), a.DeviceID, a.TerminalID, a.MerchantID,
			a.PrevSTAN, formatTime(a.CreatedAt), formatTime(a.UpdatedAt))
		return err
	})
}

// UpdateAttempt writes an attempt's new state and terminal data, in one transaction.
func (d *DB) UpdateAttempt(ctx context.Context, a *checkout.Attempt) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		amount := a.Authorized
		if amount <= 0 {
			amount = a.Requested // the column is the document amount; a declined attempt keeps the request
		}
		res, err := tx.ExecContext(ctx, `UPDATE payments SET state = ?, amount_cents = ?, terminal_id = ?, masked_pan = ?, auth_code = ?,
			stan = ?, acquirer_id = ?, operation_number = ?, entry_mode = ?, card_type = ?, host_datetime = ?, terminal_text = ?,
			reversal_stan = ?, updated_at = ? WHERE id = ?`,
			string(a.State), amount, a.TerminalID, a.MaskedPAN, a.AuthCode, a.STAN, a.AcquirerID, a.OperationNumber, a.EntryMode,
			a.CardType, a.HostDateTime, a.TerminalText, a.ReversalSTAN, formatTime(a.UpdatedAt), a.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("update attempt %s: not found", a.ID)
		}
		return nil
	})
}

const attemptColumns = `id, sale_id, method, state, requested_cents, amount_cents, device_id, terminal_id, merchant_id, prev_stan,
	masked_pan, auth_code, stan, acquirer_id, operation_number, entry_mode, card_type, host_datetime, terminal_text, reversal_stan,
	created_at, updated_at`

func scanAttempts(rows *sql.Rows) ([]checkout.Attempt, error) {
	defer rows.Close()
	var out []checkout.Attempt
	for rows.Next() {
		var a checkout.Attempt
		var created, updated string
		if err := rows.Scan(&a.ID, &a.SaleID, &a.Method, &a.State, &a.Requested, &a.Authorized, &a.DeviceID, &a.TerminalID,
			&a.MerchantID, &a.PrevSTAN, &a.MaskedPAN, &a.AuthCode, &a.STAN, &a.AcquirerID, &a.OperationNumber, &a.EntryMode,
			&a.CardType, &a.HostDateTime, &a.TerminalText, &a.ReversalSTAN, &created, &updated); err != nil {
			return nil, err
		}
		if a.State != checkout.AttemptApproved && a.State != checkout.AttemptDocumented && a.State != checkout.AttemptReversed {
			a.Authorized = 0
		}
		a.CreatedAt, a.UpdatedAt = parseTime(created), parseTime(updated)
		out = append(out, a)
	}
	return out, rows.Err()
}

// SaleAttempts lists a sale's electronic payment attempts, oldest first.
func (d *DB) SaleAttempts(ctx context.Context, saleID string) ([]checkout.Attempt, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+attemptColumns+` FROM payments WHERE sale_id = ? AND method <> 'cash'
		ORDER BY created_at, id`, saleID)
	if err != nil {
		return nil, fmt.Errorf("read attempts of %s: %w", saleID, err)
	}
	return scanAttempts(rows)
}

// UnresolvedAttempts lists the attempts whose outcome the till does not know yet (created,
// sent, unknown): they are resolved before the till takes a new sale.
func (d *DB) UnresolvedAttempts(ctx context.Context) ([]checkout.Attempt, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+attemptColumns+` FROM payments WHERE state IN ('created', 'sent', 'unknown')
		ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("read unresolved attempts: %w", err)
	}
	return scanAttempts(rows)
}

// TerminalSTANs returns the STANs recorded for a terminal and the latest one, to tell this
// till's earlier transactions from the one an attempt is waiting for.
func (d *DB) TerminalSTANs(ctx context.Context, terminalID string) (map[string]bool, string, error) {
	// Reversals get STANs of their own, which the terminal's last result may carry too.
	rows, err := d.sql.QueryContext(ctx, `SELECT stan FROM (
		SELECT stan, updated_at, id, 0 AS k FROM payments WHERE terminal_id = ?1 AND stan <> ''
		UNION ALL SELECT reversal_stan, updated_at, id, 1 FROM payments WHERE terminal_id = ?1 AND reversal_stan <> '')
		ORDER BY updated_at, id, k`, terminalID)
	if err != nil {
		return nil, "", fmt.Errorf("read STANs of %s: %w", terminalID, err)
	}
	defer rows.Close()
	known, last := map[string]bool{}, ""
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, "", err
		}
		known[s], last = true, s
	}
	return known, last, rows.Err()
}

// CancelSale marks a pending sale cancelled, with an audit entry; its attempts must already be
// reversed, declined or cancelled.
func (d *DB) CancelSale(ctx context.Context, saleID, reason string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM payments WHERE sale_id = ? AND method <> 'cash'
			AND state IN ('created', 'sent', 'unknown', 'approved')`, saleID).Scan(&open); err != nil {
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM payments WHERE sale_id = ? AND method = 'cash'`, saleID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(id, at, actor, action, subject, detail) VALUES (?,?,?,?,?,?)`,
			NewID(), now, "cashier", "cancel_sale", saleID, reason)
		return err
	})
}

// PendingSales lists the sales waiting for their document, oldest first, with what is known
// of their printing.
func (d *DB) PendingSales(ctx context.Context) ([]checkout.PendingSale, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT id, print_started_at, print_before_z, print_before_number FROM sales
		WHERE state = 'pending' ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("read pending sales: %w", err)
	}
	defer rows.Close()
	var out []checkout.PendingSale
	for rows.Next() {
		var p checkout.PendingSale
		var started string
		if err := rows.Scan(&p.ID, &started, &p.Before.ZNumber, &p.Before.Number); err != nil {
			return nil, err
		}
		p.PrintStarted = started != ""
		out = append(out, p)
	}
	return out, rows.Err()
}

// ClearPrintIntent notes that a pending sale's interrupted printing produced no document.
func (d *DB) ClearPrintIntent(ctx context.Context, saleID string) error {
	_, err := d.sql.ExecContext(ctx, `UPDATE sales SET print_started_at = '' WHERE id = ? AND state = 'pending'`, saleID)
	return err
}

// LoadSale reads a sale back as the checkout works on it.
func (d *DB) LoadSale(ctx context.Context, id string) (*checkout.Sale, error) {
	st, err := d.Sale(ctx, id)
	if err != nil {
		return nil, err
	}
	var started string
	if err := d.sql.QueryRowContext(ctx, `SELECT started_at FROM sales WHERE id = ?`, id).Scan(&started); err != nil {
		return nil, err
	}
	return &checkout.Sale{ID: id, StartedAt: parseTime(started), Lines: st.Lines}, nil
}

// ResolveAttemptByHand writes a manager's settlement of an attempt and its audit entry in one
// transaction.
func (d *DB) ResolveAttemptByHand(ctx context.Context, a *checkout.Attempt, actor, detail string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		amount := a.Authorized
		if amount <= 0 {
			amount = a.Requested
		}
		res, err := tx.ExecContext(ctx, `UPDATE payments SET state = ?, amount_cents = ?, stan = ?, auth_code = ?, terminal_text = ?,
			updated_at = ? WHERE id = ? AND state IN ('sent', 'unknown')`,
			string(a.State), amount, a.STAN, a.AuthCode, a.TerminalText, formatTime(a.UpdatedAt), a.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("attempt %s is not waiting for a resolution", a.ID)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(id, at, actor, action, subject, detail) VALUES (?,?,?,?,?,?)`,
			NewID(), formatTime(time.Now()), actor, "resolve_attempt_by_hand", a.ID, detail)
		return err
	})
}

// DevicesLastUsed tells when each payment device was last used for an attempt, so the
// terminal prompt can list the last used first across restarts.
func (d *DB) DevicesLastUsed(ctx context.Context) (map[string]time.Time, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT device_id, max(created_at) FROM payments WHERE device_id <> '' GROUP BY device_id`)
	if err != nil {
		return nil, fmt.Errorf("read devices last used: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id, at string
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = parseTime(at)
	}
	return out, rows.Err()
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
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(id, at, actor, action, subject) VALUES (?,?,?,?,?)`,
			NewID(), formatTime(time.Now()), "cashier", "print_copy", saleID)
		return err
	})
}
