package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
)

// Sales recorded at once from several goroutines (the window, the retry loop, recovery) share
// the statements prepared on first use: each is prepared once, and every sale is recorded whole.
func TestConcurrentSalesShareThePreparedStatements(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if _, err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	deps, err := db.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 6, 5
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for i := range each {
				errs <- recordCashSale(ctx, db, deps, w*each+i+1)
			}
		}()
	}
	for range workers * each {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var sales, lines, queued int
	db.sql.QueryRow(`SELECT count(*) FROM sales WHERE state = 'documented'`).Scan(&sales)
	db.sql.QueryRow(`SELECT count(*) FROM sale_lines`).Scan(&lines)
	db.sql.QueryRow(`SELECT count(*) FROM outbox`).Scan(&queued)
	if sales != workers*each || lines != 2*sales || queued != sales {
		t.Fatalf("%d sales, %d lines, %d queued", sales, lines, queued)
	}
	if len(db.prepared) != len(hotQueries) {
		t.Fatalf("%d statements prepared, want %d", len(db.prepared), len(hotQueries))
	}
	// Prepared or not, the rules hold: a documented sale is not saved again.
	var id string
	db.sql.QueryRow(`SELECT id FROM sales LIMIT 1`).Scan(&id)
	s := &checkout.Sale{ID: id, Lines: []checkout.Line{{Description: "x", QtyMilli: 1000, UnitPrice: 100, Department: deps[0]}}}
	if err := db.SavePending(ctx, s, nil, nil, time.Now()); !errors.Is(err, ErrNotPending) {
		t.Fatalf("saving a documented sale again: %v", err)
	}
}

func recordCashSale(ctx context.Context, db *DB, deps []checkout.Department, number int) error {
	s := &checkout.Sale{ID: NewID(), StartedAt: time.Now()}
	for i := range 2 {
		s.Lines = append(s.Lines, checkout.Line{Description: "caffè", QtyMilli: 1000, UnitPrice: 120, Department: deps[i%len(deps)]})
	}
	pay := checkout.Payment{ID: NewID(), Method: fiscal.Cash, Amount: s.Total(), Tendered: s.Total()}
	if err := db.SavePending(ctx, s, []checkout.Payment{pay}, &checkout.PrintIntent{}, time.Now()); err != nil {
		return err
	}
	doc := checkout.Document{UUID: NewID(), Kind: "receipt",
		DocumentRef: fiscal.DocumentRef{ZNumber: 1, Number: number, IssuedAt: time.Now(), Amount: s.Total(), PrinterSerial: "T"}}
	return db.MarkDocumented(ctx, s.ID, doc, nil, "")
}
