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

// startSim runs the simulator on loopback, answering only the documented fields, and a driver
// pointed at it without the status-counters assumption.
func startSim(t testing.TB, fault string) (*rtsim.Server, *Driver) {
	t.Helper()
	return startSimWith(t, rtsim.Config{Fault: fault}, Config{})
}

// startCountingSim is startSim with the status-counters assumption on both sides: a printer
// that tells its last document in the status answer, and a driver configured to read it.
func startCountingSim(t testing.TB, fault string) (*rtsim.Server, *Driver) {
	t.Helper()
	return startSimWith(t, rtsim.Config{Fault: fault, AssumeStatusCounters: true}, Config{StatusCounters: true})
}

// startSimWith runs a simulator and a driver, by default with serial 99MEY000042 and a driver
// timeout far longer than any answer takes even on a loaded machine. A request a fault holds is
// ended by the simulator after 50 ms with the connection closed, so tests of lost answers wait
// for that condition, never for a client timeout to race the printer.
func startSimWith(t testing.TB, simCfg rtsim.Config, cfg Config) (*rtsim.Server, *Driver) {
	t.Helper()
	if simCfg.Serial == "" {
		simCfg.Serial = "99MEY000042"
	}
	if simCfg.HangMax == 0 {
		simCfg.HangMax = 50 * time.Millisecond
	}
	sim, err := rtsim.New(simCfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	cfg.URL = srv.URL
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	d, err := New(cfg)
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
	if ref.ID() != "0001-0001" || ref.Amount != 1470 || !ref.AmountReported {
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
		{"hang-after-issue", fiscal.ErrOutcomeUnknown, CodeNoAnswer, 1, "Nessuna risposta dalla stampante: verificare l'ultimo scontrino emesso prima di ristampare."},
		{"no-answer-receipt", fiscal.ErrOutcomeUnknown, CodeNoAnswer, 0, "Nessuna risposta dalla stampante: verificare l'ultimo scontrino emesso prima di ristampare."},
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

// TestVoidAndRefundOnlyOnce runs on a printer that sends its serial under the status-counters
// assumption (the driver learns it) and on a documented one (the serial is configured).
func TestVoidAndRefundOnlyOnce(t *testing.T) {
	tests := []struct {
		name  string
		sim   rtsim.Config
		cfg   Config
		lastZ int
	}{
		{"serial learnt from the status", rtsim.Config{AssumeStatusCounters: true}, Config{StatusCounters: true}, 1},
		{"serial configured", rtsim.Config{}, Config{Serial: "99MEY000042"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, d := startSimWith(t, tt.sim, tt.cfg)
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
			if err != nil || st.LastZ != tt.lastZ || st.DailyOpen || st.Serial != "99MEY000042" || !st.Ready {
				t.Errorf("status = %+v, %v", st, err)
			}
			if err := d.XReport(ctx); err != nil {
				t.Error(err)
			}
		})
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
