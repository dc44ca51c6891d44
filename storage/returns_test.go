package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/storage"
)

// newReturn is a return of qty of the sale's first line, for cash.
func newReturn(src checkout.Returnable, kind checkout.ReturnKind, qty int64) *checkout.Return {
	r := &checkout.Return{ID: storage.NewID(), Kind: kind, SaleID: src.Sale.ID, Original: src.Document, State: checkout.ReturnPrinting,
		Operator: checkout.ImplicitOperator, Created: time.Now(),
		Lines: []checkout.ReturnLine{{Position: 0, QtyMilli: qty, Amount: 100}}}
	r.Amount = 100
	r.Money = []checkout.MoneyBack{{ID: storage.NewID(), Method: fiscal.Cash, Amount: 100, State: checkout.MoneyPlanned}}
	return r
}

// TestALineGoesBackOnlyOnce: the line check is a compare-and-set where the data lives, so two
// returns written from the same reading cannot both take the same quantity; a return left
// printing or uncertain holds its lines and blocks the next; a refused one frees them.
func TestALineGoesBackOnlyOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sale := f.ring(t, "100 Bar", "100 Bar")
	done, err := f.co.PayCash(ctx, sale, 500)
	if err != nil {
		t.Fatal(err)
	}
	src, err := f.db.Returnable(ctx, done.Document.ID())
	if err != nil || src.Document.PrinterSerial == "" || len(src.Sale.Lines) != 2 || src.Cash != 200 {
		t.Fatalf("returnable %+v, %v", src, err)
	}
	first := newReturn(src, checkout.KindRefund, 1000)
	if err := f.db.BeginReturn(ctx, first); err != nil {
		t.Fatal(err)
	}
	// A second return read before the first was written still cannot take the line.
	if err := f.db.BeginReturn(ctx, newReturn(src, checkout.KindRefund, 1000)); !errors.Is(err, checkout.ErrReturnUncertain) {
		t.Fatalf("while the first is printing: %v", err)
	}
	first.State = checkout.ReturnRefused
	if err := f.db.MoveReturn(ctx, first, checkout.ReturnPrinting); err != nil {
		t.Fatal(err)
	}
	if err := f.db.MoveReturn(ctx, first, checkout.ReturnPrinting); !errors.Is(err, checkout.ErrStale) {
		t.Fatalf("a second write from printing: %v", err)
	}
	second := newReturn(src, checkout.KindRefund, 1000)
	if err := f.db.BeginReturn(ctx, second); err != nil {
		t.Fatalf("after a refusal the line is free: %v", err)
	}
	second.State, second.Document = checkout.ReturnDocumented, fiscal.DocumentRef{ZNumber: 1, Number: 2, IssuedAt: time.Now(), PrinterSerial: "X"}
	if err := f.db.MoveReturn(ctx, second, checkout.ReturnPrinting); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    *checkout.Return
	}{
		{"the same line again", newReturn(src, checkout.KindRefund, 1000)},
		{"a part of it again", newReturn(src, checkout.KindRefund, 1)},
		{"a void after a refund", func() *checkout.Return {
			r := newReturn(src, checkout.KindVoid, 1000)
			r.Lines[0].Position = 1
			return r
		}()},
	} {
		if err := f.db.BeginReturn(ctx, tc.r); !errors.Is(err, checkout.ErrAlreadyReturned) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	got, err := f.db.Returnable(ctx, done.Document.ID())
	if err != nil || got.Returned[0] != 1000 || got.Returned[1] != 0 || got.Open != 0 {
		t.Fatalf("returned %+v open %d, %v", got.Returned, got.Open, err)
	}
	third := newReturn(src, checkout.KindRefund, 1000)
	third.Lines[0].Position = 1
	if err := f.db.BeginReturn(ctx, third); err != nil {
		t.Fatal(err)
	}
	open, err := f.db.OpenReturns(ctx)
	if err != nil || len(open) != 1 || open[0].ID != third.ID || len(open[0].Money) != 1 {
		t.Fatalf("open returns %+v, %v", open, err)
	}
	m := &open[0].Money[0]
	m.State = checkout.MoneyDone
	if err := f.db.MoveMoney(ctx, open[0].ID, m, checkout.MoneyPlanned); err != nil {
		t.Fatal(err)
	}
	if err := f.db.MoveMoney(ctx, open[0].ID, m, checkout.MoneyPlanned); !errors.Is(err, checkout.ErrStale) {
		t.Fatalf("money moved twice from planned: %v", err)
	}
}
