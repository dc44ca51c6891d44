package epson

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"till/fiscal"
	"till/fiscal/rtsim"
)

// courtesy is a lunch for a company: 22,40 € in two departments, a discount, card and cash.
var courtesy = fiscal.CourtesyInvoice{
	Number:   "12/2026",
	Customer: []string{"ROSSI SRL", "P.IVA 01234567897", "VIA ROMA 1", "00100 ROMA RM"},
	Lines: []fiscal.Line{
		{Description: "MENU PRANZO", QtyMilli: 2000, UnitPrice: 1200, Department: 2, VATRate: 1000, Discount: 360},
		{Description: "VINO ROSSO CALICE", QtyMilli: 1000, UnitPrice: 200, Department: 1, VATRate: 2200},
	},
	Payments: []fiscal.Payment{{Method: fiscal.Card, Amount: 2000}, {Method: fiscal.Cash, Amount: 240}},
}

// recorder counts the commands the simulator received, so a test can prove that nothing was sent.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]int
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if parsed, err := rtsim.ParseRequest(body); err == nil {
		r.mu.Lock()
		for _, c := range parsed.Commands {
			r.seen[c.Name]++
		}
		r.mu.Unlock()
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	r.next.ServeHTTP(w, req)
}

func (r *recorder) count(command string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[command]
}

// startRecordingSim is startSim with a recorder between the driver and the simulator; counters
// puts the status-counters assumption on both sides.
func startRecordingSim(t *testing.T, counters bool) (*rtsim.Server, *recorder, *Driver) {
	t.Helper()
	sim, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", HangMax: 50 * time.Millisecond, AssumeStatusCounters: counters})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{next: sim, seen: map[string]int{}}
	srv := httptest.NewServer(rec)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	d, err := New(Config{URL: srv.URL, Timeout: 20 * time.Second, StatusCounters: counters})
	if err != nil {
		t.Fatal(err)
	}
	return sim, rec, d
}

func kinds(sim *rtsim.Server) map[string]int {
	n := map[string]int{}
	for _, e := range sim.Journal() {
		n[e.Kind]++
	}
	return n
}

func TestCourtesyInvoiceAgainstSimulator(t *testing.T) {
	sim, _, d := startRecordingSim(t, true)
	ctx := context.Background()
	if _, err := d.PrintReceipt(ctx, lunch); err != nil {
		t.Fatal(err)
	}
	ref, err := d.PrintCourtesyInvoice(ctx, courtesy)
	if err != nil {
		t.Fatal(err)
	}
	if ref.ID() != "0001-0002" || ref.Amount != 2240 || !ref.AmountReported || ref.PrinterSerial != "99MEY000042" || ref.IssuedAt.IsZero() {
		t.Errorf("ref = %+v", ref)
	}
	j := sim.Journal()
	if len(j) != 2 {
		t.Fatalf("journal = %+v", j)
	}
	inv := j[1]
	wantMsgs := []string{"FATTURA N. 12/2026", "ROSSI SRL", "P.IVA 01234567897", "VIA ROMA 1", "00100 ROMA RM"}
	if inv.Kind != rtsim.KindInvoice || inv.ID != ref.ID() || inv.Amount != 2240 || strings.Join(inv.Messages, "|") != strings.Join(wantMsgs, "|") ||
		len(inv.Items) != 2 || inv.Items[0].Discount != 360 || len(inv.Payments) != 2 || inv.Payments[0].Type != 2 || inv.Payments[1].Type != 0 {
		t.Errorf("invoice entry = %+v", inv)
	}
	// The invoice is the printer's last document, so a till configured with the status-counters
	// assumption reconciles it like a receipt.
	last, err := d.LastDocument(ctx)
	if err != nil || last.ID() != ref.ID() || last.Amount != courtesy.Total() {
		t.Errorf("last document = %+v, %v", last, err)
	}
	if tot := sim.Totals(); tot.Total != 1470+2240 || tot.ByPayment["2/1"] != 670+2000 || tot.ByPayment["0/0"] != 240 {
		t.Errorf("totals = %+v", tot)
	}
}

func TestCourtesyInvoiceOutcomeUnknownReconciles(t *testing.T) {
	sim, d := startCountingSim(t, "")
	ctx := context.Background()
	before, err := d.LastDocument(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = sim.SetFault("once:drop-after-issue")
	if _, err := d.PrintCourtesyInvoice(ctx, courtesy); !errors.Is(err, fiscal.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want outcome unknown", err)
	}
	ref, printed, err := fiscal.Reconcile(ctx, d, courtesy.Total(), before)
	if err != nil || !printed || ref.ID() != "0001-0001" || kinds(sim)[rtsim.KindInvoice] != 1 {
		t.Errorf("reconcile = %+v %v %v, journal %v", ref, printed, err, kinds(sim))
	}
}

func TestCourtesyInvoiceRefusedBeforeSending(t *testing.T) {
	with := func(f func(*fiscal.CourtesyInvoice)) fiscal.CourtesyInvoice {
		inv := courtesy
		f(&inv)
		return inv
	}
	tests := []struct {
		name string
		inv  fiscal.CourtesyInvoice
		code string
	}{
		{"no number", with(func(i *fiscal.CourtesyInvoice) { i.Number = " " }), CodeBadInvoice},
		{"no customer", with(func(i *fiscal.CourtesyInvoice) { i.Customer = nil }), CodeBadInvoice},
		{"blank customer", with(func(i *fiscal.CourtesyInvoice) { i.Customer = []string{"", " "} }), CodeBadInvoice},
		{"five customer lines", with(func(i *fiscal.CourtesyInvoice) { i.Customer = append(i.Customer[:4:4], "ITALIA") }), CodeBadInvoice},
		{"no lines", with(func(i *fiscal.CourtesyInvoice) { i.Lines = nil }), CodeEmptyReceipt},
		{"underpaid", with(func(i *fiscal.CourtesyInvoice) { i.Payments = i.Payments[:1] }), CodeUnderpaid},
		{"unknown method", with(func(i *fiscal.CourtesyInvoice) { i.Payments = []fiscal.Payment{{Method: "bitcoin", Amount: 2240}} }), CodeUnknownPayment},
		{"bad quantity", with(func(i *fiscal.CourtesyInvoice) { i.Lines = []fiscal.Line{{Description: "X", Department: 1}} }), CodeBadAmount},
	}
	sim, rec, d := startRecordingSim(t, false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.PrintCourtesyInvoice(context.Background(), tt.inv)
			var fe *fiscal.Error
			if !errors.Is(err, fiscal.ErrRefused) || !errors.As(err, &fe) || fe.Code != tt.code {
				t.Fatalf("err = %v, want refused %s", err, tt.code)
			}
			if Message(err, "it") == Message(errors.New("x"), "it") {
				t.Errorf("no specific message for %s", tt.code)
			}
		})
	}
	if n := rec.count("beginFiscalDocument"); n != 0 || len(sim.Journal()) != 0 {
		t.Errorf("sent %d invoices, journal %+v", n, sim.Journal())
	}
}

func TestCourtesyInvoiceSkipsBlankCustomerLines(t *testing.T) {
	inv := courtesy
	inv.Customer = []string{"BIANCHI LUCA", "", "C.F. BNCLCU80A01H501X"}
	body, err := BuildCourtesyInvoice(inv, DepartmentMap{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	req, err := rtsim.ParseRequest(body)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range req.Commands {
		if c.Name == "printRecMessage" {
			idx, _ := c.Attr("index")
			msg, _ := c.Attr("message")
			got = append(got, idx+":"+msg)
		}
	}
	if want := "1:FATTURA N. 12/2026|2:BIANCHI LUCA|3:C.F. BNCLCU80A01H501X"; strings.Join(got, "|") != want {
		t.Errorf("customer lines %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestDuplicateOnlyOfTheLastDocument(t *testing.T) {
	ctx := context.Background()
	sim, rec, d := startRecordingSim(t, true)

	// Nothing printed today: nothing to reprint, and nothing is sent.
	var fe *fiscal.Error
	if err := d.PrintDuplicate(ctx, fiscal.DocumentRef{ZNumber: 1, Number: 1}); !errors.As(err, &fe) || fe.Code != CodeNotLastDocument {
		t.Fatalf("duplicate with no document: %v", err)
	}

	a, err := d.PrintReceipt(ctx, lunch)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.PrintCourtesyInvoice(ctx, courtesy)
	if err != nil {
		t.Fatal(err)
	}
	totalsBefore := sim.Totals()
	otherPrinter := b
	otherPrinter.PrinterSerial = "99MEY999999"
	nextDay := b
	nextDay.ZNumber++

	tests := []struct {
		name   string
		of     fiscal.DocumentRef
		refuse bool
	}{
		{"an older document", a, true},
		{"same number on another printer", otherPrinter, true},
		{"same number in another day", nextDay, true},
		{"the last document", b, false},
		{"the last document again", b, false},
	}
	copies := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sentBefore := rec.count("printDuplicateReceipt")
			err := d.PrintDuplicate(ctx, tt.of)
			sent := rec.count("printDuplicateReceipt") - sentBefore
			if tt.refuse {
				var fe *fiscal.Error
				if !errors.Is(err, fiscal.ErrRefused) || !errors.As(err, &fe) || fe.Code != CodeNotLastDocument || fe.Detail != DetailNotLastDocument {
					t.Fatalf("err = %v, want refused %s", err, CodeNotLastDocument)
				}
				if sent != 0 {
					t.Errorf("sent %d printDuplicateReceipt for a refused duplicate", sent)
				}
				return
			}
			if err != nil || sent != 1 {
				t.Fatalf("err = %v, sent %d", err, sent)
			}
			copies++
		})
	}
	var got []rtsim.Entry
	for _, e := range sim.Journal() {
		if e.Kind == rtsim.KindCopy {
			got = append(got, e)
		}
	}
	if len(got) != copies || copies != 2 || got[0].Original != b.ID() || got[0].Number != 0 || got[0].Amount != b.Amount {
		t.Errorf("copies in the journal = %+v", got)
	}
	// A copy is not a document: counters and day totals are where they were.
	last, err := d.LastDocument(ctx)
	if err != nil || last.ID() != b.ID() {
		t.Errorf("last document after the copies = %+v, %v", last, err)
	}
	if tot := sim.Totals(); tot.Total != totalsBefore.Total || tot.ByPayment["2/1"] != totalsBefore.ByPayment["2/1"] {
		t.Errorf("totals moved: %+v, were %+v", tot, totalsBefore)
	}
	if k := kinds(sim); k["receipt"] != 1 || k[rtsim.KindInvoice] != 1 || k[rtsim.KindCopy] != 2 {
		t.Errorf("journal kinds = %v", k)
	}
	c, err := d.PrintReceipt(ctx, lunch)
	if err != nil || c.ID() != "0001-0003" {
		t.Errorf("next receipt = %s, %v", c.ID(), err)
	}
}

func TestDuplicateErrorsKeepTheirKind(t *testing.T) {
	tests := []struct {
		fault string
		kind  error
		code  string
	}{
		{"paper-out", fiscal.ErrNotReady, "EPTR_REC_EMPTY"},
		{"printer-error:17", fiscal.ErrRefused, "PRINTER ERROR"},
		{"drop-after-issue", fiscal.ErrOutcomeUnknown, CodeNoAnswer},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			sim, d := startSim(t, "")
			ctx := context.Background()
			ref, err := d.PrintReceipt(ctx, lunch)
			if err != nil {
				t.Fatal(err)
			}
			_ = sim.SetFault(tt.fault) // status queries still answer, the duplicate does not
			err = d.PrintDuplicate(ctx, ref)
			var fe *fiscal.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &fe) || fe.Code != tt.code {
				t.Fatalf("err = %v, want %v %s", err, tt.kind, tt.code)
			}
		})
	}
}

// TestDuplicateWhenThePrinterCannotTellPrintsTheCopy: without the status counters the driver
// cannot check which document printDuplicateReceipt reprints, so it prints the copy the caller
// asked for (the checkout asks only for the document it recorded last on the printer).
func TestDuplicateWhenThePrinterCannotTellPrintsTheCopy(t *testing.T) {
	ctx := context.Background()
	sim, rec, d := startRecordingSim(t, false)
	if err := d.PrintDuplicate(ctx, fiscal.DocumentRef{ZNumber: 1, Number: 1}); !isStatus(err, 17) {
		t.Fatalf("duplicate with no document today: %v, want the printer's refusal (17)", err)
	}
	ref, err := d.PrintReceipt(ctx, lunch)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.PrintDuplicate(ctx, ref); err != nil {
		t.Fatalf("duplicate: %v", err)
	}
	if n := rec.count("printDuplicateReceipt"); n != 2 {
		t.Errorf("sent %d printDuplicateReceipt, want 2", n)
	}
	if k := kinds(sim); k["receipt"] != 1 || k[rtsim.KindCopy] != 1 {
		t.Errorf("journal kinds = %v", k)
	}
}
