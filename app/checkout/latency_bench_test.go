package checkout_test

import (
	"bytes"
	"context"
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
	s.requestAt.Store(time.Now().UnixNano())
	req, err := ecr17.DecodeRequest(f.Payload)
	if err != nil || req.Code != 'P' {
		return
	}
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

// BenchmarkConfirmToRequestAndApprovalToDocument measures, against a terminal peer and the RT
// printer simulator on loopback with the real drivers and SQLite, the time from the cashier's
// confirm to the payment request arriving at the terminal ("confirm-to-request-ms") and from
// the approval leaving the terminal to the document request arriving at the printer
// ("approval-to-document-ms"). Both include the SQLite commits written before each side
// effect; the time the terminal and printer take themselves is not counted.
func BenchmarkConfirmToRequestAndApprovalToDocument(b *testing.B) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SeedDemo(ctx)
	deps, _ := db.Departments(ctx)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	peer := &stampedTerminal{}
	go peer.serve(l)
	term, err := ecr17.Open(ctx, "Ingenico_EMW", "tcp://"+l.Addr().String(), "12345678", "00000001", nil)
	if err != nil {
		b.Fatal(err)
	}
	sim, _ := rtsim.New(rtsim.Config{Serial: "BENCH"})
	var printAt atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte("printerFiscalReceipt")) {
			printAt.Store(time.Now().UnixNano()) // the receipt itself, after the status query
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sim.ServeHTTP(w, r)
	}))
	defer srv.Close()
	printer, err := epson.New(epson.Config{URL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	co := &checkout.Checkout{Printer: printer, Journal: db, NewID: storage.NewID, Now: time.Now}
	var toRequest, toDocument time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now(), Lines: []checkout.Line{
			{Description: "Menu pranzo", QtyMilli: 1000, UnitPrice: 1200, Department: deps[1]}}}
		printAt.Store(0)
		confirm := time.Now()
		if _, err := co.PayElectronic(ctx, s, checkout.ElectronicRequest{Method: fiscal.Coverflex, Amount: 1200, DeviceID: "dev-1",
			TerminalID: "12345678", MerchantID: "CFX0001234", Terminal: term}); err != nil {
			b.Fatal(err)
		}
		if _, err := co.Complete(ctx, s, 0); err != nil {
			b.Fatal(err)
		}
		toRequest += time.Duration(peer.requestAt.Load() - confirm.UnixNano())
		toDocument += time.Duration(printAt.Load() - peer.approvalAt.Load())
	}
	b.StopTimer()
	b.ReportMetric(float64(toRequest.Microseconds())/1000/float64(b.N), "confirm-to-request-ms")
	b.ReportMetric(float64(toDocument.Microseconds())/1000/float64(b.N), "approval-to-document-ms")
}
