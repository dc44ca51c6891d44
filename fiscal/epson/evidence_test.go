package epson

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"till/fiscal"
	"till/fiscal/rtsim"
)

// The rules of evidence (docs/fiscal.md): a document is recorded only from the printer's own
// answer to it, or, under the status-counters assumption, from a status answer carrying the
// counters; a field the printer did not send never reads as a value.

func TestOutcomeUnknownReconcilesToExactlyOneDocument(t *testing.T) {
	for _, fault := range []string{"once:drop-after-issue", "once:hang-after-issue", "once:no-answer", "once:no-answer-receipt"} {
		t.Run(fault, func(t *testing.T) {
			sim, d := startCountingSim(t, fault)
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

// TestOutcomeUnknownWithoutCountersIsNeverReprinted: a printer that answers the documented
// status fields only cannot tell its last document, whether or not the driver assumes it can,
// so no lost answer leads to a second document and the error says so.
func TestOutcomeUnknownWithoutCountersIsNeverReprinted(t *testing.T) {
	tests := []struct {
		fault    string
		counters bool
		issued   int
	}{
		{"drop-after-issue", false, 1},
		{"drop-after-issue", true, 1},
		{"hang-after-issue", false, 1},
		{"hang-after-issue", true, 1},
		{"once:no-answer-receipt", false, 0},
		{"once:no-answer", true, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/driver-counters=%v", tt.fault, tt.counters), func(t *testing.T) {
			sim, d := startSimWith(t, rtsim.Config{Fault: tt.fault}, Config{StatusCounters: tt.counters})
			_, err := fiscal.PrintOnce(context.Background(), d, lunch)
			if !errors.Is(err, fiscal.ErrOutcomeUnknown) || !errors.Is(err, fiscal.ErrCannotTell) {
				t.Fatalf("err = %v, want outcome unknown and cannot tell", err)
			}
			if got := receipts(sim); got != tt.issued {
				t.Errorf("journal has %d receipts, want %d", got, tt.issued)
			}
			if msg := Message(err, "it"); !strings.Contains(msg, "giornale elettronico") || !strings.Contains(msg, "carta") {
				t.Errorf("message %q does not send the cashier to the paper or the journal", msg)
			}
		})
	}
}

func TestReconcileAfterCrashSeesPrintedDocument(t *testing.T) {
	sim, d := startCountingSim(t, "drop-after-issue")
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
	if err != nil || !printed || ref.ID() != "0001-0001" || !ref.AmountReported {
		t.Fatalf("reconcile = %v %v %v", ref, printed, err)
	}
	_, printed, err = fiscal.Reconcile(ctx, d, lunch.Total(), ref)
	if err != nil || printed {
		t.Fatalf("second reconcile = %v %v", printed, err)
	}
}

func TestReconcileWithoutCountersCannotTell(t *testing.T) {
	for _, counters := range []bool{false, true} {
		t.Run(fmt.Sprintf("driver-counters=%v", counters), func(t *testing.T) {
			sim, d := startSimWith(t, rtsim.Config{Fault: "drop-after-issue"}, Config{StatusCounters: counters})
			ctx := context.Background()
			if _, err := d.LastDocument(ctx); !errors.Is(err, fiscal.ErrCannotTell) {
				t.Fatalf("last document: %v, want cannot tell", err)
			}
			if _, err := d.PrintReceipt(ctx, lunch); !errors.Is(err, fiscal.ErrOutcomeUnknown) {
				t.Fatalf("err = %v", err)
			}
			_ = sim.SetFault("")
			_, printed, err := fiscal.Reconcile(ctx, d, lunch.Total(), fiscal.DocumentRef{})
			if printed || !errors.Is(err, fiscal.ErrCannotTell) || !errors.Is(err, fiscal.ErrOutcomeUnknown) {
				t.Fatalf("reconcile = %v %v, want cannot tell", printed, err)
			}
		})
	}
}

func TestDocumentedPrinterLeavesSerialAndCountersEmpty(t *testing.T) {
	_, d := startSim(t, "")
	ctx := context.Background()
	ref, err := d.PrintReceipt(ctx, lunch)
	if err != nil {
		t.Fatal(err)
	}
	if ref.PrinterSerial != "" || ref.ID() != "0001-0001" {
		t.Errorf("ref = %+v", ref)
	}
	st, err := d.Status(ctx)
	if err != nil || st.Serial != "" || st.LastZ != 0 || st.LastDocument != 0 || !st.DailyOpen || !st.Ready {
		t.Errorf("status = %+v, %v", st, err)
	}
	if _, err := d.Void(ctx, ref); !errors.Is(err, fiscal.ErrRefused) {
		t.Errorf("void without a serial: %v", err)
	}
}

func TestStatusFillsCountersOnlyWhenTheAnswerCarriesThem(t *testing.T) {
	sim, d := startCountingSim(t, "")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := d.PrintReceipt(ctx, lunch); err != nil {
			t.Fatal(err)
		}
	}
	st, err := d.Status(ctx)
	if err != nil || st.LastDocument != 2 || st.LastZ != 0 || st.Serial != sim.Serial() {
		t.Errorf("status = %+v, %v", st, err)
	}
	last, err := d.LastDocument(ctx)
	if err != nil || last.ID() != "0001-0002" || last.Amount != 1470 || !last.AmountReported || last.PrinterSerial != sim.Serial() {
		t.Errorf("last document = %+v, %v", last, err)
	}
}

// TestDocumentAnswerWithoutNumberIsNotRecorded: only the printer's own number may be recorded, so
// an accepted document whose answer does not say it is an unknown outcome for a person, and an
// answer without the amount says so in AmountReported.
func TestDocumentAnswerWithoutNumberIsNotRecorded(t *testing.T) {
	tests := []struct {
		name string
		info string
		want error
	}{
		{"no addInfo", "", fiscal.ErrOutcomeUnknown},
		{"number without Z", "<fiscalReceiptNumber>3</fiscalReceiptNumber>", fiscal.ErrOutcomeUnknown},
		{"Z without number", "<zRepNumber>7</zRepNumber>", fiscal.ErrOutcomeUnknown},
		{"number and Z without amount", "<fiscalReceiptNumber>3</fiscalReceiptNumber><zRepNumber>7</zRepNumber>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `<soapenv:Envelope xmlns:soapenv="x"><soapenv:Body><response success="true" code="" status="2"><addInfo>` +
				tt.info + `</addInfo></response></soapenv:Body></soapenv:Envelope>`
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) }))
			t.Cleanup(srv.Close)
			d, _ := New(Config{URL: srv.URL, Serial: "99MEY000042"})
			ref, err := d.PrintReceipt(context.Background(), lunch)
			var fe *fiscal.Error
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !errors.As(err, &fe) || fe.Code != CodeNoNumber || ref != (fiscal.DocumentRef{}) {
					t.Fatalf("ref %+v, err %v; want %s", ref, err, CodeNoNumber)
				}
				return
			}
			if err != nil || ref.ID() != "0007-0003" || ref.AmountReported || ref.Amount != 0 {
				t.Fatalf("ref %+v, err %v", ref, err)
			}
		})
	}
}

// TestLastDocumentWithoutTheAssumptionAsksNothing: without Config.StatusCounters the driver does
// not even query: no documented answer could tell.
func TestLastDocumentWithoutTheAssumptionAsksNothing(t *testing.T) {
	_, rec, d := startRecordingSim(t, true) // the printer would send the counters; the driver is not told so
	d.cfg.StatusCounters = false
	if _, err := d.LastDocument(context.Background()); !errors.Is(err, fiscal.ErrCannotTell) {
		t.Fatalf("err = %v, want cannot tell", err)
	}
	if n := rec.count("queryPrinterStatus"); n != 0 {
		t.Errorf("sent %d status queries", n)
	}
}
