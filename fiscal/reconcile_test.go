package fiscal_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

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

func TestReconcileDecidesFromLastDocument(t *testing.T) {
	before := fiscal.DocumentRef{ZNumber: 3, Number: 7, Amount: 500}
	tests := []struct {
		name    string
		now     fiscal.DocumentRef
		printed bool
		err     error
	}{
		{"nothing new", before, false, nil},
		{"new document with the amount", fiscal.DocumentRef{ZNumber: 3, Number: 8, Amount: 1470}, true, nil},
		{"a Z report and nothing since", fiscal.DocumentRef{ZNumber: 4}, false, nil},
		{"first document after a Z", fiscal.DocumentRef{ZNumber: 4, Number: 1, Amount: 1470}, true, nil},
		{"someone else's document", fiscal.DocumentRef{ZNumber: 3, Number: 8, Amount: 99}, false, fiscal.ErrOutcomeUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, printed, err := fiscal.Reconcile(context.Background(), lastDoc(tt.now), money.Cents(1470), before)
			if printed != tt.printed || !errors.Is(err, tt.err) || (printed && ref != tt.now) {
				t.Errorf("got %v %v %v", ref, printed, err)
			}
		})
	}
}

// Example shows how the till prints a receipt so it can recover after a crash: it persists the
// printer's last document before sending, and reconciles with it when the outcome is unknown.
func Example() {
	sim, _ := rtsim.New(rtsim.Config{Fault: "once:drop-after-issue"})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	printer, _ := epson.New(epson.Config{URL: srv.URL})
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
