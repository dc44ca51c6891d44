package storage_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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

// baselineInsert writes the rows a recorded sale leaves (the sale with its discount and print
// columns, its lines, its cash payment, its document and its outbox row with the same JSON
// payload) with plain SQL and nothing read back, in the transactions given by split: one for
// everything, or two like the till. It is what RecordSale costs without its checks.
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
		exec(tx, `INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at, discount_percent,
			discount_request_cents, discount_cents, print_started_at, print_before_z, print_before_number)
			VALUES (?,?,?,?,?,'pending',?,?,?,?,?,0,0)`,
			s.ID, "2026-11-27", now, now, s.Total(), now, s.Discount.Percent, s.Discount.Amount, s.SaleDiscount(), now)
		rec := storage.SaleRecord{ID: s.ID, CreatedAt: now, TotalCents: int64(s.Total())}
		shares := s.DiscountShares()
		for j, l := range s.Lines {
			exec(tx, `INSERT INTO sale_lines(sale_id, position, description, qty_milli, unit_cents, amount_cents, department_id,
				department_number, department_name, vat_rate, nature, product_id, discount_percent, discount_request_cents,
				discount_cents, sale_discount_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				s.ID, j+1, l.Description, l.QtyMilli, l.UnitPrice, l.Amount()-shares[j], l.Department.ID, l.Department.Number,
				l.Department.Name, l.Department.VATRate, l.Department.Nature, l.ProductID, l.Discount.Percent, l.Discount.Amount,
				l.LineDiscount(), shares[j])
			line := storage.SaleRecordLine{Description: l.Description, QuantityMilli: l.QtyMilli, UnitCents: int64(l.UnitPrice),
				Department: l.Department.Number, Nature: l.Department.Nature, DiscountCents: int64(l.LineDiscount() + shares[j])}
			if line.Nature == "" {
				rate := int64(l.Department.VATRate)
				line.VATRate = &rate
			}
			rec.Lines = append(rec.Lines, line)
		}
		exec(tx, `INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, tendered_cents, change_cents, state,
			created_at, updated_at) VALUES (?,?,'cash',?,?,?,0,'approved',?,?)`, storage.NewID(), s.ID, s.Total(), s.Total(), s.Total(), now, now)
		if split {
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			if tx, err = conn.BeginTx(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
		exec(tx, `UPDATE sales SET state = 'documented', document_kind = 'receipt', print_uncertain_at = '', updated_at = ? WHERE id = ?`, now, s.ID)
		exec(tx, `UPDATE payments SET state = 'documented', updated_at = ? WHERE sale_id = ?`, now, s.ID)
		number := fmt.Sprintf("0001-%04d", i+1)
		exec(tx, `INSERT INTO documents(id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial)
			VALUES (?,?,'receipt',?,1,?,?,?,'BENCH')`, storage.NewID(), s.ID, number, i+1, now, s.Total())
		rec.Payments = []storage.SaleRecordPay{{Method: "cash", AmountCents: int64(s.Total())}}
		rec.Document = storage.SaleRecordDocument{Kind: "receipt", ZNumber: 1, Number: number, PrinterSerial: "BENCH"}
		payload, err := json.Marshal(rec)
		if err != nil {
			b.Fatal(err)
		}
		exec(tx, `INSERT INTO outbox(id, kind, ref_id, payload, created_at) VALUES (?,'sale',?,?,?)`, storage.NewID(), s.ID, string(payload), now)
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sales/s")
}

// BenchmarkRecordSaleBaselineOneTx inserts the same rows with plain SQL in one transaction.
func BenchmarkRecordSaleBaselineOneTx(b *testing.B) { baselineInsert(b, false) }

// BenchmarkRecordSaleBaselineTwoTx inserts them in the till's two transactions: RecordSale's
// own cost is the difference (its ns/op at most 1.25 times this one's, issue #11).
func BenchmarkRecordSaleBaselineTwoTx(b *testing.B) { baselineInsert(b, true) }
