package storage

import (
	"context"
	"testing"
)

// BenchmarkOpenEmpty and BenchmarkOpen100kSales measure what a till pays before its first
// sale: opening the database and the queries of start-up and of a sale's preflight, through
// the methods the till calls. Their ratio says whether that cost grows with the history; it
// must stay near 1.
func BenchmarkOpenEmpty(b *testing.B) { benchmarkOpen(b, historyDB(b, 0)) }

func BenchmarkOpen100kSales(b *testing.B) { benchmarkOpen(b, historyDB(b, 100_000)) }

func benchmarkOpen(b *testing.B, path string) {
	ctx := context.Background()
	for b.Loop() {
		db, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		if err := startUp(ctx, db); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// startUp calls what app/boot, the window's start (catalogue, recovery, sync status) and
// app/checkout's Recover, Preflight and PayElectronic read before a sale.
func startUp(ctx context.Context, db *DB) error {
	if _, err := db.SeedDemo(ctx); err != nil {
		return err
	}
	calls := []func() error{
		func() error { _, _, err := db.LastReceipt(ctx, "DEMO0000001"); return err },
		func() error { _, _, err := db.LoadConfig(ctx); return err },
		func() error { _, err := db.LoadSyncState(ctx); return err },
		func() error { _, err := db.OutboxCount(ctx); return err },
		func() error { _, err := db.UnresolvedAttempts(ctx); return err },
		func() error { _, err := db.PendingSales(ctx); return err },
		func() error { _, err := db.PendingCount(ctx); return err },
		func() error { _, err := db.Departments(ctx); return err },
		func() error { _, err := db.Categories(ctx); return err },
		func() error { _, err := db.Products(ctx); return err },
		func() error { _, err := db.DevicesLastUsed(ctx); return err },
		func() error { _, _, err := db.TerminalBaseline(ctx, "12345678"); return err },
		func() error { _, err := db.SaleAttempts(ctx, "new-sale"); return err },
		func() error { _, err := db.BlockingAttempt(ctx, "new-sale", "12345678"); return err },
		func() error { _, err := db.LastReceiptSale(ctx); return err },
		func() error { _, err := db.Customers(ctx, 50); return err },
	}
	for _, call := range calls {
		if err := call(); err != nil {
			return err
		}
	}
	return nil
}
