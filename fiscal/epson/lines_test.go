package epson

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"till/fiscal"
	"till/fiscal/rtsim"
	"till/money"
)

// TestFractionalQuantitiesPrintTheTillsAmount: the printer multiplies quantity by unit price
// itself, so lines whose exact amounts fall between cents must reach it in a form it cannot
// round differently. The receipt, the courtesy invoice and the refund all come out at the sum of
// the till's own line amounts.
func TestFractionalQuantitiesPrintTheTillsAmount(t *testing.T) {
	sim, d := startSimWith(t, rtsim.Config{}, Config{Serial: "99MEY000042"})
	ctx := context.Background()
	var want money.Cents
	for _, l := range deli {
		want += l.Amount()
	}
	if want != 1158 {
		t.Fatalf("the till's total is %s", want)
	}
	cash := []fiscal.Payment{{Method: fiscal.Cash, Amount: want}}

	ref, err := d.PrintReceipt(ctx, fiscal.Receipt{Lines: deli, Payments: cash})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Amount != want || !ref.AmountReported {
		t.Errorf("receipt fiscalReceiptAmount %s (stated %v), the till's lines sum to %s", ref.Amount, ref.AmountReported, want)
	}
	for i, it := range sim.Journal()[0].Items {
		if it.Amount != deli[i].Amount() {
			t.Errorf("line %d: printer %s, till %s", i+1, it.Amount, deli[i].Amount())
		}
	}

	inv := courtesy
	inv.Lines, inv.Payments = deli, cash
	iref, err := d.PrintCourtesyInvoice(ctx, inv)
	if err != nil || iref.Amount != want {
		t.Errorf("invoice %s, %v; want %s", iref.Amount, err, want)
	}

	back := deli[:2]
	rref, err := d.Refund(ctx, ref, back, []fiscal.Payment{{Method: fiscal.Cash, Amount: back[0].Amount() + back[1].Amount()}})
	if err != nil || rref.Amount != 268 {
		t.Errorf("refund %s, %v; want 2,68", rref.Amount, err)
	}
	if tot := sim.Totals(); tot.Total != 2*want-268 {
		t.Errorf("day total %s, want %s", tot.Total, 2*want-268)
	}
}

// FuzzPrinterBooksTheTillsAmount: for any price and quantity the driver accepts, the simulator,
// which multiplies as an RT does, answers a fiscalReceiptAmount equal to the till's total.
func FuzzPrinterBooksTheTillsAmount(f *testing.F) {
	f.Add(int64(399), int64(335), int64(0))
	f.Add(int64(267), int64(500), int64(10))
	f.Add(int64(500), int64(1), int64(0))
	f.Add(int64(9_999_999), int64(3), int64(0))
	sim, err := rtsim.New(rtsim.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, price, qty, discount int64) {
		l := fiscal.Line{Description: "ARTICOLO A PESO", QtyMilli: qty, UnitPrice: money.Cents(price), Department: 1,
			Discount: money.Cents(discount)}
		r := fiscal.Receipt{Lines: []fiscal.Line{l}, Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: max(l.Amount(), 1)}}}
		body, err := BuildReceipt(r, DepartmentMap{}, nil)
		if err != nil {
			return // refused before sending
		}
		if l.UnitPrice.Mul(l.QtyMilli) <= 0 || int64(l.UnitPrice)*l.QtyMilli < 1000 {
			t.Fatalf("sent a line under one cent: %+v", l)
		}
		w := httptest.NewRecorder()
		sim.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/cgi-bin/fpmate.cgi", strings.NewReader(string(body))))
		resp, err := ParseResponse(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if resp.Err() != nil {
			if l.Amount() > money.MaxAmount || l.Amount() == 0 {
				return // over the printer's limit, or a line discounted to nothing: the printer's call
			}
			t.Fatalf("printer refused %+v: %v", l, resp.Err())
		}
		if got := resp.document("").Amount; got != r.Total() {
			t.Fatalf("printer booked %s, till %s for %+v", got, r.Total(), l)
		}
	})
}

func TestLinesArePrintedAtTheTillsAmount(t *testing.T) {
	tests := []struct {
		name       string
		line       fiscal.Line
		desc       string
		qty, price string
	}{
		{"whole pieces", fiscal.Line{Description: "CAFFE", QtyMilli: 2000, UnitPrice: 120}, "CAFFE", "2", "1,20"},
		{"weight on whole cents", fiscal.Line{Description: "PANE", QtyMilli: 500, UnitPrice: 380}, "PANE", "0,5", "3,80"},
		{"weight on a fraction of a cent", fiscal.Line{Description: "PROSCIUTTO COTTO", QtyMilli: 335, UnitPrice: 399}, "PROSCIUTTO COTTO 0,335x3,99", "1", "1,34"},
		{"exactly half a cent rounds up", fiscal.Line{Description: "MORTADELLA", QtyMilli: 500, UnitPrice: 267}, "MORTADELLA 0,5x2,67", "1", "1,34"},
		{"below half a cent rounds down", fiscal.Line{Description: "OLIVE", QtyMilli: 333, UnitPrice: 100}, "OLIVE 0,333x1,00", "1", "0,33"},
		{"one cent exactly", fiscal.Line{Description: "BUSTA", QtyMilli: 1, UnitPrice: 1000}, "BUSTA", "0,001", "10,00"},
		{"long description is shortened", fiscal.Line{Description: "PARMIGIANO REGGIANO DOP 36 MESI STAGIONATO", QtyMilli: 250, UnitPrice: 2990},
			"PARMIGIANO REGGIANO DOP 36 0,25x29,90", "1", "7,48"},
		{"thousands in the unit price", fiscal.Line{Description: "TARTUFO BIANCO D'ALBA EXTRA", QtyMilli: 123, UnitPrice: 456789},
			"TARTUFO BIANCO D'ALBA E 0,123x4.567,89", "1", "561,85"},
		{"blank description", fiscal.Line{Description: "  ", QtyMilli: 335, UnitPrice: 399}, "0,335x3,99", "1", "1,34"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := onPaper(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if p.description != tt.desc || money.Qty(p.qtyMilli) != tt.qty || p.unitPrice.Decimal() != tt.price {
				t.Errorf("printed as %q %s x %s, want %q %s x %s", p.description, money.Qty(p.qtyMilli), p.unitPrice.Decimal(), tt.desc, tt.qty, tt.price)
			}
			if n := len([]rune(p.description)); n > MaxItemText {
				t.Errorf("description has %d characters", n)
			}
			if got := p.unitPrice.Mul(p.qtyMilli); got != tt.line.Amount() {
				t.Errorf("printer books %s, the till %s", got, tt.line.Amount())
			}
		})
	}
}

func TestRefundRefusesALineBelowOneCent(t *testing.T) {
	lines := []fiscal.Line{{Description: "X", QtyMilli: 1, UnitPrice: 500, Department: 1}}
	_, err := BuildRefund(original, lines, []fiscal.Payment{{Method: fiscal.Cash, Amount: 1}}, DepartmentMap{}, nil)
	var fe *fiscal.Error
	if !errors.As(err, &fe) || fe.Code != CodeBadAmount {
		t.Fatalf("err = %v, want %s", err, CodeBadAmount)
	}
}
