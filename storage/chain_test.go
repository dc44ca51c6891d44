package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
	"till/pos"
)

// chainShop is a till's history written through the till's own writes: cash sales, a
// Coverflex sale through its attempt, a sale saved twice, a cancelled and a discarded sale, a
// receipt confirmed by a person and an attempt settled by hand.
type chainShop struct {
	db   *DB
	deps []checkout.Department
	// what the tampering cases aim at: the first cash sale, its payment and document
	sale, payment, document string
}

func newChainShop(t *testing.T) *chainShop {
	t.Helper()
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	deps, err := db.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := &chainShop{db: db, deps: deps}
	for i := range 3 {
		s, pay, doc := f.cashSale(t, i+1)
		if i == 0 {
			f.sale, f.payment, f.document = s, pay, doc
		}
	}
	f.coverflexSale(t, 4)
	f.resavedSale(t)
	f.cancelledAndDiscarded(t)
	f.settledByHand(t)
	return f
}

func (f *chainShop) newSale() *checkout.Sale {
	s := &checkout.Sale{ID: NewID(), StartedAt: time.Now()}
	for i := range 3 {
		d := f.deps[i%len(f.deps)]
		s.Lines = append(s.Lines, checkout.Line{Description: d.Name, QtyMilli: 1000, UnitPrice: money.Cents(150 + 10*i), Department: d})
	}
	return s
}

func (f *chainShop) receipt(s *checkout.Sale, n int) checkout.Document {
	return checkout.Document{UUID: NewID(), Kind: "receipt",
		DocumentRef: fiscal.DocumentRef{ZNumber: 1, Number: n, IssuedAt: time.Now(), Amount: s.Total(), PrinterSerial: "CHAIN"}}
}

func (f *chainShop) cashSale(t *testing.T, n int) (sale, payment, document string) {
	t.Helper()
	ctx := context.Background()
	s := f.newSale()
	pay := checkout.Payment{ID: NewID(), Method: fiscal.Cash, Amount: s.Total(), Tendered: s.Total()}
	if err := f.db.SavePending(ctx, s, []checkout.Payment{pay}, &checkout.PrintIntent{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	doc := f.receipt(s, n)
	if err := f.db.MarkDocumented(ctx, s.ID, doc, nil, ""); err != nil {
		t.Fatal(err)
	}
	return s.ID, pay.ID, doc.UUID
}

func (f *chainShop) attempt(t *testing.T, s *checkout.Sale) *checkout.Attempt {
	t.Helper()
	now := time.Now()
	a := &checkout.Attempt{ID: NewID(), SaleID: s.ID, Method: fiscal.Coverflex, State: checkout.AttemptCreated, Requested: s.Total(),
		DeviceID: "dev-1", TerminalID: "12345678", PrevSTAN: "000041", Exclusive: true, WorkTimeout: time.Minute, CreatedAt: now, UpdatedAt: now}
	if err := f.db.RecordAttempt(context.Background(), s, a); err != nil {
		t.Fatal(err)
	}
	from := a.State
	if err := a.Send(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.UpdateAttempt(context.Background(), a, from, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *chainShop) coverflexSale(t *testing.T, n int) {
	t.Helper()
	ctx := context.Background()
	s := f.newSale()
	a := f.attempt(t, s)
	if err := a.Approve(pos.Result{Outcome: pos.Approved, STAN: "000042", AuthCode: "A1B2C3", TerminalID: "12345678", Authorized: s.Total()}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.UpdateAttempt(ctx, a, checkout.AttemptSent, &checkout.Baseline{STAN: "000042"}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SavePending(ctx, s, nil, &checkout.PrintIntent{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.db.MarkPrintUncertain(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.db.MarkDocumented(ctx, s.ID, f.receipt(s, n), []string{a.ID}, "Maria"); err != nil {
		t.Fatal(err)
	}
}

// resavedSale is saved twice, its cash payment replaced, and left pending.
func (f *chainShop) resavedSale(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	s := f.newSale()
	for range 2 {
		pay := checkout.Payment{ID: NewID(), Method: fiscal.Cash, Amount: s.Total(), Tendered: s.Total()}
		if err := f.db.SavePending(ctx, s, []checkout.Payment{pay}, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *chainShop) cancelledAndDiscarded(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, cancel := range []bool{true, false} {
		s := f.newSale()
		pay := checkout.Payment{ID: NewID(), Method: fiscal.Cash, Amount: s.Total(), Tendered: s.Total()}
		if err := f.db.SavePending(ctx, s, []checkout.Payment{pay}, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		var err error
		if cancel {
			err = f.db.CancelSale(ctx, s.ID, "the customer left")
		} else {
			err = f.db.DiscardPending(ctx, s.ID, "printer refused")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func (f *chainShop) settledByHand(t *testing.T) {
	t.Helper()
	s := f.newSale()
	a := f.attempt(t, s)
	from := a.State
	if err := a.LoseTrack(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := a.Decline(pos.Result{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	a.Evidence = checkout.EvidenceByHand
	if err := f.db.ResolveAttemptByHand(context.Background(), a, from, "Maria", "declined by hand"); err != nil {
		t.Fatal(err)
	}
}

func (f *chainShop) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.db.sql.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func TestUntouchedChainVerifies(t *testing.T) {
	f := newChainShop(t)
	r, err := f.db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK || r.Broken != nil || r.Entries < 30 || r.Unchecked != 0 {
		t.Fatalf("Verify = %+v, broken %+v", r, r.Broken)
	}
}

// Each edit made outside the till is found and named: the first broken record, with why.
func TestVerifyNamesTheFirstBrokenRecord(t *testing.T) {
	for _, tt := range []struct {
		name   string
		tamper func(t *testing.T, f *chainShop) (kind, id string)
		reason string
	}{
		{"a sale's total edited", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `UPDATE sales SET total_cents = total_cents - 100 WHERE id = ?`, f.sale)
			return "sale", f.sale
		}, BreakRecordAltered},
		{"a line's amount edited", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `UPDATE sale_lines SET amount_cents = 1 WHERE sale_id = ? AND position = 2`, f.sale)
			return "sale", f.sale
		}, BreakRecordAltered},
		{"a line deleted", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `DELETE FROM sale_lines WHERE sale_id = ? AND position = 3`, f.sale)
			return "sale", f.sale
		}, BreakRecordAltered},
		{"a payment deleted", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `DELETE FROM payments WHERE id = ?`, f.payment)
			return "payment", f.payment
		}, BreakRecordDeleted},
		{"a payment's method changed", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `UPDATE payments SET method = 'card' WHERE id = ?`, f.payment)
			return "payment", f.payment
		}, BreakRecordAltered},
		{"a document's number changed", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `UPDATE documents SET doc_number = 99 WHERE id = ?`, f.document)
			return "document", f.document
		}, BreakRecordAltered},
		{"a chain entry deleted", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `DELETE FROM audit_chain WHERE seq = 5`)
			return "", ""
		}, BreakEntryMissing},
		{"two entries swapped", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `UPDATE audit_chain SET seq = -1 WHERE seq = 5`)
			f.exec(t, `UPDATE audit_chain SET seq = 5 WHERE seq = 6`)
			f.exec(t, `UPDATE audit_chain SET seq = 6 WHERE seq = -1`)
			return "", ""
		}, BreakLinkBroken},
		{"an entry edited", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `UPDATE audit_chain SET at = '2020-01-01T00:00:00Z' WHERE seq = 4`)
			return "", ""
		}, BreakEntryAltered},
		{"the last entries cut off", func(t *testing.T, f *chainShop) (string, string) {
			// No link breaks, but each record's last entry left is compared with its rows: the
			// first sale was documented after the cut.
			f.exec(t, `DELETE FROM audit_chain WHERE seq > (SELECT min(seq) FROM audit_chain WHERE ref_id = ?)`, f.payment)
			return "sale", f.sale
		}, BreakRecordAltered},
		{"a sale inserted", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at)
				VALUES ('forged', '2026-01-01', 't', 't', 100, 'documented', 't')`)
			return "sale", "forged"
		}, BreakNotChained},
		{"the whole chain deleted", func(t *testing.T, f *chainShop) (string, string) {
			f.exec(t, `DELETE FROM audit_chain`)
			return "", ""
		}, BreakNoGenesis},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newChainShop(t)
			kind, id := tt.tamper(t, f)
			r, err := f.db.Verify(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if r.OK || r.Broken == nil {
				t.Fatalf("Verify = %+v: the edit went unseen", r)
			}
			b := r.Broken
			if b.Reason != tt.reason || (kind != "" && (b.Kind != kind || b.ID != id)) || b.Detail == "" {
				t.Fatalf("broken %+v, want %s on %s %s", *b, tt.reason, kind, id)
			}
			t.Logf("%+v", *b)
		})
	}
}

// The records a file held before the chain are chained once, by the first write after the
// upgrade, and are covered from then on; a long history verifies in one pass.
func TestGenesisChainsTheHistoryBeforeTheChain(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 2000)
	ctx := context.Background()
	f := &chainShop{db: db}
	var err error
	if f.deps, err = db.Departments(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	f.cashSale(t, 1) // seals the genesis
	t.Logf("first sale after the upgrade, chaining the history: %v", time.Since(start))
	start = time.Now()
	r, err := db.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("verify of %d entries: %v", r.Entries, time.Since(start))
	var sales, payments, documents int
	db.sql.QueryRow(`SELECT (SELECT count(*) FROM sales), (SELECT count(*) FROM payments), (SELECT count(*) FROM documents)`).
		Scan(&sales, &payments, &documents)
	if !r.OK || r.Entries < 1+sales+payments+documents {
		t.Fatalf("Verify = %+v (broken %+v), %d sales %d payments %d documents", r, r.Broken, sales, payments, documents)
	}
	var old string
	db.sql.QueryRow(`SELECT id FROM sales ORDER BY rowid LIMIT 1 OFFSET 100`).Scan(&old)
	f.exec(t, `UPDATE sales SET total_cents = total_cents + 1 WHERE id = ?`, old)
	if r, err = db.Verify(ctx); err != nil || r.Broken == nil || r.Broken.ID != old || r.Broken.Reason != BreakRecordAltered {
		t.Fatalf("after an edit of a sale of the history: %+v, %v", r.Broken, err)
	}
}

// Verify seals a genesis no write has sealed: a file upgraded and verified before any sale.
func TestVerifySealsAnUnsealedGenesis(t *testing.T) {
	db := openTemp(t)
	fillHistory(t, db, 50)
	r, err := db.Verify(context.Background())
	if err != nil || !r.OK || r.Entries < 51 {
		t.Fatalf("Verify = %+v, %v", r, err)
	}
}

// The hash covers every field of an entry: changing any one changes it.
func TestEntryHashCoversEveryField(t *testing.T) {
	e := chainEntry{Seq: 7, Kind: "sale", ID: "s", At: "t", ContentHash: "c", PrevHash: "p"}
	base := e.sum()
	for _, change := range []func(*chainEntry){
		func(e *chainEntry) { e.Seq = 8 },
		func(e *chainEntry) { e.Kind = "payment" },
		func(e *chainEntry) { e.ID = "s2" },
		func(e *chainEntry) { e.At = "u" },
		func(e *chainEntry) { e.ContentHash = "d" },
		func(e *chainEntry) { e.PrevHash = "q" },
		func(e *chainEntry) { e.Kind, e.ID = "sal", "es" }, // the same bytes, cut elsewhere
	} {
		c := e
		change(&c)
		if c.sum() == base {
			t.Errorf("%+v hashes as %+v", c, e)
		}
	}
	if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Errorf("hash %q is not hex SHA-256", base)
	}
}

// Every registered reader reads columns that exist: a reader that fails would stop every
// write of its kind.
func TestEveryContentReaderRuns(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	for kind := range chainKinds {
		content, err := readContent(ctx, db.sql, kind, "missing")
		if err != nil || content != nil {
			t.Errorf("%s: %q, %v", kind, content, err)
		}
	}
	if content, err := readContent(ctx, db.sql, "not-registered", "x"); err != nil || content != nil {
		t.Errorf("a kind with no reader: %q, %v", content, err)
	}
}
