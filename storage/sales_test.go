package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/memprinter"
	"till/storage"
)

type fixture struct {
	db      *storage.DB
	printer *memprinter.Printer
	co      *checkout.Checkout
	deps    map[string]checkout.Department
	reg     *checkout.Register
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	list, _ := db.Departments(ctx)
	deps := map[string]checkout.Department{}
	for _, d := range list {
		deps[d.Name] = d
	}
	p := memprinter.New("99MEX000001")
	return &fixture{db: db, printer: p, deps: deps,
		co:  &checkout.Checkout{Printer: p, Journal: db, NewID: storage.NewID, Now: time.Now},
		reg: checkout.NewRegister(storage.NewID, time.Now)}
}

func (f *fixture) ring(t testing.TB, lines ...string) *checkout.Sale {
	t.Helper()
	f.reg.Clear()
	for _, l := range lines {
		var cents, dep string
		fmt.Sscanf(l, "%s %s", &cents, &dep)
		for _, c := range cents {
			f.reg.Digit(string(c))
		}
		if err := f.reg.Department(f.deps[dep]); err != nil {
			t.Fatal(err)
		}
	}
	return f.reg.Sale()
}

func TestPayCashRecordsSaleLinesPaymentAndDocument(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.deps["Escluso"] = f.deps["Escluso art. 15"]
	sale := f.ring(t, "1200 Cucina", "300 Bar", "380 Alimentari", "200 Escluso")
	done, err := f.co.PayCash(ctx, sale, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if done.Total != 2080 || done.Change != 2920 || done.Document.ID() != "0001-0001" {
		t.Fatalf("completed = %+v", done)
	}
	got, err := f.db.Sale(ctx, sale.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != "documented" || got.Total != 2080 || len(got.Lines) != 4 || got.Document == nil {
		t.Fatalf("stored = %+v", got)
	}
	if l := got.Lines[3]; l.Department.Nature != "N1" || l.UnitPrice != 200 || l.Department.Number != 4 {
		t.Fatalf("0%% line = %+v", l)
	}
	if len(got.Payments) != 1 || got.Payments[0].Method != fiscal.Cash || got.Payments[0].Amount != 2080 ||
		got.Payments[0].Tendered != 5000 || got.Payments[0].Change != 2920 {
		t.Fatalf("payments = %+v", got.Payments)
	}
	if got.Document.Number != 1 || got.Document.ZNumber != 1 || got.Document.PrinterSerial != "99MEX000001" || got.Document.Amount != 2080 {
		t.Fatalf("document = %+v", got.Document)
	}
	printed := f.printer.Documents()
	if len(printed) != 1 || printed[0].Receipt.Total() != 2080 || printed[0].Receipt.Payments[0].Method != fiscal.Cash {
		t.Fatalf("printed = %+v", printed)
	}
}

func TestPrinterOutOfPaperLeavesSalePendingAndRetryPrintsOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sale := f.ring(t, "250 Bar")
	f.printer.SetFault(&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"})
	_, err := f.co.PayCash(ctx, sale, 250)
	if !errors.Is(err, fiscal.ErrNotReady) {
		t.Fatalf("err = %v, want not ready", err)
	}
	got, _ := f.db.Sale(ctx, sale.ID)
	if got.State != "pending" || got.Document != nil || len(got.Payments) != 1 {
		t.Fatalf("after paper out: %+v", got)
	}
	totals, _ := f.db.Totals(ctx, time.Now())
	if totals.Pending != 1 || totals.Sales != 0 || totals.Total != 0 {
		t.Fatalf("pending sale counted as takings: %+v", totals)
	}
	f.printer.SetFault(nil)
	if _, err := f.co.PayCash(ctx, sale, 300); err != nil {
		t.Fatal(err)
	}
	got, _ = f.db.Sale(ctx, sale.ID)
	if got.State != "documented" || len(got.Payments) != 1 || got.Payments[0].Change != 50 {
		t.Fatalf("after retry: %+v", got)
	}
	if n := len(f.printer.Documents()); n != 1 {
		t.Fatalf("printed %d documents, want 1", n)
	}
}

func TestPayCashRefusesBadInputAndRecordsNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sale := f.ring(t, "1000 Bar")
	if _, err := f.co.PayCash(ctx, sale, 999); !errors.Is(err, checkout.ErrTenderTooLow) {
		t.Fatalf("tender too low: %v", err)
	}
	empty := &checkout.Sale{ID: storage.NewID()}
	if _, err := f.co.PayCash(ctx, empty, 1000); !errors.Is(err, checkout.ErrEmptySale) {
		t.Fatalf("empty sale: %v", err)
	}
	entries, _ := f.db.Journal(ctx, time.Now())
	if len(entries) != 0 || len(f.printer.Documents()) != 0 {
		t.Fatalf("something was recorded: %+v", entries)
	}
}

func TestJournalAndDayTotals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, lines := range [][]string{{"120 Bar", "1200 Cucina"}, {"380 Alimentari"}, {"150 Bar"}} {
		s := f.ring(t, lines...)
		if _, err := f.co.PayCash(ctx, s, s.Total()); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := f.db.Journal(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Total != 150 || entries[0].Document != "0001-0003" || entries[2].Total != 1320 {
		t.Fatalf("journal = %+v", entries)
	}
	if len(entries[0].Methods) != 1 || entries[0].Methods[0] != fiscal.Cash || !entries[0].Documented {
		t.Fatalf("entry = %+v", entries[0])
	}
	totals, err := f.db.Totals(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if totals.Sales != 3 || totals.Total != 1850 || totals.ByMethod[fiscal.Cash] != 1850 {
		t.Fatalf("totals = %+v", totals)
	}
	want := "[{1 Bar 22%  2,70 €} {2 Cucina 10%  12,00 €} {3 Alimentari 4%  3,80 €}]"
	if got := fmt.Sprint(totals.ByDepartment); got != want {
		t.Fatalf("by department %s, want %s", got, want)
	}
	yesterday, _ := f.db.Journal(ctx, time.Now().AddDate(0, 0, -1))
	if len(yesterday) != 0 {
		t.Fatalf("yesterday has %d sales", len(yesterday))
	}
}
