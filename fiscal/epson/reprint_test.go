package epson

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"till/fiscal"
	"till/fiscal/rtsim"
)

func TestReprintDocumentPrintsACopyOfAnyDocumentOfTheDayOnlyWhenAssumed(t *testing.T) {
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	now := func() time.Time { return day }
	one := fiscal.Receipt{Lines: []fiscal.Line{{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, Department: 2, VATRate: 1000}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 120}}}
	tests := []struct {
		name          string
		simAssumes    bool
		driverAssumes bool
		which         int // 0: the first receipt, 1: the second (last)
		edit          func(*fiscal.DocumentRef)
		want          error // nil: a copy of the chosen receipt is journaled
		sent          bool
	}{
		{"both assume, first document", true, true, 0, nil, nil, true},
		{"both assume, last document", true, true, 1, nil, nil, true},
		{"driver does not assume", true, false, 0, nil, fiscal.ErrNotSupported, false},
		{"printer does not know the command", false, true, 0, nil, fiscal.ErrRefused, true},
		{"another printer's document", true, true, 0, func(r *fiscal.DocumentRef) { r.PrinterSerial = "99MEY000999" }, fiscal.ErrRefused, false},
		{"a document of another day", true, true, 0, func(r *fiscal.DocumentRef) { r.IssuedAt = day.AddDate(0, 0, -1) }, fiscal.ErrRefused, true},
		{"a document without a serial", true, true, 0, func(r *fiscal.DocumentRef) { r.PrinterSerial = "" }, fiscal.ErrRefused, false},
		{"a document without a date", true, true, 0, func(r *fiscal.DocumentRef) { r.IssuedAt = time.Time{} }, fiscal.ErrRefused, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, d := startSimWith(t, rtsim.Config{Now: now, AssumeContentByNumbers: tt.simAssumes},
				Config{ReprintByNumber: tt.driverAssumes, Serial: "99MEY000042"})
			ctx := context.Background()
			var refs []fiscal.DocumentRef
			for range 2 {
				ref, err := d.PrintReceipt(ctx, one)
				if err != nil {
					t.Fatal(err)
				}
				refs = append(refs, ref)
			}
			if d.CanReprintDocuments() != tt.driverAssumes {
				t.Errorf("CanReprintDocuments %v", d.CanReprintDocuments())
			}
			ref := refs[tt.which]
			if tt.edit != nil {
				tt.edit(&ref)
			}
			before := len(sim.Journal())
			err := d.ReprintDocument(ctx, ref)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("ReprintDocument: %v, want %v", err, tt.want)
			}
			j := sim.Journal()
			if tt.want != nil {
				if len(j) != before {
					t.Errorf("journal grew after a refusal: %+v", j[before:])
				}
				return
			}
			if len(j) != before+1 || j[before].Kind != rtsim.KindCopy || j[before].Original != refs[tt.which].ID() {
				t.Errorf("journal %+v, want a copy of %s", j[before:], refs[tt.which].ID())
			}
			if tot := sim.Totals().Total; tot != 240 {
				t.Errorf("day total %d after a copy, want 240", tot)
			}
		})
	}
}

func TestReprintDocumentAfterALostAnswerIsUnknownAndNotResent(t *testing.T) {
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	sim, d := startSimWith(t, rtsim.Config{Now: func() time.Time { return day }, AssumeContentByNumbers: true},
		Config{ReprintByNumber: true, Serial: "99MEY000042"})
	ref, err := d.PrintReceipt(context.Background(), fiscal.Receipt{Lines: []fiscal.Line{{Description: "PANE",
		QtyMilli: 1000, UnitPrice: 300, Department: 3, VATRate: 400}}, Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 300}}})
	if err != nil {
		t.Fatal(err)
	}
	_ = sim.SetFault("once:drop-after-issue")
	if err := d.ReprintDocument(context.Background(), ref); !errors.Is(err, fiscal.ErrOutcomeUnknown) {
		t.Fatalf("ReprintDocument after a dropped answer: %v, want ErrOutcomeUnknown", err)
	}
	copies := 0
	for _, e := range sim.Journal() {
		if e.Kind == rtsim.KindCopy {
			copies++
		}
	}
	if copies != 1 {
		t.Errorf("%d copies journaled, want exactly 1 (printed once, never resent)", copies)
	}
}

// TestReprintDocumentRefusesWhenThisPrintersSerialIsUnknown: a printer that does not volunteer
// its serial, and none configured, cannot be told to hold the document: no reprint is sent.
func TestReprintDocumentRefusesWhenThisPrintersSerialIsUnknown(t *testing.T) {
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	sim, d := startSimWith(t, rtsim.Config{Now: func() time.Time { return day }, AssumeContentByNumbers: true},
		Config{ReprintByNumber: true})
	one := fiscal.Receipt{Lines: []fiscal.Line{{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, Department: 2, VATRate: 1000}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 120}}}
	ref, err := d.PrintReceipt(context.Background(), one)
	if err != nil {
		t.Fatal(err)
	}
	ref.PrinterSerial = "99MEY000042" // recorded from elsewhere; this driver does not know its own
	err = d.ReprintDocument(context.Background(), ref)
	if !errors.Is(err, fiscal.ErrRefused) || !strings.Contains(err.Error(), CodePrinterUnknown) {
		t.Fatalf("ReprintDocument: %v, want %s", err, CodePrinterUnknown)
	}
	if n := len(sim.Journal()); n != 1 {
		t.Errorf("journal has %d entries, want the receipt only", n)
	}
}
