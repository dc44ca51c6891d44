package storage_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
	"till/storage"
)

func benchDB(b *testing.B) (*storage.DB, []checkout.Department) {
	b.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SeedDemo(ctx)
	deps, _ := db.Departments(ctx)
	return db, deps
}

func fiveLineSale(deps []checkout.Department) *checkout.Sale {
	s := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now()}
	for i := 0; i < 5; i++ {
		d := deps[i%len(deps)]
		s.Lines = append(s.Lines, checkout.Line{Description: d.Name, QtyMilli: 1000, UnitPrice: money.Cents(150 + 10*i), Department: d})
	}
	return s
}

// BenchmarkRecordSale is what the till does for a 5-line cash sale: the pending sale with its
// lines and payment in one transaction (before printing), then the document and the documented
// state in a second one (after printing). Both commit with synchronous=FULL.
func BenchmarkRecordSale(b *testing.B) {
	db, deps := benchDB(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := fiveLineSale(deps)
		pay := checkout.Payment{ID: storage.NewID(), Method: fiscal.Cash, Amount: s.Total(), Tendered: s.Total()}
		if err := db.SavePending(ctx, s, []checkout.Payment{pay}, &checkout.PrintIntent{}, time.Now()); err != nil {
			b.Fatal(err)
		}
		doc := checkout.Document{UUID: storage.NewID(), Kind: "receipt",
			DocumentRef: fiscal.DocumentRef{ZNumber: 1, Number: i + 1, IssuedAt: time.Now(), Amount: s.Total(), PrinterSerial: "BENCH"}}
		if err := db.MarkDocumented(ctx, s.ID, doc, nil, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sales/s")
}

// baselineInsert writes the same rows as a recorded sale with plain SQL, in the transactions
// given by split: one transaction for everything, or two like the till.
func baselineInsert(b *testing.B, split bool) {
	db, deps := benchDB(b)
	conn := db.SQL()
	ctx := context.Background()
	exec := func(tx *sql.Tx, q string, args ...any) {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := fiveLineSale(deps)
		now := time.Now().UTC().Format(time.RFC3339Nano)
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		exec(tx, `INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at) VALUES (?,?,?,?,?,'pending',?)`,
			s.ID, "2026-11-27", now, now, s.Total(), now)
		for j, l := range s.Lines {
			exec(tx, `INSERT INTO sale_lines(sale_id, position, description, qty_milli, unit_cents, amount_cents, department_id,
				department_number, department_name, vat_rate, nature, product_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
				s.ID, j+1, l.Description, l.QtyMilli, l.UnitPrice, l.Amount(), l.Department.ID, l.Department.Number, l.Department.Name,
				l.Department.VATRate, l.Department.Nature, "")
		}
		exec(tx, `INSERT INTO payments(id, sale_id, method, amount_cents, tendered_cents, change_cents, state, created_at, updated_at)
			VALUES (?,?,'cash',?,?,0,'approved',?,?)`, storage.NewID(), s.ID, s.Total(), s.Total(), now, now)
		if split {
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			if tx, err = conn.BeginTx(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
		exec(tx, `UPDATE sales SET state = 'documented' WHERE id = ?`, s.ID)
		exec(tx, `INSERT INTO documents(id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial)
			VALUES (?,?,'receipt',?,1,?,?,?,'BENCH')`, storage.NewID(), s.ID, "0001-0001", i+1, now, s.Total())
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sales/s")
}

// BenchmarkRecordSaleBaselineOneTx inserts the same rows with plain SQL in one transaction.
func BenchmarkRecordSaleBaselineOneTx(b *testing.B) { baselineInsert(b, false) }

// BenchmarkRecordSaleBaselineTwoTx inserts them in the till's two transactions, to separate the
// cost of our code from the cost of the second commit that crash safety needs.
func BenchmarkRecordSaleBaselineTwoTx(b *testing.B) { baselineInsert(b, true) }
