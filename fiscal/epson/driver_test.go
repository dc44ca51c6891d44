package epson

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"till/fiscal"
	"till/fiscal/rtsim"
)

// startSim runs the simulator on loopback and a driver pointed at it.
func startSim(t testing.TB, fault string) (*rtsim.Server, *Driver) {
	t.Helper()
	sim, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", Fault: fault, HangMax: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	d, err := New(Config{URL: srv.URL, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return sim, d
}

func receipts(sim *rtsim.Server) int {
	n := 0
	for _, e := range sim.Journal() {
		if e.Kind == "receipt" {
			n++
		}
	}
	return n
}

func TestPrintReceiptAgainstSimulator(t *testing.T) {
	sim, d := startSim(t, "")
	ref, err := d.PrintReceipt(context.Background(), lunch)
	if err != nil {
		t.Fatal(err)
	}
	if ref.ID() != "0001-0001" || ref.Amount != 1470 {
		t.Errorf("ref = %+v", ref)
	}
	j := sim.Journal()
	if len(j) != 1 || j[0].Lottery != "ABCD1234" || len(j[0].Payments) != 2 || j[0].Payments[0].Type != 3 {
		t.Errorf("journal = %+v", j)
	}
	tot := sim.Totals()
	if tot.ByPayment["3/1"] != 800 || tot.ByPayment["2/1"] != 670 || tot.ByDepartment[2] != 1470 {
		t.Errorf("totals = %+v", tot)
	}
}

func TestFaultsMapToKinds(t *testing.T) {
	tests := []struct {
		fault   string
		kind    error
		code    string
		issued  int
		message string
	}{
		{"paper-out", fiscal.ErrNotReady, "EPTR_REC_EMPTY", 0, "Carta esaurita o coperchio aperto: sostituire il rotolo e riprovare."},
		{"printer-error:3", fiscal.ErrNotReady, "PRINTER ERROR", 0, "Stampante non in linea: accenderla o rimetterla in linea e riprovare."},
		{"printer-error:13", fiscal.ErrRefused, "PRINTER ERROR", 0, "Valore non accettato dalla stampante: controllare importi e descrizioni."},
		{"no-answer", fiscal.ErrOutcomeUnknown, CodeNoAnswer, 0, "Nessuna risposta dalla stampante: verificare l'ultimo scontrino emesso prima di ristampare."},
		{"drop-after-issue", fiscal.ErrOutcomeUnknown, CodeNoAnswer, 1, "Nessuna risposta dalla stampante: verificare l'ultimo scontrino emesso prima di ristampare."},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			sim, d := startSim(t, tt.fault)
			_, err := d.PrintReceipt(context.Background(), lunch)
			var fe *fiscal.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &fe) || fe.Code != tt.code {
				t.Fatalf("err = %v, want %v %s", err, tt.kind, tt.code)
			}
			if got := receipts(sim); got != tt.issued {
				t.Errorf("issued %d documents, want %d", got, tt.issued)
			}
			if got := Message(err, "it"); got != tt.message {
				t.Errorf("message %q", got)
			}
		})
	}
}

func TestConnectionRefusedIsNotReady(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	d, _ := New(Config{URL: "http://" + addr, Timeout: time.Second})
	_, err = d.PrintReceipt(context.Background(), lunch)
	if !errors.Is(err, fiscal.ErrNotReady) {
		t.Fatalf("err = %v, want not ready", err)
	}
}

func TestOutcomeUnknownReconcilesToExactlyOneDocument(t *testing.T) {
	for _, fault := range []string{"once:drop-after-issue", "once:no-answer"} {
		t.Run(fault, func(t *testing.T) {
			sim, d := startSim(t, fault)
			ref, err := fiscal.PrintOnce(context.Background(), d, lunch)
			if err != nil {
				t.Fatal(err)
			}
			if got := receipts(sim); got != 1 {
				t.Fatalf("journal has %d receipts, want exactly 1", got)
			}
			if j := sim.Journal(); ref.ID() != j[0].ID || ref.Amount != 1470 {
				t.Errorf("ref %s, journal %s", ref.ID(), j[0].ID)
			}
		})
	}
}

func TestReconcileAfterCrashSeesPrintedDocument(t *testing.T) {
	sim, d := startSim(t, "drop-after-issue")
	ctx := context.Background()
	before, err := d.LastDocument(ctx) // the till persists this before sending
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.PrintReceipt(ctx, lunch); !errors.Is(err, fiscal.ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	_ = sim.SetFault("")
	ref, printed, err := fiscal.Reconcile(ctx, d, lunch.Total(), before)
	if err != nil || !printed || ref.ID() != "0001-0001" {
		t.Fatalf("reconcile = %v %v %v", ref, printed, err)
	}
	_, printed, err = fiscal.Reconcile(ctx, d, lunch.Total(), ref)
	if err != nil || printed {
		t.Fatalf("second reconcile = %v %v", printed, err)
	}
}

func TestVoidAndRefundOnlyOnce(t *testing.T) {
	_, d := startSim(t, "")
	ctx := context.Background()
	a, err := d.PrintReceipt(ctx, lunch)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.PrintReceipt(ctx, lunch)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Void(ctx, a); err != nil {
		t.Fatalf("void: %v", err)
	}
	if _, err := d.Void(ctx, a); !isStatus(err, 39) {
		t.Errorf("second void: %v", err)
	}
	cash := []fiscal.Payment{{Method: fiscal.Cash, Amount: 1200}}
	if _, err := d.Refund(ctx, b, lunch.Lines[:1], cash); err != nil {
		t.Fatalf("refund: %v", err)
	}
	if _, err := d.Refund(ctx, b, lunch.Lines[:1], cash); !isStatus(err, 40) {
		t.Errorf("second refund: %v", err)
	}
	missing := b
	missing.Number = 99
	if _, err := d.Void(ctx, missing); !isStatus(err, 17) {
		t.Errorf("void of a missing document: %v", err)
	}
	c, err := d.DailyClosure(ctx)
	if err != nil || c.ZNumber != 1 || c.DayTotal != 1470-1200 {
		t.Errorf("closure = %+v, %v", c, err)
	}
	st, err := d.Status(ctx)
	if err != nil || st.LastZ != 1 || st.DailyOpen || st.Serial != "99MEY000042" || !st.Ready {
		t.Errorf("status = %+v, %v", st, err)
	}
	if err := d.XReport(ctx); err != nil {
		t.Error(err)
	}
}

func isStatus(err error, status int) bool {
	var fe *fiscal.Error
	return errors.Is(err, fiscal.ErrRefused) && errors.As(err, &fe) && fe.Status == status
}

func TestStatusShowsPaperOutAsNotReady(t *testing.T) {
	_, d := startSim(t, "paper-out")
	st, err := d.Status(context.Background())
	if err != nil || st.Ready {
		t.Errorf("status = %+v, %v", st, err)
	}
}

func BenchmarkBuildParseReceipt(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BuildReceipt(lunch, DepartmentMap{}, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := ParseResponse([]byte(specAnswer)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrintReceiptSim(b *testing.B) {
	_, d := startSim(b, "")
	d.cfg.Timeout = 10 * time.Second
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.PrintReceipt(context.Background(), lunch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawHTTPBaseline posts the same bytes with a bare client: the floor the driver adds to.
func BenchmarkRawHTTPBaseline(b *testing.B) {
	_, d := startSim(b, "")
	body, _ := BuildReceipt(lunch, DepartmentMap{}, nil)
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Post(d.endpoint+"10000", "text/xml; charset=utf-8", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
