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
// with the intent to print (and what the printer said its last document was) when print is not
// nil, in one transaction. Saving again (a retry after the printer refused) replaces the lines
// and the cash payments; electronic payments are kept. A sale whose earlier receipt may have
// been issued is refused until a person says whether it was.
func (d *DB) SavePending(ctx context.Context, s *checkout.Sale, cash []checkout.Payment, print *checkout.PrintIntent, at time.Time) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := refuseUncertain(ctx, tx, s.ID); err != nil {
			return err
		}
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
		started, before := "", fiscal.DocumentRef{}
		if print != nil {
			started, before = now, print.Before
		}
		_, err := tx.ExecContext(ctx, `UPDATE sales SET print_started_at = ?, print_before_z = ?, print_before_number = ? WHERE id = ?`,
			started, before.ZNumber, before.Number, s.ID)
		return err
	})
}

// refuseUncertain fails with checkout.ErrPrintUncertain when the sale's receipt may exist.
func refuseUncertain(ctx context.Context, tx *sql.Tx, saleID string) error {
	var uncertain string
	err := tx.QueryRowContext(ctx, `SELECT print_uncertain_at FROM sales WHERE id = ?`, saleID).Scan(&uncertain)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return err
	case uncertain != "":
		return fmt.Errorf("sale %s: %w", saleID, checkout.ErrPrintUncertain)
	}
	return nil
}

// MarkDocumented records the document, marks the sale and exactly the listed approved attempts
// documented, and queues the sale for the back office, in one transaction. Each attempt moves
// from approved to documented as a compare-and-set, and an attempt of the sale still open
// that is not on the document stops it: the paper would not show it. With person set, the sale
// must be waiting for a print confirmation, and the confirmation is audited.
func (d *DB) MarkDocumented(ctx context.Context, saleID string, doc checkout.Document, attemptIDs []string, person string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(time.Now())
		cond := ""
		if person != "" {
			cond = " AND print_uncertain_at <> ''"
		}
		res, err := tx.ExecContext(ctx, `UPDATE sales SET state = 'documented', document_kind = ?, print_uncertain_at = '', updated_at = ?
			WHERE id = ? AND state = 'pending'`+cond, doc.Kind, now, saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if person != "" {
				return fmt.Errorf("document sale %s: %w", saleID, checkout.ErrNotUncertain)
			}
			return fmt.Errorf("document sale %s: %w", saleID, ErrNotPending)
		}
		if err := documentAttempts(ctx, tx, saleID, attemptIDs, now); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO documents(id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial)
			VALUES (?,?,?,?,?,?,?,?,?)`, doc.UUID, saleID, doc.Kind, doc.DocumentRef.ID(), doc.ZNumber, doc.Number,
			formatTime(doc.IssuedAt), doc.Amount, doc.PrinterSerial); err != nil {
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
func noteAmountDiffers(ctx context.Context, tx *sql.Tx, saleID string, doc checkout.Document) error {
	if !doc.AmountReported {
		return nil
	}
	var total money.Cents
	if err := tx.QueryRowContext(ctx, `SELECT total_cents FROM sales WHERE id = ?`, saleID).Scan(&total); err != nil {
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
// of the sale is still open.
func documentAttempts(ctx context.Context, tx *sql.Tx, saleID string, attemptIDs []string, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE payments SET state = 'documented', updated_at = ? WHERE sale_id = ? AND method = 'cash'
		AND state = 'approved'`, now, saleID); err != nil {
		return err
	}
	for _, id := range attemptIDs {
		res, err := tx.ExecContext(ctx, `UPDATE payments SET state = 'documented', updated_at = ? WHERE id = ? AND sale_id = ? AND state = 'approved'`,
			now, id, saleID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &checkout.StaleError{ID: id, Want: checkout.AttemptApproved, Found: attemptState(ctx, tx, id)}
		}
	}
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM payments WHERE sale_id = ? AND method <> 'cash'
		AND state IN ('created', 'sent', 'unknown', 'approved')`, saleID).Scan(&open); err != nil {
		return err
	}
	if open > 0 {
		return fmt.Errorf("sale %s: %d electronic payments are not on the document: %w", saleID, open, checkout.ErrStale)
	}
	return nil
}

func attemptState(ctx context.Context, tx *sql.Tx, id string) checkout.AttemptState {
	var st string
	if err := tx.QueryRowContext(ctx, `SELECT state FROM payments WHERE id = ?`, id).Scan(&st); err != nil {
		return "missing"
	}
	return checkout.AttemptState(st)
}

func audit(ctx context.Context, tx *sql.Tx, actor, action, subject, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log(id, at, actor, action, subject, detail) VALUES (?,?,?,?,?,?)`,
		NewID(), formatTime(time.Now()), actor, action, subject, detail)
	return err
}

// RecordAttempt writes the sale (pending, with its lines) and a new attempt, in one
// transaction, unless an unresolved attempt holds the sale or the terminal (*BlockedError) or
// the sale's receipt is uncertain.
func (d *DB) RecordAttempt(ctx context.Context, s *checkout.Sale, a *checkout.Attempt) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := refuseUncertain(ctx, tx, s.ID); err != nil {
			return err
		}
		blocking, err := blockingAttempt(ctx, tx, s.ID, a.TerminalID)
		if err != nil {
			return err
		}
		if blocking != nil {
			return &checkout.BlockedError{Attempt: *blocking, SameSale: blocking.SaleID == s.ID}
		}
		if err := upsertSale(ctx, tx, s, a.CreatedAt); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, state, device_id,
			terminal_id, merchant_id, prev_stan, prev_raw, exclusive, work_timeout_ms, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			a.ID, a.SaleID, string(a.Method), a.Requested, a.Requested, string(a.State), a.DeviceID, a.TerminalID, a.MerchantID,
			a.PrevSTAN, a.PrevRaw, a.Exclusive, a.WorkTimeout.Milliseconds(), formatTime(a.CreatedAt), formatTime(a.UpdatedAt))
		return err
	})
}

// queryer is a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// blockingAttempt is an unresolved attempt on the sale or on the terminal (both through their
// partial indexes), nil when none.
func blockingAttempt(ctx context.Context, q queryer, saleID, terminalID string) (*checkout.Attempt, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+attemptColumns+` FROM payments WHERE sale_id = ?1 AND state IN ('created', 'sent', 'unknown')
		UNION ALL SELECT `+attemptColumns+` FROM payments WHERE terminal_id = ?2 AND state IN ('created', 'sent', 'unknown')
		LIMIT 1`, saleID, terminalID)
	if err != nil {
		return nil, fmt.Errorf("read attempts holding sale %s or terminal %s: %w", saleID, terminalID, err)
	}
	list, err := scanAttempts(rows)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// BlockingAttempt is an unresolved attempt on the sale or on the terminal, nil when none.
func (d *DB) BlockingAttempt(ctx context.Context, saleID, terminalID string) (*checkout.Attempt, error) {
	return blockingAttempt(ctx, d.sql, saleID, terminalID)
}

// UpdateAttempt writes an attempt's new state and terminal data where its state is still from
// (a compare-and-set: *checkout.StaleError when someone moved it first), and the terminal's
// last result when seen is not nil, in one transaction.
func (d *DB) UpdateAttempt(ctx context.Context, a *checkout.Attempt, from checkout.AttemptState, seen *checkout.Baseline) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		amount := a.Authorized
		if amount <= 0 {
			amount = a.Requested // the column is the document amount; a declined attempt keeps the request
		}
		res, err := tx.ExecContext(ctx, `UPDATE payments SET state = ?, amount_cents = ?, masked_pan = ?, auth_code = ?,
			stan = ?, acquirer_id = ?, operation_number = ?, entry_mode = ?, card_type = ?, host_datetime = ?, terminal_text = ?,
			reversal_stan = ?, sent_at = ?, evidence = ?, updated_at = ? WHERE id = ? AND state = ?`,
			string(a.State), amount, a.MaskedPAN, a.AuthCode, a.STAN, a.AcquirerID, a.OperationNumber, a.EntryMode,
			a.CardType, a.HostDateTime, a.TerminalText, a.ReversalSTAN, optTime(a.SentAt), a.Evidence, formatTime(a.UpdatedAt),
			a.ID, string(from))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &checkout.StaleError{ID: a.ID, Want: from, Found: attemptState(ctx, tx, a.ID)}
		}
		if seen != nil {
			return saveBaseline(ctx, tx, a.TerminalID, *seen)
		}
		return nil
	})
}

const attemptColumns = `id, sale_id, method, state, requested_cents, amount_cents, device_id, terminal_id, merchant_id, prev_stan,
	prev_raw, exclusive, work_timeout_ms, sent_at, evidence,
	masked_pan, auth_code, stan, acquirer_id, operation_number, entry_mode, card_type, host_datetime, terminal_text, reversal_stan,
	created_at, updated_at`

func scanAttempts(rows *sql.Rows) ([]checkout.Attempt, error) {
	defer rows.Close()
	var out []checkout.Attempt
	for rows.Next() {
		var a checkout.Attempt
		var created, updated, sent string
		var timeoutMS int64
		if err := rows.Scan(&a.ID, &a.SaleID, &a.Method, &a.State, &a.Requested, &a.Authorized, &a.DeviceID, &a.TerminalID,
			&a.MerchantID, &a.PrevSTAN, &a.PrevRaw, &a.Exclusive, &timeoutMS, &sent, &a.Evidence,
			&a.MaskedPAN, &a.AuthCode, &a.STAN, &a.AcquirerID, &a.OperationNumber, &a.EntryMode,
			&a.CardType, &a.HostDateTime, &a.TerminalText, &a.ReversalSTAN, &created, &updated); err != nil {
			return nil, err
		}
		if a.State != checkout.AttemptApproved && a.State != checkout.AttemptDocumented && a.State != checkout.AttemptReversed {
			a.Authorized = 0
		}
		a.WorkTimeout = time.Duration(timeoutMS) * time.Millisecond
		a.CreatedAt, a.UpdatedAt = parseTime(created), parseTime(updated)
		if sent != "" {
			a.SentAt = parseTime(sent)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func optTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return formatTime(t)
}

// Attempt reads one attempt as it is now.
func (d *DB) Attempt(ctx context.Context, id string) (checkout.Attempt, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+attemptColumns+` FROM payments WHERE id = ? AND method <> 'cash'`, id)
	if err != nil {
		return checkout.Attempt{}, fmt.Errorf("read attempt %s: %w", id, err)
	}
	list, err := scanAttempts(rows)
	if err != nil {
		return checkout.Attempt{}, err
	}
	if len(list) == 0 {
		return checkout.Attempt{}, fmt.Errorf("attempt %s: not found", id)
	}
	return list[0], nil
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
// sent, unknown), oldest first.
func (d *DB) UnresolvedAttempts(ctx context.Context) ([]checkout.Attempt, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+attemptColumns+` FROM payments
		WHERE state IN ('created', 'sent', 'unknown') ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("read unresolved attempts: %w", err)
	}
	return scanAttempts(rows)
}

// TerminalBaseline is the terminal's last result as this till last saw it; ok is false when the
// till has never seen one. One row per terminal: the cost does not grow with the sales.
func (d *DB) TerminalBaseline(ctx context.Context, terminalID string) (checkout.Baseline, bool, error) {
	var b checkout.Baseline
	var at string
	err := d.sql.QueryRowContext(ctx, `SELECT last_stan, last_raw, updated_at FROM terminal_state WHERE terminal_id = ?`, terminalID).
		Scan(&b.STAN, &b.Raw, &at)
	switch {
	case err == sql.ErrNoRows:
		return b, false, nil
	case err != nil:
		return b, false, fmt.Errorf("read the last result of terminal %s: %w", terminalID, err)
	}
	b.At = parseTime(at)
	return b, true, nil
}

// SaveBaseline records the terminal's last result as just seen.
func (d *DB) SaveBaseline(ctx context.Context, terminalID string, b checkout.Baseline) error {
	return d.inTx(ctx, func(tx *sql.Tx) error { return saveBaseline(ctx, tx, terminalID, b) })
}

func saveBaseline(ctx context.Context, tx *sql.Tx, terminalID string, b checkout.Baseline) error {
	at := b.At
	if at.IsZero() {
		at = time.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO terminal_state(terminal_id, last_stan, last_raw, updated_at) VALUES (?,?,?,?)
		ON CONFLICT(terminal_id) DO UPDATE SET last_stan = excluded.last_stan, last_raw = excluded.last_raw, updated_at = excluded.updated_at`,
		terminalID, b.STAN, b.Raw, formatTime(at))
	return err
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
		return audit(ctx, tx, "cashier", "cancel_sale", saleID, reason)
	})
}

// PendingSales lists the sales waiting for their document, oldest first, with what is known
// of their printing.
func (d *DB) PendingSales(ctx context.Context) ([]checkout.PendingSale, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT id, print_started_at, print_uncertain_at, print_before_z, print_before_number
		FROM sales WHERE state <> 'documented' AND state = 'pending' ORDER BY created_at, id`)
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

// CashTendered is the cash handed over recorded for a pending sale, 0 when none.
func (d *DB) CashTendered(ctx context.Context, saleID string) (money.Cents, error) {
	var t money.Cents
	err := d.sql.QueryRowContext(ctx, `SELECT COALESCE(sum(tendered_cents), 0) FROM payments WHERE sale_id = ? AND method = 'cash'`, saleID).Scan(&t)
	return t, err
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

// ResolveAttemptByHand writes a manager's settlement of an attempt, where its state is still
// from, and its audit entry, in one transaction.
func (d *DB) ResolveAttemptByHand(ctx context.Context, a *checkout.Attempt, from checkout.AttemptState, actor, detail string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		amount := a.Authorized
		if amount <= 0 {
			amount = a.Requested
		}
		res, err := tx.ExecContext(ctx, `UPDATE payments SET state = ?, amount_cents = ?, stan = ?, auth_code = ?, terminal_text = ?,
			evidence = ?, updated_at = ? WHERE id = ? AND state = ?`,
			string(a.State), amount, a.STAN, a.AuthCode, a.TerminalText, a.Evidence, formatTime(a.UpdatedAt), a.ID, string(from))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &checkout.StaleError{ID: a.ID, Want: from, Found: attemptState(ctx, tx, a.ID)}
		}
		return audit(ctx, tx, actor, "resolve_attempt_by_hand", a.ID, detail)
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
		return audit(ctx, tx, "cashier", "print_copy", saleID, "")
	})
}

// LastReceiptSale is the sale of the receipt this till recorded last, "" when none.
func (d *DB) LastReceiptSale(ctx context.Context) (string, error) {
	var id string
	err := d.sql.QueryRowContext(ctx, `SELECT sale_id FROM documents WHERE kind = 'receipt' ORDER BY rowid DESC LIMIT 1`).Scan(&id)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return id, err
}
