package storage

import (
	"context"
	"errors"
	"testing"

	"till/fiscal"
	"till/money"
)

// TestTerminalEdgesFollowTheDiagram walks every pair of states: C goes out only from read,
// and a terminal that may have received it never goes back to read but on proof it did not.
func TestTerminalEdgesFollowTheDiagram(t *testing.T) {
	states := []TerminalCloseState{TerminalReading, TerminalRead, TerminalClosing, TerminalClosed, TerminalUnknown, TerminalRefused}
	allowed := map[[2]TerminalCloseState]bool{
		{TerminalReading, TerminalRead}:    true,
		{TerminalRefused, TerminalRead}:    true,
		{TerminalRead, TerminalClosing}:    true,
		{TerminalClosing, TerminalClosed}:  true,
		{TerminalClosing, TerminalRefused}: true, // the terminal answered no
		{TerminalClosing, TerminalUnknown}: true, // no answer
		{TerminalClosing, TerminalRead}:    true, // never delivered
		{TerminalUnknown, TerminalClosed}:  true, // T shows the session reset
	}
	for _, from := range states {
		for _, to := range states {
			if got := TerminalEdge(from, to); got != allowed[[2]TerminalCloseState{from, to}] {
				t.Errorf("%s → %s: allowed %t", from, to, got)
			}
		}
	}
}

func TestCloseEdgesFollowTheDiagram(t *testing.T) {
	states := []CloseState{CloseTerminals, CloseZPrinting, CloseZUnknown, CloseDone}
	allowed := map[[2]CloseState]bool{
		{CloseTerminals, CloseZPrinting}: true, // every terminal closed: the Z intent
		{CloseZPrinting, CloseDone}:      true, // the Z came back
		{CloseZPrinting, CloseZUnknown}:  true, // its answer was lost
		{CloseZPrinting, CloseTerminals}: true, // the printer refused: nothing printed
		{CloseZUnknown, CloseDone}:       true, // a person read it on paper
		{CloseZUnknown, CloseTerminals}:  true, // a person found none
	}
	for _, from := range states {
		for _, to := range states {
			if got := CloseEdge(from, to); got != allowed[[2]CloseState{from, to}] {
				t.Errorf("%s → %s: allowed %t", from, to, got)
			}
		}
	}
}

// closeQueries are the queries of a close, planned on a database with a history.
var closeQueries = []plannedQuery{
	{name: "OpenPayments", sql: openPaymentsSQL},
	{name: "UnfinishedClose", sql: unfinishedCloseSQL},
	{name: "unclosed sums", sql: unclosedSumsSQL, args: []any{"12345678"}},
	{name: "mark unclosed", sql: markUnclosedSQL, args: []any{"c", "12345678"}},
	{name: "mark cash", sql: markCashSQL, args: []any{"c"}},
	{name: "close cash", sql: closeCashSQL, args: []any{"c"}},
	{name: "ClosePayments", sql: closePaymentsSQL, args: []any{"c", "12345678"}},
	{name: "unclosed reversals", sql: unclosedReversalsSQL, args: []any{"12345678"}},
	{name: "read sums", sql: readSumsSQL, args: []any{"c", "12345678"}},
	{name: "read reversals", sql: readReversalsSQL, args: []any{"c", "12345678"}},
	{name: "mark reversals", sql: markReversalsSQL, args: []any{"c", "12345678"}},
	{name: "mark cash back", sql: markCashBackSQL, args: []any{"c"}},
	{name: "close cash back", sql: closeCashBackSQL, args: []any{"c"}},
}

func TestCloseQueriesReadThroughIndexes(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 400)
	partial := partialIndexes(t, db)
	for _, q := range closeQueries {
		t.Run(q.name, func(t *testing.T) {
			rows, err := db.sql.Query("EXPLAIN QUERY PLAN "+q.sql, q.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				if problem := readProblem(detail, q, partial); problem != "" {
					t.Error(problem)
				}
			}
		})
	}
}

// TestACloseCountsEachPaymentOnce: the payments a close read belong to it; the next close of
// the same terminal starts from nothing, and the close's writes are compare-and-sets.
func TestACloseCountsEachPaymentOnce(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 60)
	ctx := context.Background()
	var want, cash money.Cents
	if err := db.sql.QueryRow(`SELECT COALESCE(sum(amount_cents), 0) FROM payments WHERE terminal_id = '12345678'
		AND state IN ('approved', 'documented')`).Scan(&want); err != nil || want == 0 {
		t.Fatalf("history has %s on the terminal (%v)", want, err)
	}
	if err := db.sql.QueryRow(`SELECT COALESCE(sum(amount_cents), 0) FROM payments WHERE method = 'cash' AND state = 'documented'`).
		Scan(&cash); err != nil {
		t.Fatal(err)
	}
	term := []CloseTerminal{{TerminalID: "12345678", DeviceID: "dev-1", Name: "POS banco"}}
	counted := cash
	if err := db.StartClose(ctx, Close{ID: "c1", Operator: "1", CashCounted: &counted, Terminals: term}); err != nil {
		t.Fatal(err)
	}
	if err := db.StartClose(ctx, Close{ID: "c2", Operator: "1", Terminals: term}); err == nil {
		t.Fatal("a second close started while one is under way")
	}
	got, err := db.TerminalRead(ctx, "c1", "12345678", want)
	if err != nil || got.Till != want || got.Coverflex+got.Card != want || got.State != TerminalRead || got.Difference() != 0 {
		t.Fatalf("read %+v %v, want till %s", got, err, want)
	}
	if _, err := db.TerminalRead(ctx, "c1", "12345678", want); !errors.Is(err, ErrCloseStale) {
		t.Errorf("read twice: %v", err)
	}
	if _, err := db.StartZ(ctx, "c1"); !errors.Is(err, ErrCloseStale) {
		t.Errorf("Z with a terminal still open: %v", err)
	}
	for _, e := range [][2]TerminalCloseState{{TerminalRead, TerminalClosing}, {TerminalClosing, TerminalClosed}} {
		if err := db.MoveTerminal(ctx, "c1", "12345678", e[0], e[1], "test", 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MoveTerminal(ctx, "c1", "12345678", TerminalRead, TerminalClosing, "again", 0); !errors.Is(err, ErrCloseStale) {
		t.Errorf("C intent twice: %v", err)
	}
	c, err := db.StartZ(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if c.State != CloseZPrinting || c.CashExpected != cash || c.Differs {
		t.Fatalf("Z intent: %+v (cash %s)", c, cash)
	}
	if err := db.FinishZ(ctx, "c1", CloseZPrinting, fiscal.Closure{ZNumber: 9, DayTotal: 100}, "printed"); err != nil {
		t.Fatal(err)
	}
	if err := db.StartClose(ctx, Close{ID: "c2", Operator: "1", Terminals: term}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.TerminalRead(ctx, "c2", "12345678", 0); err != nil || got.Till != 0 {
		t.Errorf("second close read %+v %v: the first one's payments again", got, err)
	}
	if ps, err := db.ClosePayments(ctx, "c1", "12345678"); err != nil || len(ps) == 0 {
		t.Errorf("the first close's payments: %d %v", len(ps), err)
	}

	// The closes are in the audit chain: a terminal's total or the cash count edited afterwards
	// with plain SQL is found and named.
	if err := db.SetCashCounted(ctx, "c2", 1234); err != nil {
		t.Fatal(err)
	}
	verify := func() *Break {
		t.Helper()
		r, err := db.Verify(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r.Broken
	}
	if b := verify(); b != nil {
		t.Fatalf("untouched closes: %+v", b)
	}
	for _, edit := range [][2]string{ // the edit, and the statement that undoes it
		{`UPDATE close_terminals SET terminal_cents = terminal_cents + 100 WHERE close_id = 'c1'`,
			`UPDATE close_terminals SET terminal_cents = terminal_cents - 100 WHERE close_id = 'c1'`},
		{`UPDATE closes SET cash_counted = 0 WHERE id = 'c2'`, `UPDATE closes SET cash_counted = 1234 WHERE id = 'c2'`},
	} {
		if _, err := db.sql.Exec(edit[0]); err != nil {
			t.Fatal(err)
		}
		if b := verify(); b == nil || b.Kind != "close" {
			t.Errorf("%s: verify says %+v, want the close named", edit[0], b)
		}
		if _, err := db.sql.Exec(edit[1]); err != nil {
			t.Fatal(err)
		}
		if b := verify(); b != nil {
			t.Fatalf("after undoing %s: %+v", edit[0], b)
		}
	}
}

// TestMoneyGivenBackComesOffTheClose: a refund's reversal comes off its terminal's payments,
// its cash off the drawer, and a reversal whose answer was lost is an open payment.
func TestMoneyGivenBackComesOffTheClose(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 60)
	ctx := context.Background()
	var payID, saleID string
	var want, cash money.Cents
	if err := db.sql.QueryRow(`SELECT id, sale_id FROM payments WHERE terminal_id = '12345678' AND state = 'documented' LIMIT 1`).
		Scan(&payID, &saleID); err != nil {
		t.Fatal(err)
	}
	db.sql.QueryRow(`SELECT sum(amount_cents) FROM payments WHERE terminal_id = '12345678' AND state = 'documented'`).Scan(&want)
	db.sql.QueryRow(`SELECT sum(amount_cents) FROM payments WHERE method = 'cash' AND state = 'documented'`).Scan(&cash)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.sql.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO returns(id, kind, sale_id, original_number, original_kind, state, amount_cents, operator_number, created_at, updated_at)
		VALUES ('r1', 'refund', ?, '0001-0001', 'receipt', 'documented', 160, 1, 't', 't')`, saleID)
	for _, m := range []struct {
		id, method, attempt, state string
		amount                     int
	}{
		{"m1", "coverflex", payID, "done", 100},
		{"m2", "cash", "", "done", 50},
		{"m3", "card", payID, "unknown", 10},
	} {
		exec(`INSERT INTO return_money(id, return_id, method, amount_cents, attempt_id, state, updated_at) VALUES (?, 'r1', ?, ?, ?, ?, 't')`,
			m.id, m.method, m.amount, m.attempt, m.state)
	}
	open, err := db.OpenPayments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range open {
		found = found || (p.ID == "m3" && p.State == "return_unknown" && p.SaleID == saleID)
	}
	if !found {
		t.Errorf("the lost reversal is not among the open payments %+v", open)
	}
	term := []CloseTerminal{{TerminalID: "12345678", DeviceID: "dev-1"}}
	if err := db.StartClose(ctx, Close{ID: "c1", Operator: "1", Terminals: term}); err != nil {
		t.Fatal(err)
	}
	got, err := db.TerminalRead(ctx, "c1", "12345678", want-100)
	if err != nil || got.Till != want-100 || got.Difference() != 0 {
		t.Fatalf("read %+v %v, want till %s", got, err, want-100)
	}
	exec(`UPDATE close_terminals SET state = 'closed'`)
	c, err := db.StartZ(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if c.CashExpected != cash-50 {
		t.Errorf("cash expected %s, want %s", c.CashExpected, cash-50)
	}
}

// TestAReadAfterARefusedCCountsTheSameSession: a terminal that refused C still holds its
// session, so the read (T) that follows compares it with every payment of that session,
// those the first read of the same close took included, not only the ones since.
func TestAReadAfterARefusedCCountsTheSameSession(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 60)
	ctx := context.Background()
	var want money.Cents
	if err := db.sql.QueryRow(`SELECT COALESCE(sum(amount_cents), 0) FROM payments WHERE terminal_id = '12345678'
		AND state IN ('approved', 'documented')`).Scan(&want); err != nil || want == 0 {
		t.Fatalf("history has %s on the terminal (%v)", want, err)
	}
	term := []CloseTerminal{{TerminalID: "12345678", DeviceID: "dev-1", Name: "POS banco"}}
	if err := db.StartClose(ctx, Close{ID: "c1", Operator: "1", Terminals: term}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.TerminalRead(ctx, "c1", "12345678", want); err != nil || got.Till != want {
		t.Fatalf("first read %+v %v, want till %s", got, err, want)
	}
	for _, e := range [][2]TerminalCloseState{{TerminalRead, TerminalClosing}, {TerminalClosing, TerminalRefused}} {
		if err := db.MoveTerminal(ctx, "c1", "12345678", e[0], e[1], "test", 0); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.TerminalRead(ctx, "c1", "12345678", want)
	if err != nil || got.Till != want || got.Coverflex+got.Card != want || got.Difference() != 0 {
		t.Fatalf("read after a refused C %+v %v, want till %s", got, err, want)
	}
}
