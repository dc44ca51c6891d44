package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/pos"
	"till/storage"
)

// attemptOn records a new attempt (created) on terminal for a fresh sale of f.
func (f *fixture) attemptOn(t *testing.T, terminal string) (*checkout.Sale, *checkout.Attempt) {
	t.Helper()
	s := f.ring(t, "800 Cucina")
	now := time.Now()
	a := &checkout.Attempt{ID: storage.NewID(), SaleID: s.ID, Method: fiscal.Coverflex, State: checkout.AttemptCreated, Requested: 800,
		DeviceID: "dev-1", TerminalID: terminal, PrevSTAN: "000041", Exclusive: true, WorkTimeout: time.Minute, CreatedAt: now, UpdatedAt: now}
	if err := f.db.RecordAttempt(context.Background(), s, a); err != nil {
		t.Fatal(err)
	}
	sc := *s
	return &sc, a
}

// move writes a transition of a as the checkout does: a compare-and-set on its state.
func (f *fixture) move(t *testing.T, a *checkout.Attempt, transition func() error) error {
	t.Helper()
	from := a.State
	if err := transition(); err != nil {
		t.Fatal(err)
	}
	return f.db.UpdateAttempt(context.Background(), a, from, nil)
}

// TestAttemptWritesAreCompareAndSet: a writer whose copy is stale changes nothing and learns
// what the attempt is now; the defect was a background retry's stale "unknown" overwriting an
// approval and blanking its STAN.
func TestAttemptWritesAreCompareAndSet(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, a := f.attemptOn(t, "12345678")
	if err := f.move(t, a, func() error { return a.Send(time.Now()) }); err != nil {
		t.Fatal(err)
	}
	stale := *a
	if err := f.move(t, a, func() error { return a.Approve(posApproval("000042"), time.Now()) }); err != nil {
		t.Fatal(err)
	}
	err := f.move(t, &stale, func() error { return stale.LoseTrack(time.Now()) })
	var se *checkout.StaleError
	if !errors.As(err, &se) || !errors.Is(err, checkout.ErrStale) || se.Want != checkout.AttemptSent || se.Found != checkout.AttemptApproved {
		t.Fatalf("stale write: %v", err)
	}
	got, _ := f.db.Attempt(ctx, a.ID)
	if got.State != checkout.AttemptApproved || got.STAN != "000042" || got.SentAt.IsZero() || got.WorkTimeout != time.Minute ||
		got.PrevSTAN != "000041" || !got.Exclusive {
		t.Fatalf("stored %+v", got)
	}
}

// TestAnUnresolvedAttemptHoldsItsSaleAndTerminal: a new attempt on the same sale or the same
// terminal is refused in the very transaction that would record it.
func TestAnUnresolvedAttemptHoldsItsSaleAndTerminal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, a := f.attemptOn(t, "12345678")
	if err := f.move(t, a, func() error { return a.Send(time.Now()) }); err != nil {
		t.Fatal(err)
	}
	try := func(sale *checkout.Sale, terminal string) error {
		now := time.Now()
		return f.db.RecordAttempt(ctx, sale, &checkout.Attempt{ID: storage.NewID(), SaleID: sale.ID, Method: fiscal.Coverflex,
			State: checkout.AttemptCreated, Requested: 100, TerminalID: terminal, CreatedAt: now, UpdatedAt: now})
	}
	var be *checkout.BlockedError
	if err := try(s, "87654321"); !errors.As(err, &be) || !be.SameSale || be.Attempt.ID != a.ID {
		t.Fatalf("same sale, other terminal: %v", err)
	}
	if err := try(f.ring(t, "300 Bar"), "12345678"); !errors.As(err, &be) || be.SameSale {
		t.Fatalf("other sale, same terminal: %v", err)
	}
	if err := try(f.ring(t, "300 Bar"), "87654321"); err != nil {
		t.Fatalf("another sale on another terminal: %v", err)
	}
	if err := f.move(t, a, func() error { return a.Decline(posDecline(), time.Now()) }); err != nil {
		t.Fatal(err)
	}
	if err := try(s, "12345678"); err != nil {
		t.Fatalf("after the decline: %v", err)
	}
}

// TestDocumentListsExactlyTheApprovedAttempts: approved → documented is a compare-and-set per
// attempt on the document, and an approved attempt left off the paper stops the document.
func TestDocumentListsExactlyTheApprovedAttempts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, a := f.attemptOn(t, "12345678")
	f.move(t, a, func() error { return a.Send(time.Now()) })
	f.move(t, a, func() error { return a.Approve(posApproval("000042"), time.Now()) })
	doc := checkout.Document{UUID: storage.NewID(), Kind: "receipt", DocumentRef: fiscal.DocumentRef{ZNumber: 1, Number: 7, Amount: 800}}
	if err := f.db.SavePending(ctx, s, nil, &checkout.PrintIntent{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.MarkDocumented(ctx, s.ID, doc, nil, ""); !errors.Is(err, checkout.ErrStale) {
		t.Fatalf("an approved voucher left off the receipt: %v", err)
	}
	if err := f.db.MarkDocumented(ctx, s.ID, doc, []string{"no-such-attempt"}, ""); !errors.Is(err, checkout.ErrStale) {
		t.Fatalf("an attempt that is not approved: %v", err)
	}
	if err := f.db.MarkDocumented(ctx, s.ID, doc, []string{a.ID}, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := f.db.Attempt(ctx, a.ID)
	stored, _ := f.db.Sale(ctx, s.ID)
	if got.State != checkout.AttemptDocumented || stored.State != "documented" || stored.Document.Label != "0001-0007" {
		t.Fatalf("attempt %s, sale %+v", got.State, stored)
	}
}

// TestUncertainReceiptWaitsForAPerson: a sale whose receipt may exist cannot be saved for
// printing again, discarded, or confirmed twice; a person's answer is audited.
func TestUncertainReceiptWaitsForAPerson(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.ring(t, "120 Bar")
	if err := f.db.SavePending(ctx, s, nil, &checkout.PrintIntent{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.MarkPrintUncertain(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SavePending(ctx, s, nil, &checkout.PrintIntent{}, time.Now()); !errors.Is(err, checkout.ErrPrintUncertain) {
		t.Fatalf("printed again: %v", err)
	}
	if err := f.db.DiscardPending(ctx, s.ID, "test"); !errors.Is(err, checkout.ErrPrintUncertain) {
		t.Fatalf("discarded: %v", err)
	}
	pending, _ := f.db.PendingSales(ctx)
	if len(pending) != 1 || !pending[0].PrintUncertain || !pending[0].PrintStarted {
		t.Fatalf("pending %+v", pending)
	}
	if err := f.db.ClearPrintUncertain(ctx, s.ID, "Maria"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.ClearPrintUncertain(ctx, s.ID, "Maria"); !errors.Is(err, checkout.ErrNotUncertain) {
		t.Fatalf("answered twice: %v", err)
	}
	doc := checkout.Document{UUID: storage.NewID(), Kind: "receipt", DocumentRef: fiscal.DocumentRef{ZNumber: 1, Number: 3, Amount: 120}}
	if err := f.db.MarkDocumented(ctx, s.ID, doc, nil, "Maria"); !errors.Is(err, checkout.ErrNotUncertain) {
		t.Fatalf("confirmed as printed while not uncertain: %v", err)
	}
	var n int
	f.db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE subject = ? AND actor = 'Maria' AND action = 'confirm_not_printed'`, s.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("audit entries %d", n)
	}
}

// TestTerminalBaselineIsOneRowAndMigratedFromEarlierSTANs: the terminal's last STAN is read in
// O(1) (a primary key), and a database from before it learns the latest STAN of its attempts.
func TestTerminalBaselineIsOneRowAndMigratedFromEarlierSTANs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.TerminalBaseline(ctx, "12345678"); ok {
		t.Fatal("a baseline out of nothing")
	}
	if err := db.SaveBaseline(ctx, "12345678", checkout.Baseline{STAN: "000007", Raw: "raw"}); err != nil {
		t.Fatal(err)
	}
	if b, ok, err := db.TerminalBaseline(ctx, "12345678"); !ok || err != nil || b.STAN != "000007" || b.Raw != "raw" {
		t.Fatalf("baseline %+v %v %v", b, ok, err)
	}
	var plan string
	rows, _ := db.SQL().Query(`EXPLAIN QUERY PLAN SELECT last_stan FROM terminal_state WHERE terminal_id = ?`, "12345678")
	for rows.Next() {
		var id, parent, notused int
		var detail string
		rows.Scan(&id, &parent, &notused, &detail)
		plan += detail
	}
	rows.Close()
	if !strings.Contains(plan, "USING INDEX") && !strings.Contains(plan, "PRIMARY KEY") {
		t.Fatalf("plan %q", plan)
	}
	db.Close()

	// The migration: a database at schema 3 with two attempts on the terminal.
	old := filepath.Join(t.TempDir(), "v3.db")
	raw, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, name := range []string{"0001_init.sql", "0002_terminals_invoices.sql", "0003_sync.sql"} {
		body, err := storage.Migration(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Exec(`PRAGMA user_version = 3`)
	raw.Exec(`INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at) VALUES ('s','2026-11-26','a','a',800,'documented','a')`)
	raw.Exec(`INSERT INTO payments(id, sale_id, method, amount_cents, state, created_at, updated_at, terminal_id, stan, reversal_stan)
		VALUES ('p1','s','coverflex',800,'documented','a','2026-11-26T10:00:00Z','12345678','000040',''),
		       ('p2','s','coverflex',800,'reversed','a','2026-11-26T11:00:00Z','12345678','000041','000042')`)
	raw.Close()
	db, err = storage.Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if b, ok, _ := db.TerminalBaseline(ctx, "12345678"); !ok || b.STAN != "000042" {
		t.Fatalf("migrated baseline %+v %v", b, ok)
	}
}

func posApproval(stan string) pos.Result {
	return pos.Result{Outcome: pos.Approved, STAN: stan, AuthCode: "A1B2C3", TerminalID: "12345678"}
}

func posDecline() pos.Result { return pos.Result{Outcome: pos.Declined, Text: "FONDI INSUFFICIENTI"} }

// TestDiscardNeverDropsAVoucher: a pending sale holding an electronic payment that was taken,
// or may have been, cannot be discarded with it.
func TestDiscardNeverDropsAVoucher(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, a := f.attemptOn(t, "12345678")
	f.move(t, a, func() error { return a.Send(time.Now()) })
	if err := f.db.DiscardPending(ctx, s.ID, "test"); !errors.Is(err, storage.ErrNotPending) {
		t.Fatalf("discarded with a payment sent: %v", err)
	}
	f.move(t, a, func() error { return a.Decline(posDecline(), time.Now()) })
	if err := f.db.DiscardPending(ctx, s.ID, "test"); err != nil {
		t.Fatalf("after the decline: %v", err)
	}
	if _, err := f.db.Sale(ctx, s.ID); err == nil {
		t.Fatal("still there")
	}
}
