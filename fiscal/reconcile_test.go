package fiscal_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"till/fiscal"
	"till/fiscal/epson"
	"till/fiscal/rtsim"
	"till/money"
)

// lastDoc is a printer that only knows its last document.
type lastDoc fiscal.DocumentRef

func (l lastDoc) LastDocument(context.Context) (fiscal.DocumentRef, error) {
	return fiscal.DocumentRef(l), nil
}

// cannotTell is a printer that cannot say its last document by a documented means.
type cannotTell struct{}

func (cannotTell) LastDocument(context.Context) (fiscal.DocumentRef, error) {
	return fiscal.DocumentRef{}, fmt.Errorf("status answer without counters: %w", fiscal.ErrCannotTell)
}

func TestReconcileDecidesFromLastDocument(t *testing.T) {
	before := fiscal.DocumentRef{ZNumber: 3, Number: 7, Amount: 500, AmountReported: true}
	tests := []struct {
		name    string
		now     fiscal.DocumentRef
		printed bool
		err     error
	}{
		{"nothing new", before, false, nil},
		{"new document with the amount", fiscal.DocumentRef{ZNumber: 3, Number: 8, Amount: 1470, AmountReported: true}, true, nil},
		{"a Z report and nothing since", fiscal.DocumentRef{ZNumber: 4}, false, nil},
		{"first document after a Z", fiscal.DocumentRef{ZNumber: 4, Number: 1, Amount: 1470}, true, nil},
		{"someone else's document", fiscal.DocumentRef{ZNumber: 3, Number: 8, Amount: 99, AmountReported: true}, false, fiscal.ErrOutcomeUnknown},
		{"new document, amount not stated", fiscal.DocumentRef{ZNumber: 3, Number: 8}, false, fiscal.ErrOutcomeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, printed, err := fiscal.Reconcile(context.Background(), lastDoc(tt.now), money.Cents(1470), before)
			if printed != tt.printed || !errors.Is(err, tt.err) || (tt.err == nil && err != nil) || (printed && ref != tt.now) {
				t.Errorf("got %v %v %v", ref, printed, err)
			}
		})
	}
}

func TestReconcileNeverConcludesNothingIssuedWhenThePrinterCannotTell(t *testing.T) {
	ref, printed, err := fiscal.Reconcile(context.Background(), cannotTell{}, 120, fiscal.DocumentRef{})
	if printed || ref != (fiscal.DocumentRef{}) || !errors.Is(err, fiscal.ErrCannotTell) || !errors.Is(err, fiscal.ErrOutcomeUnknown) {
		t.Fatalf("reconcile = %v %v %v, want an error wrapping ErrCannotTell and ErrOutcomeUnknown", ref, printed, err)
	}
}

// paperPrinter is an in-memory printer whose paper is a slice: it issues for real, and can lose
// the answer after issuing or before. It can tell its last document only when tells is set.
type paperPrinter struct {
	fiscal.Printer // only PrintReceipt and LastDocument are used
	tells          bool
	lose           []string // per print: "" answers, "after" issues and loses the answer, "before" loses the request
	paper          []fiscal.DocumentRef
}

func (p *paperPrinter) PrintReceipt(_ context.Context, r fiscal.Receipt) (fiscal.DocumentRef, error) {
	lose := ""
	if len(p.lose) > 0 {
		lose, p.lose = p.lose[0], p.lose[1:]
	}
	if lose == "before" {
		return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrOutcomeUnknown, Code: "TEST_LOST"}
	}
	ref := fiscal.DocumentRef{ZNumber: 1, Number: len(p.paper) + 1, Amount: r.Total(), AmountReported: true}
	p.paper = append(p.paper, ref)
	if lose == "after" {
		return fiscal.DocumentRef{}, &fiscal.Error{Kind: fiscal.ErrOutcomeUnknown, Code: "TEST_LOST"}
	}
	return ref, nil
}

func (p *paperPrinter) LastDocument(ctx context.Context) (fiscal.DocumentRef, error) {
	if !p.tells {
		return cannotTell{}.LastDocument(ctx)
	}
	if len(p.paper) == 0 {
		return fiscal.DocumentRef{ZNumber: 1}, nil
	}
	return p.paper[len(p.paper)-1], nil
}

func TestPrintOnceReprintsOnlyWhenADocumentedAnswerSaysNothingWasIssued(t *testing.T) {
	coffee := fiscal.Receipt{Lines: []fiscal.Line{{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, Department: 1}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 120}}}
	tests := []struct {
		name       string
		tells      bool
		lose       []string
		paper      int
		err        []error // every one must be wrapped; none means success
		cannotTell bool
	}{
		{"answered", false, nil, 1, nil, false},
		{"cannot tell, answer lost after issue", false, []string{"after"}, 1, []error{fiscal.ErrOutcomeUnknown, fiscal.ErrCannotTell}, true},
		{"cannot tell, request lost before issue", false, []string{"before"}, 0, []error{fiscal.ErrOutcomeUnknown, fiscal.ErrCannotTell}, true},
		{"tells, answer lost after issue", true, []string{"after"}, 1, nil, false},
		{"tells, request lost before issue", true, []string{"before"}, 1, nil, false},
		{"tells, lost twice before issue", true, []string{"before", "before"}, 0, []error{fiscal.ErrOutcomeUnknown}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &paperPrinter{tells: tt.tells, lose: tt.lose}
			ref, err := fiscal.PrintOnce(context.Background(), p, coffee)
			if len(p.paper) != tt.paper {
				t.Fatalf("%d documents on paper, want %d (err %v)", len(p.paper), tt.paper, err)
			}
			for _, want := range tt.err {
				if !errors.Is(err, want) {
					t.Errorf("err = %v, want it to wrap %v", err, want)
				}
			}
			if len(tt.err) == 0 && (err != nil || ref != p.paper[len(p.paper)-1]) {
				t.Errorf("ref %v err %v, want the document on paper", ref, err)
			}
			if errors.Is(err, fiscal.ErrCannotTell) != tt.cannotTell {
				t.Errorf("err = %v, cannot tell %v", err, tt.cannotTell)
			}
		})
	}
}

// TestPrintOnceAgainstTheDocumentedPrinter is the "printed three times" bug: a printer that
// answers only the contract's status fields, and answers lost in every way. Nothing is printed
// twice, and every unknown outcome stays unknown.
func TestPrintOnceAgainstTheDocumentedPrinter(t *testing.T) {
	r := fiscal.Receipt{Lines: []fiscal.Line{{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, Department: 2}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 120}}}
	tests := []struct {
		fault    string
		counters bool // the driver assumes status counters the simulator does not send
		issued   int
	}{
		{"drop-after-issue", false, 1},
		{"drop-after-issue", true, 1},
		{"hang-after-issue", false, 1},
		{"once:no-answer-receipt", false, 0},
		{"once:no-answer-receipt", true, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/counters=%v", tt.fault, tt.counters), func(t *testing.T) {
			// A held request is ended by the simulator (HangMax), not by a client timeout racing it.
			sim, err := rtsim.New(rtsim.Config{Fault: tt.fault, HangMax: 50 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(sim)
			t.Cleanup(func() { sim.Close(); srv.Close() })
			printer, _ := epson.New(epson.Config{URL: srv.URL, Timeout: 20 * time.Second, StatusCounters: tt.counters})
			_, err = fiscal.PrintOnce(context.Background(), printer, r)
			if !errors.Is(err, fiscal.ErrOutcomeUnknown) || !errors.Is(err, fiscal.ErrCannotTell) {
				t.Fatalf("err = %v, want outcome unknown and cannot tell", err)
			}
			if n := len(sim.Journal()); n != tt.issued {
				t.Errorf("%d documents issued, want %d", n, tt.issued)
			}
		})
	}
}

// Example shows how the till prints a receipt so it can recover after a crash, on a printer
// configured with the status-counters assumption (epson.Config.StatusCounters; the simulator's
// AssumeStatusCounters plays such a printer): it persists the printer's last document before
// sending, and reconciles with it when the outcome is unknown.
func Example() {
	sim, _ := rtsim.New(rtsim.Config{Fault: "once:drop-after-issue", AssumeStatusCounters: true})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	printer, _ := epson.New(epson.Config{URL: srv.URL, StatusCounters: true})
	ctx := context.Background()

	r := fiscal.Receipt{
		Lines:    []fiscal.Line{{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, Department: 2, VATRate: 1000}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 120}},
	}
	before, _ := printer.LastDocument(ctx) // persist this with the sale before printing
	_, err := printer.PrintReceipt(ctx, r)
	if errors.Is(err, fiscal.ErrOutcomeUnknown) {
		ref, printed, err := fiscal.Reconcile(ctx, printer, r.Total(), before)
		fmt.Println(ref.ID(), printed, err)
	}
	fmt.Println(len(sim.Journal()), "document")
	// Output:
	// 0001-0001 true <nil>
	// 1 document
}

// Example_cannotTell is the same lost answer on a printer that answers only the documented
// status fields: the outcome stays unknown, and a person checks the paper or the printer's
// journal ("stampa incerta"); the till does not print again.
func Example_cannotTell() {
	sim, _ := rtsim.New(rtsim.Config{Fault: "once:drop-after-issue"})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	printer, _ := epson.New(epson.Config{URL: srv.URL})
	ctx := context.Background()

	r := fiscal.Receipt{
		Lines:    []fiscal.Line{{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, Department: 2, VATRate: 1000}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 120}},
	}
	_, err := fiscal.PrintOnce(ctx, printer, r)
	fmt.Println(errors.Is(err, fiscal.ErrOutcomeUnknown), errors.Is(err, fiscal.ErrCannotTell))
	fmt.Println(len(sim.Journal()), "document")
	// Output:
	// true true
	// 1 document
}
