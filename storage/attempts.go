package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"till/app/checkout"
)

// The attempt writes of a payment, prepared (hotQueries).
const (
	insertAttemptSQL = `INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, state, device_id,
		terminal_id, merchant_id, prev_stan, prev_raw, exclusive, work_timeout_ms, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	updateAttemptSQL = `UPDATE payments SET state = ?, amount_cents = ?, masked_pan = ?, auth_code = ?,
		stan = ?, acquirer_id = ?, operation_number = ?, entry_mode = ?, card_type = ?, host_datetime = ?, terminal_text = ?,
		reversal_stan = ?, sent_at = ?, evidence = ?, updated_at = ? WHERE id = ? AND state = ?`
	saveBaselineSQL = `INSERT INTO terminal_state(terminal_id, last_stan, last_raw, updated_at) VALUES (?,?,?,?)
		ON CONFLICT(terminal_id) DO UPDATE SET last_stan = excluded.last_stan, last_raw = excluded.last_raw, updated_at = excluded.updated_at`
	// blockingAttemptSQL reads the partial indexes payments_unresolved_by_sale and
	// payments_unresolved_by_terminal, whose condition it repeats word for word.
	blockingAttemptSQL = `SELECT ` + attemptColumns + ` FROM payments WHERE sale_id = ?1 AND state IN ('created', 'sent', 'unknown')
		UNION ALL SELECT ` + attemptColumns + ` FROM payments WHERE terminal_id = ?2 AND state IN ('created', 'sent', 'unknown')
		LIMIT 1`
)

// RecordAttempt writes the sale (pending, with its lines) and a new attempt, in one
// transaction, unless an unresolved attempt holds the sale or the terminal (*BlockedError) or
// the sale's receipt is uncertain.
func (d *DB) RecordAttempt(ctx context.Context, s *checkout.Sale, a *checkout.Attempt) error {
	return d.write(ctx, func(tx *txn) error {
		h, err := readSaleHead(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if err := h.refuseUncertain(s.ID); err != nil {
			return err
		}
		blocking, err := blockingAttempt(ctx, tx, s.ID, a.TerminalID)
		if err != nil {
			return err
		}
		if blocking != nil {
			return &checkout.BlockedError{Attempt: *blocking, SameSale: blocking.SaleID == s.ID}
		}
		if err := upsertSale(ctx, tx, h, s, a.CreatedAt); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, insertAttemptSQL,
			a.ID, a.SaleID, string(a.Method), a.Requested, a.Requested, string(a.State), a.DeviceID, a.TerminalID, a.MerchantID,
			a.PrevSTAN, a.PrevRaw, a.Exclusive, a.WorkTimeout.Milliseconds(), formatTime(a.CreatedAt), formatTime(a.UpdatedAt)); err != nil {
			return err
		}
		return chainRecords(ctx, tx, chainRef{"sale", s.ID}, chainRef{"payment", a.ID})
	})
}

// queryer is a *sql.DB, a *sql.Tx or a txn.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// blockingAttempt is an unresolved attempt on the sale or on the terminal, nil when none.
func blockingAttempt(ctx context.Context, q queryer, saleID, terminalID string) (*checkout.Attempt, error) {
	rows, err := q.QueryContext(ctx, blockingAttemptSQL, saleID, terminalID)
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
	return d.write(ctx, func(tx *txn) error {
		amount := a.Authorized
		if amount <= 0 {
			amount = a.Requested // the column is the document amount; a declined attempt keeps the request
		}
		res, err := tx.ExecContext(ctx, updateAttemptSQL,
			string(a.State), amount, a.MaskedPAN, a.AuthCode, a.STAN, a.AcquirerID, a.OperationNumber, a.EntryMode,
			a.CardType, a.HostDateTime, a.TerminalText, a.ReversalSTAN, optTime(a.SentAt), a.Evidence, formatTime(a.UpdatedAt),
			a.ID, string(from))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &checkout.StaleError{ID: a.ID, Want: from, Found: attemptState(ctx, tx, a.ID)}
		}
		if err := chainAppend(ctx, tx, "payment", a.ID); err != nil {
			return err
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

const (
	attemptSQL      = `SELECT ` + attemptColumns + ` FROM payments WHERE id = ? AND method <> 'cash'`
	saleAttemptsSQL = `SELECT ` + attemptColumns + ` FROM payments WHERE sale_id = ? AND method <> 'cash'
		ORDER BY created_at, id`
	// unresolvedAttemptsSQL reads the partial index payments_unresolved_by_sale whole: it holds
	// the unresolved attempts only.
	unresolvedAttemptsSQL = `SELECT ` + attemptColumns + ` FROM payments
		WHERE state IN ('created', 'sent', 'unknown') ORDER BY created_at, id`
	terminalBaselineSQL = `SELECT last_stan, last_raw, updated_at FROM terminal_state WHERE terminal_id = ?`
)

// Attempt reads one attempt as it is now.
func (d *DB) Attempt(ctx context.Context, id string) (checkout.Attempt, error) {
	rows, err := d.sql.QueryContext(ctx, attemptSQL, id)
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
	rows, err := d.sql.QueryContext(ctx, saleAttemptsSQL, saleID)
	if err != nil {
		return nil, fmt.Errorf("read attempts of %s: %w", saleID, err)
	}
	return scanAttempts(rows)
}

// UnresolvedAttempts lists the attempts whose outcome the till does not know yet (created,
// sent, unknown), oldest first.
func (d *DB) UnresolvedAttempts(ctx context.Context) ([]checkout.Attempt, error) {
	rows, err := d.sql.QueryContext(ctx, unresolvedAttemptsSQL)
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
	err := d.sql.QueryRowContext(ctx, terminalBaselineSQL, terminalID).Scan(&b.STAN, &b.Raw, &at)
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
	return d.write(ctx, func(tx *txn) error { return saveBaseline(ctx, tx, terminalID, b) })
}

func saveBaseline(ctx context.Context, tx *txn, terminalID string, b checkout.Baseline) error {
	at := b.At
	if at.IsZero() {
		at = time.Now()
	}
	_, err := tx.ExecContext(ctx, saveBaselineSQL, terminalID, b.STAN, b.Raw, formatTime(at))
	return err
}

// ResolveAttemptByHand writes a manager's settlement of an attempt, where its state is still
// from, and its audit entry, in one transaction.
func (d *DB) ResolveAttemptByHand(ctx context.Context, a *checkout.Attempt, from checkout.AttemptState, actor, detail string) error {
	return d.write(ctx, func(tx *txn) error {
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
		if err := chainAppend(ctx, tx, "payment", a.ID); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "resolve_attempt_by_hand", a.ID, detail) // chained too
	})
}

// devicesLastUsedSQL walks the devices in payments_by_device, one index search per device,
// instead of grouping every electronic payment ever made: SQLite has no skip scan without
// statistics, so the walk is written out. Each step repeats the condition of the index
// on device_id word for word, for the planner to use it.
const devicesLastUsedSQL = `WITH RECURSIVE devices(id) AS (
		SELECT min(device_id) FROM payments WHERE device_id <> ''
		UNION ALL
		SELECT (SELECT min(device_id) FROM payments WHERE device_id <> '' AND device_id > devices.id) FROM devices
		WHERE devices.id IS NOT NULL)
	SELECT id, (SELECT max(created_at) FROM payments WHERE device_id <> '' AND device_id = devices.id)
	FROM devices WHERE id IS NOT NULL`

// DevicesLastUsed tells when each payment device was last used for an attempt, so the
// terminal prompt can list the last used first across restarts.
func (d *DB) DevicesLastUsed(ctx context.Context) (map[string]time.Time, error) {
	rows, err := d.sql.QueryContext(ctx, devicesLastUsedSQL)
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
