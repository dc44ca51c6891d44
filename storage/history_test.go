package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"till/app/checkout"
)

// The tills this project must serve keep years of sales. fillHistory writes such a history with
// plain SQL in big transactions, fast enough for a benchmark's setup: every sale with 5 lines,
// one or two payments (cash, card, Coverflex with the terminal's data) and a document, an
// invoice now and then, a few audit rows, and the outbox as the pusher leaves it (acknowledged
// rows deleted, the last few waiting). Two sales stay pending and one attempt unknown, as a
// crash leaves them.

// historyUnsent is how many of the newest sales are still in the outbox.
const historyUnsent = 20

func fillHistory(tb testing.TB, db *DB, sales int) {
	tb.Helper()
	ctx := context.Background()
	if _, err := db.SeedDemo(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := db.SaveConfig(ctx, sampleConfig(1), "file"); err != nil {
		tb.Fatal(err)
	}
	if err := db.SaveActivation(ctx, "https://portale.example", "token", "till-1", "sp-1", time.Now()); err != nil {
		tb.Fatal(err)
	}
	deps, err := db.Departments(ctx)
	if err != nil || len(deps) == 0 {
		tb.Fatalf("departments: %v", err)
	}
	h := &history{deps: deps, day: time.Date(2025, 1, 2, 8, 0, 0, 0, time.UTC)}
	const batch = 5000
	for done := 0; done < sales; done += batch {
		if err := db.inTx(ctx, func(tx *sql.Tx) error { return h.write(ctx, tx, done, min(batch, sales-done), sales) }); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.inTx(ctx, func(tx *sql.Tx) error { return h.leaveOpen(ctx, tx) }); err != nil {
		tb.Fatal(err)
	}
}

type history struct {
	deps []checkout.Department
	day  time.Time
	z    int // the printer's closure number
	n    int // the receipt number in the closure
}

// historyInserts are fillHistory's statements, prepared in each of its transactions.
type historyInserts struct{ sale, line, pay, doc, outbox, audit *sql.Stmt }

func prepareHistory(ctx context.Context, tx *sql.Tx) (*historyInserts, error) {
	var st historyInserts
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&st.sale, `INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at, document_kind,
			customer_id) VALUES (?,?,?,?,?,'documented',?,?,?)`},
		{&st.line, `INSERT INTO sale_lines(sale_id, position, description, qty_milli, unit_cents, amount_cents, department_id,
			department_number, department_name, vat_rate, nature) VALUES (?,?,?,1000,?,?,?,?,?,?,?)`},
		{&st.pay, `INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, tendered_cents, state, created_at,
			updated_at, device_id, terminal_id, merchant_id, prev_stan, masked_pan, auth_code, stan, acquirer_id, sent_at, evidence)
			VALUES (?,?,?,?,?,?,'documented',?,?,?,?,?,?,?,?,?,?,?,?)`},
		{&st.doc, `INSERT INTO documents(id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents, printer_serial,
			year, xml) VALUES (?,?,?,?,?,?,?,?,?,?,?)`},
		{&st.outbox, `INSERT INTO outbox(id, kind, ref_id, payload, created_at, attempts) VALUES (?, 'sale', ?, ?, ?, 1)`},
		{&st.audit, `INSERT INTO audit_log(id, at, actor, action, subject, detail) VALUES (?,?,'cashier','print_copy',?,'')`},
	} {
		var err error
		if *p.stmt, err = tx.PrepareContext(ctx, p.sql); err != nil {
			return nil, err
		}
	}
	return &st, nil
}

// write adds the sales from to from+n of total, and acknowledges their outbox rows but for the
// last few of the whole history.
func (h *history) write(ctx context.Context, tx *sql.Tx, from, n, total int) error {
	st, err := prepareHistory(ctx, tx)
	if err != nil {
		return err
	}
	var acked []any
	for i := from; i < from+n; i++ {
		outboxID, err := h.sale(ctx, st, i)
		if err != nil {
			return err
		}
		if i < total-historyUnsent {
			acked = append(acked, outboxID)
		}
	}
	// The pusher acknowledges in batches: deleted rows leave pages that later sales reuse.
	for start := 0; start < len(acked); start += 500 {
		part := acked[start:min(start+500, len(acked))]
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (`+placeholders(len(part))+`)`, part...); err != nil {
			return err
		}
	}
	return nil
}

// sale writes the i-th sale of the history, 330 a day, and returns its outbox row.
func (h *history) sale(ctx context.Context, st *historyInserts, i int) (string, error) {
	if i%330 == 0 { // a new day, after the daily closure
		h.day, h.z, h.n = h.day.AddDate(0, 0, 1), h.z+1, 0
	}
	at := h.day.Add(time.Duration(i%330) * 2 * time.Minute)
	id, now := NewID(), formatTime(at)
	kind, customer := "receipt", ""
	if i%50 == 7 {
		kind, customer = "invoice", "customer-1"
	}
	rec := SaleRecord{ID: id, CreatedAt: now}
	var deps []checkout.Department
	for pos := 1; pos <= 5; pos++ {
		d := h.deps[(i+pos)%len(h.deps)]
		line := SaleRecordLine{Description: d.Name, QuantityMilli: 1000, UnitCents: int64(120 + 37*((i+pos)%20)), Department: d.Number,
			Nature: d.Nature}
		if d.Nature == "" {
			rate := int64(d.VATRate)
			line.VATRate = &rate
		}
		rec.TotalCents += line.UnitCents
		rec.Lines, deps = append(rec.Lines, line), append(deps, d)
	}
	if _, err := st.sale.ExecContext(ctx, id, at.Format(time.DateOnly), now, now, rec.TotalCents, now, kind, customer); err != nil {
		return "", err
	}
	for k, l := range rec.Lines {
		d := deps[k]
		if _, err := st.line.ExecContext(ctx, id, k+1, l.Description, l.UnitCents, l.UnitCents, d.ID, d.Number, d.Name, d.VATRate, d.Nature); err != nil {
			return "", err
		}
	}
	rec.Payments = historyPayments(i, rec.TotalCents)
	for _, p := range rec.Payments {
		device, prev, sent, evidence := "", "", "", ""
		if p.TerminalID != "" {
			device, prev, sent, evidence = "dev-1", fmt.Sprintf("%06d", i%1000000-1), now, "approved by the terminal"
			if p.Method == "card" {
				device = "dev-2"
			}
		}
		if _, err := st.pay.ExecContext(ctx, NewID(), id, p.Method, p.AmountCents, p.AmountCents, p.AmountCents, now, now,
			device, p.TerminalID, p.MerchantID, prev, p.MaskedPAN, p.AuthCode, p.STAN, p.AcquirerID, sent, evidence); err != nil {
			return "", err
		}
	}
	var err error
	if rec.Document, err = h.document(ctx, st, i, id, kind, at, rec.TotalCents); err != nil {
		return "", err
	}
	payload, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	outboxID := NewID()
	if _, err := st.outbox.ExecContext(ctx, outboxID, id, string(payload), now); err != nil {
		return "", err
	}
	if i%200 == 0 {
		if _, err := st.audit.ExecContext(ctx, NewID(), now, id); err != nil {
			return "", err
		}
	}
	return outboxID, nil
}

// historyPayments pays most sales in cash, two in ten mostly with a meal voucher, one by card.
func historyPayments(i int, total int64) []SaleRecordPay {
	stan := fmt.Sprintf("%06d", i%1000000)
	switch i % 10 {
	case 1, 2:
		return []SaleRecordPay{{Method: "coverflex", AmountCents: total - 100, TerminalID: "12345678", MerchantID: "CFX0001234",
			MaskedPAN: "************1234", AuthCode: "A1B2C3", STAN: stan, AcquirerID: "00000001"},
			{Method: "cash", AmountCents: 100}}
	case 3:
		return []SaleRecordPay{{Method: "card", AmountCents: total, TerminalID: "87654321", MerchantID: "CFX0001234",
			MaskedPAN: "************9876", AuthCode: "Z9Y8X7", STAN: stan, AcquirerID: "00000002"}}
	}
	return []SaleRecordPay{{Method: "cash", AmountCents: total}}
}

// document writes the sale's receipt, numbered in the day's closure, or its invoice with XML.
func (h *history) document(ctx context.Context, st *historyInserts, i int, saleID, kind string, at time.Time, total int64) (SaleRecordDocument, error) {
	now := formatTime(at)
	if kind == "invoice" {
		number := i/50 + 1
		xml := fmt.Sprintf("<FatturaElettronica><Numero>%d/%d</Numero>%0*d</FatturaElettronica>", number, at.Year(), 2500, 0)
		doc := SaleRecordDocument{Kind: kind, Number: strconv.Itoa(number) + "/" + strconv.Itoa(at.Year()), Year: at.Year(), XML: xml}
		_, err := st.doc.ExecContext(ctx, NewID(), saleID, kind, doc.Number, 0, number, now, total, "", at.Year(), xml)
		return doc, err
	}
	h.n++
	doc := SaleRecordDocument{Kind: kind, ZNumber: h.z, Number: fmt.Sprintf("%04d-%04d", h.z, h.n), PrinterSerial: "DEMO0000001"}
	_, err := st.doc.ExecContext(ctx, NewID(), saleID, kind, doc.Number, h.z, h.n, now, total, "DEMO0000001", 0, "")
	return doc, err
}

// leaveOpen adds what a crash leaves: a sale pending with its receipt uncertain, one pending
// with an unknown Coverflex attempt, and the terminals' last results.
func (h *history) leaveOpen(ctx context.Context, tx *sql.Tx) error {
	now := formatTime(h.day.Add(12 * time.Hour))
	day := h.day.Format(time.DateOnly)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at, print_started_at, print_uncertain_at)
			VALUES ('pending-uncertain', ?1, ?2, ?2, 500, 'pending', ?2, ?2, ?2)`, []any{day, now}},
		{`INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at) VALUES ('pending-unknown', ?1, ?2, ?2, 900, 'pending', ?2)`,
			[]any{day, now}},
		{`INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, state, created_at, updated_at, device_id, terminal_id, prev_stan)
			VALUES ('attempt-unknown', 'pending-unknown', 'coverflex', 900, 900, 'unknown', ?1, ?1, 'dev-1', '12345678', '000100')`, []any{now}},
		{`INSERT INTO terminal_state(terminal_id, last_stan, updated_at) VALUES ('12345678', '000100', ?1), ('87654321', '000200', ?1)`, []any{now}},
		{`INSERT INTO customers(id, company, vat_number, created_at, last_used_at) VALUES ('customer-1', 'Rossi S.r.l.', '01234567890', ?1, ?1)`, []any{now}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("%s: %w", q.sql, err)
		}
	}
	return nil
}

// historyDB is a database file with a history of n sales, closed cleanly. It is built once per
// test binary and per size, and kept in the temporary folder between runs like a build cache
// (its name carries the schema version and n): building 100,000 sales takes a while, and the
// same file serves to measure the till on it (copy it first: `till sale` writes to it).
func historyDB(tb testing.TB, n int) string {
	tb.Helper()
	historyMu.Lock()
	defer historyMu.Unlock()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("till-history-%d-sales-schema-%d-v%d.db", n, SchemaVersion(), historyFormat))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := fmt.Sprintf("%s.%d.building", path, os.Getpid()) // another test binary may be building it too
	defer func() {
		for _, name := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
			os.Remove(name)
		}
	}()
	db, err := Open(context.Background(), tmp)
	if err != nil {
		tb.Fatal(err)
	}
	fillHistory(tb, db, n)
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("built %s", path)
	return path
}

// historyFormat changes when fillHistory writes other rows, so a kept file is not reused.
const historyFormat = 2

var historyMu sync.Mutex
