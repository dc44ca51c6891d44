package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"till/fiscal"
	"till/money"
)

// CloseState is where a day's close stands (docs/closing.md).
type CloseState string

// The states of a close.
const (
	CloseTerminals CloseState = "terminals"  // reading and closing the terminals
	CloseZPrinting CloseState = "z_printing" // the Z report was asked for: it may be on paper
	CloseZUnknown  CloseState = "z_unknown"  // the Z's outcome is lost: a person reads the paper
	CloseDone      CloseState = "done"       // the Z is printed
)

// closeEdges is the state machine of a close: the Z intent is recorded before the printer is
// asked, and only a refusal or a person's word takes it back.
var closeEdges = map[CloseState][]CloseState{
	CloseTerminals: {CloseZPrinting},
	CloseZPrinting: {CloseDone, CloseZUnknown, CloseTerminals},
	CloseZUnknown:  {CloseDone, CloseTerminals},
}

// CloseEdge reports whether a close may go from one state to the other.
func CloseEdge(from, to CloseState) bool {
	for _, s := range closeEdges[from] {
		if s == to {
			return true
		}
	}
	return false
}

// TerminalCloseState is where one terminal of a close stands.
type TerminalCloseState string

// The states of a terminal in a close.
const (
	TerminalReading TerminalCloseState = "reading" // nothing sent yet that changes anything
	TerminalRead    TerminalCloseState = "read"    // its session total (T) is recorded
	TerminalClosing TerminalCloseState = "closing" // C may have reached it: never sent again
	TerminalClosed  TerminalCloseState = "closed"  // its session is closed, on evidence
	TerminalUnknown TerminalCloseState = "unknown" // C's outcome is not proven: the manager looks
	TerminalRefused TerminalCloseState = "refused" // it answered C with a refusal: nothing closed
)

// terminalEdges is the state machine of a terminal in a close; every write is a
// compare-and-set on one of these edges.
var terminalEdges = map[TerminalCloseState][]TerminalCloseState{
	TerminalReading: {TerminalRead},
	TerminalRefused: {TerminalRead},
	TerminalRead:    {TerminalClosing},
	TerminalClosing: {TerminalClosed, TerminalRefused, TerminalUnknown, TerminalRead},
	TerminalUnknown: {TerminalClosed},
}

// TerminalEdge reports whether a terminal of a close may go from one state to the other.
func TerminalEdge(from, to TerminalCloseState) bool {
	for _, s := range terminalEdges[from] {
		if s == to {
			return true
		}
	}
	return false
}

// ErrCloseStale is returned when a close or one of its terminals is not in the state a write
// expected: someone else moved it.
var ErrCloseStale = errors.New("close changed meanwhile")

// Close is a day's close as recorded.
type Close struct {
	ID           string
	State        CloseState
	StartedAt    time.Time
	Operator     string
	CashCounted  *money.Cents // nil when the drawer was not counted
	CashExpected money.Cents  // the cash payments the close counted
	OpenPayments []OpenPayment
	Differs      bool
	ZNumber      int
	ZTotal       money.Cents
	ZEvidence    string
	Terminals    []CloseTerminal
}

// CloseTerminal is one terminal of a close: what it said and what the till holds for it.
type CloseTerminal struct {
	TerminalID string
	DeviceID   string
	Name       string
	Shared     bool // other tills take payments on it too: its totals include theirs
	State      TerminalCloseState
	Terminal   money.Cents // the session's total the terminal gave just before C
	Host       money.Cents // the host total C gave, 0 when closed by other evidence
	Till       money.Cents // the till's approved electronic payments on it
	Coverflex  money.Cents
	Card       money.Cents
	Evidence   string
}

// Difference is what the terminal holds beyond the till: positive when it took more.
func (t CloseTerminal) Difference() money.Cents { return t.Terminal - t.Till }

// OpenPayment is a payment whose outcome or document is still due.
type OpenPayment struct {
	ID         string      `json:"id"`
	SaleID     string      `json:"sale_id"`
	Method     string      `json:"method"`
	State      string      `json:"state"`
	TerminalID string      `json:"terminal_id,omitempty"`
	Amount     money.Cents `json:"amount_cents"`
	CreatedAt  time.Time   `json:"created_at"`
}

// ClosePayment is a payment a close counted for a terminal.
type ClosePayment struct {
	ID     string
	SaleID string
	Method string
	Amount money.Cents
	STAN   string
	At     time.Time
}

// StartClose records a new close with its terminals, all reading, in one transaction. Another
// close under way refuses it (closes_one_open).
func (d *DB) StartClose(ctx context.Context, c Close) error {
	open, err := json.Marshal(c.OpenPayments)
	if err != nil {
		return err
	}
	if c.OpenPayments == nil {
		open = nil
	}
	counted, set := cashColumns(c.CashCounted)
	return d.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(time.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO closes(id, state, started_at, updated_at, operator, cash_counted,
			cash_counted_set, open_payments) VALUES (?, 'terminals', ?, ?, ?, ?, ?, ?)`,
			c.ID, now, now, c.Operator, counted, set, string(open)); err != nil {
			return fmt.Errorf("start close: %w", err)
		}
		for _, t := range c.Terminals {
			if _, err := tx.ExecContext(ctx, `INSERT INTO close_terminals(close_id, terminal_id, device_id, name, shared, state,
				updated_at) VALUES (?,?,?,?,?, 'reading', ?)`, c.ID, t.TerminalID, t.DeviceID, t.Name, t.Shared, now); err != nil {
				return fmt.Errorf("start close: terminal %s: %w", t.TerminalID, err)
			}
		}
		return chainAppend(ctx, tx, "close", c.ID)
	})
}

func cashColumns(c *money.Cents) (money.Cents, bool) {
	if c == nil {
		return 0, false
	}
	return *c, true
}

// SetCashCounted records the counted cash of a close still reading its terminals, chained with
// the close: the count is part of what the audit chain protects.
func (d *DB) SetCashCounted(ctx context.Context, closeID string, counted money.Cents) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE closes SET cash_counted = ?, cash_counted_set = 1, updated_at = ?
			WHERE id = ? AND state = 'terminals'`, counted, formatTime(time.Now()), closeID)
		if err := oneRow(res, err, "close %s: cash", closeID); err != nil {
			return err
		}
		return chainAppend(ctx, tx, "close", closeID)
	})
}

func oneRow(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return fmt.Errorf(format+": %w", append(args, err)...)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf(format+": %w", append(args, ErrCloseStale)...)
	}
	return nil
}

// unfinishedCloseSQL reads closes_one_open.
const unfinishedCloseSQL = `SELECT id FROM closes WHERE done_at = ''`

// UnfinishedClose is the close under way, nil when none.
func (d *DB) UnfinishedClose(ctx context.Context) (*Close, error) {
	var id string
	err := d.sql.QueryRowContext(ctx, unfinishedCloseSQL).Scan(&id)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the close under way: %w", err)
	}
	return d.LoadClose(ctx, id)
}

// LoadClose reads a close with its terminals.
func (d *DB) LoadClose(ctx context.Context, id string) (*Close, error) {
	c := &Close{ID: id}
	var started, open string
	var counted money.Cents
	var set bool
	err := d.sql.QueryRowContext(ctx, `SELECT state, started_at, operator, cash_counted, cash_counted_set, cash_expected_cents,
		open_payments, differs, z_number, z_total_cents, z_evidence FROM closes WHERE id = ?`, id).Scan(&c.State, &started,
		&c.Operator, &counted, &set, &c.CashExpected, &open, &c.Differs, &c.ZNumber, &c.ZTotal, &c.ZEvidence)
	if err != nil {
		return nil, fmt.Errorf("read close %s: %w", id, err)
	}
	c.StartedAt = parseTime(started)
	if set {
		c.CashCounted = &counted
	}
	if open != "" {
		if err := json.Unmarshal([]byte(open), &c.OpenPayments); err != nil {
			return nil, fmt.Errorf("read close %s: open payments: %w", id, err)
		}
	}
	rows, err := d.sql.QueryContext(ctx, `SELECT terminal_id, device_id, name, shared, state, terminal_cents, host_cents,
		till_cents, coverflex_cents, card_cents, evidence FROM close_terminals WHERE close_id = ? ORDER BY rowid`, id)
	if err != nil {
		return nil, fmt.Errorf("read close %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t CloseTerminal
		if err := rows.Scan(&t.TerminalID, &t.DeviceID, &t.Name, &t.Shared, &t.State, &t.Terminal, &t.Host, &t.Till,
			&t.Coverflex, &t.Card, &t.Evidence); err != nil {
			return nil, err
		}
		c.Terminals = append(c.Terminals, t)
	}
	return c, rows.Err()
}

// MoveTerminal moves a terminal of a close along one edge of its state machine, as a
// compare-and-set, with the evidence that decided it; host is the host total C gave (0 else).
func (d *DB) MoveTerminal(ctx context.Context, closeID, terminalID string, from, to TerminalCloseState, evidence string, host money.Cents) error {
	if !TerminalEdge(from, to) {
		return fmt.Errorf("close %s: terminal %s: no move from %s to %s", closeID, terminalID, from, to)
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE close_terminals SET state = ?, evidence = ?, host_cents = ?, updated_at = ?
			WHERE close_id = ? AND terminal_id = ? AND state = ?`, to, evidence, host, formatTime(time.Now()), closeID, terminalID, from)
		if err := oneRow(res, err, "close %s: terminal %s %s→%s", closeID, terminalID, from, to); err != nil {
			return err
		}
		return chainAppend(ctx, tx, "close", closeID)
	})
}

// StartZ records the intent to print the Z report, once every terminal of the close is
// closed: in the same transaction the close counts the cash payments (their amounts, change
// already taken off, less the cash refunds and voids gave back) and decides whether anything differs. From here the Z may be on paper.
func (d *DB) StartZ(ctx context.Context, closeID string) (*Close, error) {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var notClosed int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM close_terminals WHERE close_id = ? AND state <> 'closed'`,
			closeID).Scan(&notClosed); err != nil {
			return err
		}
		if notClosed > 0 {
			return fmt.Errorf("close %s: %d terminals not closed: %w", closeID, notClosed, ErrCloseStale)
		}
		if _, err := tx.ExecContext(ctx, markCashSQL, closeID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, markCashBackSQL, closeID); err != nil {
			return err
		}
		var cash, back money.Cents
		if err := tx.QueryRowContext(ctx, closeCashSQL, closeID).Scan(&cash); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, closeCashBackSQL, closeID).Scan(&back); err != nil {
			return err
		}
		cash -= back
		res, err := tx.ExecContext(ctx, `UPDATE closes SET state = 'z_printing', cash_expected_cents = ?1, updated_at = ?2,
			differs = (cash_counted_set = 1 AND cash_counted <> ?1) OR EXISTS (SELECT 1 FROM close_terminals
				WHERE close_id = ?3 AND terminal_cents <> till_cents)
			WHERE id = ?3 AND state = 'terminals'`, cash, formatTime(time.Now()), closeID)
		if err := oneRow(res, err, "close %s: Z intent", closeID); err != nil {
			return err
		}
		return chainAppend(ctx, tx, "close", closeID)
	})
	if err != nil {
		return nil, err
	}
	return d.LoadClose(ctx, closeID)
}

// FinishZ records the printed Z and ends the close; from z_unknown only a person's reading of
// the paper (evidence) may do it.
func (d *DB) FinishZ(ctx context.Context, closeID string, from CloseState, z fiscal.Closure, evidence string) error {
	if !CloseEdge(from, CloseDone) {
		return fmt.Errorf("close %s: no Z from %s", closeID, from)
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(time.Now())
		res, err := tx.ExecContext(ctx, `UPDATE closes SET state = 'done', done_at = ?, updated_at = ?, z_number = ?,
			z_total_cents = ?, z_evidence = ? WHERE id = ? AND state = ?`, now, now, z.ZNumber, z.DayTotal, evidence, closeID, from)
		if err := oneRow(res, err, "close %s: Z printed", closeID); err != nil {
			return err
		}
		return chainAppend(ctx, tx, "close", closeID)
	})
}

// MoveZ moves a close whose Z did not come back: to z_unknown when it may be on paper, back
// to terminals when the printer proved nothing was printed (a refusal, or a person's word).
func (d *DB) MoveZ(ctx context.Context, closeID string, from, to CloseState, evidence string) error {
	if to == CloseDone || !CloseEdge(from, to) {
		return fmt.Errorf("close %s: no move from %s to %s", closeID, from, to)
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE closes SET state = ?, z_evidence = ?, updated_at = ? WHERE id = ? AND state = ?`,
			to, evidence, formatTime(time.Now()), closeID, from)
		if err := oneRow(res, err, "close %s: %s→%s", closeID, from, to); err != nil {
			return err
		}
		return chainAppend(ctx, tx, "close", closeID)
	})
}
