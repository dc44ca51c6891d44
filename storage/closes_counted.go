package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"till/money"
)

// What a close counts: the open payments that stop it, the till's payments on each terminal,
// the cash. Each payment and each sum of money given back belongs to the close that counted it.

// openPaymentsSQL reads payments_unresolved_by_sale for the unresolved attempts, sales_pending
// for the approved payments (whose sale is pending until its document is issued), and
// return_money_unclosed for money a refund or void has still to give back. Each part repeats
// its index's condition; CROSS JOIN keeps the indexed table outside.
const openPaymentsSQL = `SELECT id, sale_id, method, state, terminal_id, amount_cents, created_at FROM payments
	WHERE state IN ('created', 'sent', 'unknown')
	UNION ALL SELECT p.id, p.sale_id, p.method, p.state, p.terminal_id, p.amount_cents, p.created_at
	FROM sales s CROSS JOIN payments p ON p.sale_id = s.id WHERE s.state = 'pending' AND p.state = 'approved'
	UNION ALL SELECT m.id, r.sale_id, m.method, 'return_' || m.state, '', m.amount_cents, m.updated_at
	FROM return_money m CROSS JOIN returns r ON r.id = m.return_id
	WHERE m.close_id = '' AND m.state IN ('planned', 'reversing', 'unknown')
	ORDER BY 7, 1`

// OpenPayments lists the payments not settled yet: sent or unknown on a terminal, approved
// with their document still due, or money a refund or void has not given back for sure (state
// "return_planned", "return_reversing", "return_unknown").
func (d *DB) OpenPayments(ctx context.Context) ([]OpenPayment, error) {
	rows, err := d.sql.QueryContext(ctx, openPaymentsSQL)
	if err != nil {
		return nil, fmt.Errorf("read open payments: %w", err)
	}
	defer rows.Close()
	var out []OpenPayment
	for rows.Next() {
		var p OpenPayment
		var at string
		if err := rows.Scan(&p.ID, &p.SaleID, &p.Method, &p.State, &p.TerminalID, &p.Amount, &at); err != nil {
			return nil, err
		}
		p.CreatedAt = parseTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// The till's side of a terminal: the settled payments no close has counted (payments_unclosed).
const (
	unclosedSumsSQL = `SELECT method, COALESCE(sum(amount_cents), 0) FROM payments
		WHERE terminal_id = ? AND close_id = '' AND state IN ('approved', 'documented') GROUP BY method`
	markUnclosedSQL = `UPDATE payments SET close_id = ? WHERE terminal_id = ? AND close_id = ''
		AND state NOT IN ('created', 'sent', 'unknown')`
	// The reversals of refunds and voids done on a terminal (return_money_unclosed).
	unclosedReversalsSQL = `SELECT m.method, COALESCE(sum(m.amount_cents), 0) FROM return_money m
		CROSS JOIN payments p ON p.id = m.attempt_id
		WHERE m.close_id = '' AND m.method <> 'cash' AND m.state = 'done' AND p.terminal_id = ? GROUP BY m.method`
	// What an earlier read of the same close already took for the terminal: after the terminal
	// refused C its session still holds them, so a new read (T) counts them again on both sides.
	readSumsSQL = `SELECT method, COALESCE(sum(amount_cents), 0) FROM payments
		WHERE close_id = ? AND close_id <> '' AND terminal_id = ? AND state IN ('approved', 'documented') GROUP BY method`
	readReversalsSQL = `SELECT m.method, COALESCE(sum(m.amount_cents), 0) FROM return_money m
		CROSS JOIN payments p ON p.id = m.attempt_id
		WHERE m.close_id = ? AND m.close_id <> '' AND m.method <> 'cash' AND m.state = 'done' AND p.terminal_id = ? GROUP BY m.method`
	markReversalsSQL = `UPDATE return_money SET close_id = ?1 WHERE close_id = '' AND method <> 'cash' AND state IN ('done', 'manual')
		AND EXISTS (SELECT 1 FROM payments p WHERE p.id = return_money.attempt_id AND p.terminal_id = ?2)`
)

// TerminalRead records the session total a terminal gave (T) and, in the same transaction,
// what the till holds for it: its approved and documented payments on that terminal that no
// close counted, which now belong to this close. Settled payments that took nothing (declined,
// reversed) are marked too, so the next close never reads them again.
func (d *DB) TerminalRead(ctx context.Context, closeID, terminalID string, total money.Cents) (CloseTerminal, error) {
	var t CloseTerminal
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		cov, card, err := sumByMethod(ctx, tx, unclosedSumsSQL, terminalID)
		if err != nil {
			return err
		}
		rcov, rcard, err := sumByMethod(ctx, tx, unclosedReversalsSQL, terminalID)
		if err != nil {
			return err
		}
		pcov, pcard, err := sumByMethod(ctx, tx, readSumsSQL, closeID, terminalID)
		if err != nil {
			return err
		}
		prcov, prcard, err := sumByMethod(ctx, tx, readReversalsSQL, closeID, terminalID)
		if err != nil {
			return err
		}
		cov, card = cov-rcov+pcov-prcov, card-rcard+pcard-prcard
		res, err := tx.ExecContext(ctx, `UPDATE close_terminals SET state = 'read', terminal_cents = ?, till_cents = ?,
			coverflex_cents = ?, card_cents = ?, evidence = '', updated_at = ? WHERE close_id = ? AND terminal_id = ?
			AND state IN ('reading', 'refused')`, total, cov+card, cov, card, formatTime(time.Now()), closeID, terminalID)
		if err := oneRow(res, err, "close %s: terminal %s read", closeID, terminalID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, markUnclosedSQL, closeID, terminalID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, markReversalsSQL, closeID, terminalID); err != nil {
			return err
		}
		return chainAppend(ctx, tx, "close", closeID)
	})
	if err != nil {
		return t, err
	}
	c, err := d.LoadClose(ctx, closeID)
	if err != nil {
		return t, err
	}
	for _, x := range c.Terminals {
		if x.TerminalID == terminalID {
			return x, nil
		}
	}
	return t, fmt.Errorf("close %s has no terminal %s", closeID, terminalID)
}

// sumByMethod sums a query's (method, amount) rows as Coverflex and card.
func sumByMethod(ctx context.Context, tx *sql.Tx, query string, args ...any) (cov, card money.Cents, err error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var method string
		var sum money.Cents
		if err := rows.Scan(&method, &sum); err != nil {
			return 0, 0, err
		}
		if method == "coverflex" {
			cov += sum
		} else {
			card += sum
		}
	}
	return cov, card, rows.Err()
}

// closePaymentsSQL reads payments_by_close, whose condition it repeats.
const closePaymentsSQL = `SELECT id, sale_id, method, amount_cents, stan, updated_at FROM payments
	WHERE close_id = ? AND close_id <> '' AND terminal_id = ? AND state IN ('approved', 'documented') ORDER BY created_at, id`

// ClosePayments lists the payments a close counted for a terminal: the sales involved when
// the totals differ.
func (d *DB) ClosePayments(ctx context.Context, closeID, terminalID string) ([]ClosePayment, error) {
	rows, err := d.sql.QueryContext(ctx, closePaymentsSQL, closeID, terminalID)
	if err != nil {
		return nil, fmt.Errorf("read the payments of close %s: %w", closeID, err)
	}
	defer rows.Close()
	var out []ClosePayment
	for rows.Next() {
		var p ClosePayment
		var at string
		if err := rows.Scan(&p.ID, &p.SaleID, &p.Method, &p.Amount, &p.STAN, &at); err != nil {
			return nil, err
		}
		p.At = parseTime(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// The cash a close counts: the documented cash payments no close counted (payments_unclosed)
// become its own (payments_by_close); a Z tried again after a refusal counts them again.
const (
	closeCashSQL = `SELECT COALESCE(sum(amount_cents), 0) FROM payments
		WHERE close_id = ? AND close_id <> '' AND terminal_id = '' AND method = 'cash'`
	markCashSQL = `UPDATE payments SET close_id = ? WHERE terminal_id = '' AND close_id = '' AND state = 'documented'
		AND method = 'cash'`
	// Cash handed back by refunds and voids (return_money_unclosed, return_money_by_close).
	markCashBackSQL  = `UPDATE return_money SET close_id = ? WHERE close_id = '' AND method = 'cash' AND state IN ('done', 'manual')`
	closeCashBackSQL = `SELECT COALESCE(sum(amount_cents), 0) FROM return_money
		WHERE close_id = ? AND close_id <> '' AND method = 'cash' AND state = 'done'`
)
