package checkout_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/epson"
	"till/fiscal/rtsim"
	"till/pos/ecr17"
	"till/storage"
)

// stampedTerminal is a minimal ECR17 peer on loopback that notes when a payment request has
// fully arrived and when it wrote the approval, so the benchmark can measure the till's own
// share of the time on each side of the terminal.
type stampedTerminal struct {
	requestAt  atomic.Int64 // unix ns: the request frame arrived
	approvalAt atomic.Int64 // unix ns: the approval frame was written
	stan       atomic.Int64
}

func (s *stampedTerminal) serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go s.exchange(c)
	}
}

func (s *stampedTerminal) exchange(c net.Conn) {
	defer c.Close()
	r := ecr17.NewReader(c, ecr17.LRCSTXETX)
	f, err := r.Next()
	if err != nil || f.Kind != ecr17.FrameApp {
		return
	}
	arrived := time.Now().UnixNano()
	req, err := ecr17.DecodeRequest(f.Payload)
	if err != nil || req.Code != 'P' {
		return // a last-result question: this peer has no last result
	}
	s.requestAt.Store(arrived)
	c.Write(ecr17.ACKFrame())
	n := s.stan.Add(1)
	stan := []byte("000000")
	for i := 5; i >= 0 && n > 0; i-- {
		stan[i] = byte('0' + n%10)
		n /= 10
	}
	payload, _ := ecr17.Response{Code: 'E', TerminalID: req.TerminalID, Result: "00", PAN: "411111******1111", EntryMode: "CLI",
		AuthCode: "A1B2C3", HostDateTime: "0401530", CardType: "2", AcquirerID: "00000000003", STAN: string(stan),
		OperationNumber: string(stan)}.Payload()
	s.approvalAt.Store(time.Now().UnixNano())
	c.Write(ecr17.AppendFrame(nil, ecr17.LRCSTXETX, payload))
	r.Next() // the till's ACK
}

// benchTill is the real checkout on a SQLite file with the stamped terminal and the RT printer
// simulator behind the Epson driver, on loopback.
type benchTill struct {
	co       *checkout.Checkout
	db       *storage.DB
	peer     *stampedTerminal
	dev      checkout.Device
	dep      checkout.Department
	printAt  *atomic.Int64
	closeAll func()
}

func newBenchTill(b *testing.B) *benchTill {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	db.SeedDemo(ctx)
	deps, _ := db.Departments(ctx)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	peer := &stampedTerminal{}
	go peer.serve(l)
	term, err := ecr17.Open(ctx, "Ingenico_EMW", "tcp://"+l.Addr().String(), "12345678", "00000001", nil)
	if err != nil {
		b.Fatal(err)
	}
	sim, _ := rtsim.New(rtsim.Config{Serial: "BENCH"})
	printAt := &atomic.Int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte("printerFiscalReceipt")) {
			printAt.Store(time.Now().UnixNano()) // the receipt itself, after the status query
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sim.ServeHTTP(w, r)
	}))
	printer, err := epson.New(epson.Config{URL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	dev := checkout.Device{ID: "dev-1", Name: "POS banco", TerminalID: "12345678", Exclusive: true, WorkTimeout: time.Minute, Terminal: term}
	return &benchTill{
		co: &checkout.Checkout{Printer: printer, Journal: db, Devices: rigDevices{"dev-1": dev}, NewID: storage.NewID, Now: time.Now},
		db: db, peer: peer, dev: dev, dep: deps[1], printAt: printAt,
		closeAll: func() { srv.Close(); l.Close(); db.Close() },
	}
}

// pay runs one Coverflex sale: the payment, then the receipt.
func (bt *benchTill) pay(b *testing.B) (confirm time.Time) {
	ctx := context.Background()
	s := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now(), Lines: []checkout.Line{
		{Description: "Menu pranzo", QtyMilli: 1000, UnitPrice: 1200, Department: bt.dep}}}
	bt.printAt.Store(0)
	confirm = time.Now()
	if _, err := bt.co.PayElectronic(ctx, s, checkout.ElectronicRequest{Method: fiscal.Coverflex, Amount: 1200, Device: bt.dev,
		MerchantID: "CFX0001234"}); err != nil {
		b.Fatal(err)
	}
	if _, err := bt.co.Complete(ctx, s, 0); err != nil {
		b.Fatal(err)
	}
	return confirm
}

// BenchmarkConfirmToRequestAndApprovalToDocument measures, against a terminal peer and the RT
// printer simulator on loopback with the real drivers and SQLite, the time from the cashier's
// confirm to the payment request arriving at the terminal ("confirm-to-request-ms") and from
// the approval leaving the terminal to the document request arriving at the printer
// ("approval-to-document-ms"). Both include the checks made before money moves (the printer's
// status) and the SQLite commits written before each side effect; the time the terminal and
// printer take themselves is not counted.
func BenchmarkConfirmToRequestAndApprovalToDocument(b *testing.B) {
	bt := newBenchTill(b)
	defer bt.closeAll()
	bt.pay(b) // the first payment learns the terminal's last result
	var toRequest, toDocument time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		confirm := bt.pay(b)
		toRequest += time.Duration(bt.peer.requestAt.Load() - confirm.UnixNano())
		toDocument += time.Duration(bt.printAt.Load() - bt.peer.approvalAt.Load())
	}
	b.StopTimer()
	b.ReportMetric(float64(toRequest.Microseconds())/1000/float64(b.N), "confirm-to-request-ms")
	b.ReportMetric(float64(toDocument.Microseconds())/1000/float64(b.N), "approval-to-document-ms")
}

// BenchmarkConfirmToRequest100kSales is the confirm → request frame time with 100,000 earlier
// sales in the database, each paid with Coverflex on the same terminal: nothing read before the
// request may grow with the history (the terminal's last STAN is one row).
func BenchmarkConfirmToRequest100kSales(b *testing.B) {
	bt := newBenchTill(b)
	defer bt.closeAll()
	seedHistory(b, bt.db, 100_000, bt.dep)
	bt.pay(b)
	var toRequest time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		confirm := bt.pay(b)
		toRequest += time.Duration(bt.peer.requestAt.Load() - confirm.UnixNano())
	}
	b.StopTimer()
	b.ReportMetric(float64(toRequest.Microseconds())/1000/float64(b.N), "confirm-to-request-ms")
}

// seedHistory writes n documented Coverflex sales on terminal 12345678 in one transaction, as
// the till would have recorded them, with the terminal's last STAN.
func seedHistory(b *testing.B, db *storage.DB, n int, dep checkout.Department) {
	ctx := context.Background()
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	day := time.Now().AddDate(0, 0, -1)
	for i := 0; i < n; i++ {
		id, at := storage.NewID(), day.Add(time.Duration(i)*time.Second).UTC().Format(time.RFC3339Nano)
		stan := fmt.Sprintf("%06d", i%1_000_000)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO sales(id, business_day, started_at, created_at, total_cents, state, updated_at) VALUES (?,?,?,?,1200,'documented',?)`,
				[]any{id, day.Format(time.DateOnly), at, at, at}},
			{`INSERT INTO sale_lines(sale_id, position, description, qty_milli, unit_cents, amount_cents, department_id, department_number,
				department_name, vat_rate) VALUES (?,1,'Menu pranzo',1000,1200,1200,?,?,?,?)`, []any{id, dep.ID, dep.Number, dep.Name, dep.VATRate}},
			{`INSERT INTO payments(id, sale_id, method, amount_cents, requested_cents, state, device_id, terminal_id, stan, auth_code,
				created_at, updated_at) VALUES (?,?,'coverflex',1200,1200,'documented','dev-1','12345678',?,'A1B2C3',?,?)`,
				[]any{storage.NewID(), id, stan, at, at}},
			{`INSERT INTO documents(id, sale_id, kind, number, z_number, doc_number, issued_at, amount_cents) VALUES (?,?,'receipt',?,1,?,?,1200)`,
				[]any{storage.NewID(), id, fmt.Sprintf("0001-%04d", i%10000), i, at}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
