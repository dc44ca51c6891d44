package epson

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"till/fiscal"
	"till/fiscal/rtsim"
	"till/money"
)

// discounted is a sale of three rates as the till sends it: 10 % off the panino (0,50), 7 % off
// the weighed ham (0,09), then 10 % off the 9,35 left (0,94) shared out over the lines as 0,45 +
// 0,36 + 0,13, one adjustment per line. Gross 5,00 + 3,60 + 1,34 = 9,94; discounts 0,95 + 0,36 +
// 0,22 = 1,53; total 8,41: 22 % 3,24, 10 % 4,05, 4 % 1,12.
var discounted = []fiscal.Line{
	{Description: "PANINO", QtyMilli: 1000, UnitPrice: 500, Department: 2, VATRate: 1000, Discount: 95, DiscountText: "SCONTO"},
	{Description: "CAFFE", QtyMilli: 3000, UnitPrice: 120, Department: 1, VATRate: 2200, Discount: 36, DiscountText: "SCONTO SU TOTALE 10%"},
	{Description: "PROSCIUTTO COTTO", QtyMilli: 335, UnitPrice: 399, Department: 3, VATRate: 400, Discount: 22, DiscountText: "SCONTO"},
}

// TestDiscountsArePrintedAsTheTillBooksThem: each discounted line is one item and one
// adjustment in its department, and the simulator, which applies adjustments as an RT does,
// books the till's total and the till's gross per VAT rate, on the receipt and in the day.
func TestDiscountsArePrintedAsTheTillBooksThem(t *testing.T) {
	sim, d := startSimWith(t, rtsim.Config{}, Config{Serial: "99MEY000042"})
	ctx := context.Background()
	r := fiscal.Receipt{Lines: discounted, Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 1000}}}
	if r.Total() != 841 {
		t.Fatalf("the till's total is %s", r.Total())
	}
	ref, err := d.PrintReceipt(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Amount != r.Total() || !ref.AmountReported {
		t.Errorf("printer total %s, the till's %s", ref.Amount, r.Total())
	}
	e := sim.Journal()[0]
	for i, it := range e.Items {
		if it.Discount != discounted[i].Discount || it.Amount != discounted[i].Amount() {
			t.Errorf("item %d: printer %s off, %s; till %s off, %s", i+1, it.Discount, it.Amount, discounted[i].Discount, discounted[i].Amount())
		}
	}
	want := []rtsim.VATTotal{{Rate: 2200, Gross: 324, Tax: 58}, {Rate: 1000, Gross: 405, Tax: 37}, {Rate: 400, Gross: 112, Tax: 4}}
	if fmt.Sprint(e.VAT) != fmt.Sprint(want) {
		t.Errorf("printer's VAT %+v\nwant %+v", e.VAT, want)
	}
	for _, v := range want {
		var lines money.Cents
		for _, l := range discounted {
			if l.VATRate == v.Rate {
				lines += l.Amount()
			}
		}
		if got := sim.Totals().ByVAT[v.Key()]; got != lines || got != v.Gross {
			t.Errorf("day at %s: printer %s, the till's lines %s", v.Rate, got, lines)
		}
	}
	if _, err := d.Void(ctx, ref); err != nil {
		t.Fatal(err)
	}
	for k, v := range sim.Totals().ByVAT {
		if v != 0 {
			t.Errorf("after the void the day holds %s at %s", v, k)
		}
	}
}

func TestDiscountTextOnPaper(t *testing.T) {
	long := strings.Repeat("SCONTO FEDELTÀ ", 4)
	tests := []struct{ text, want string }{
		{"", DefaultDiscountText},
		{"   ", DefaultDiscountText},
		{"SCONTO 12,5%", "SCONTO 12,5%"},
		{long, Truncate(long, MaxItemText)},
		{"SCONTO\n10%", "SCONTO10%"},
	}
	for _, tt := range tests {
		l := fiscal.Line{Description: "X", QtyMilli: 1000, UnitPrice: 100, Department: 1, Discount: 10, DiscountText: tt.text}
		cmds, err := itemCommands(1, []fiscal.Line{l}, DepartmentMap{})
		if err != nil {
			t.Fatal(err)
		}
		adj, ok := cmds[1].(printRecItemAdjustment)
		if !ok || adj.Description != tt.want || adj.Amount != "0,10" || adj.AdjustmentType != 0 || adj.Department != 1 {
			t.Errorf("%q printed as %+v, want %q", tt.text, cmds[1], tt.want)
		}
		if n := len([]rune(adj.Description)); n > MaxItemText {
			t.Errorf("%q: %d characters", tt.text, n)
		}
	}
}

func TestDiscountOverTheLineIsRefusedBeforeSending(t *testing.T) {
	for _, disc := range []money.Cents{-1, 121} {
		l := fiscal.Line{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, Department: 1, Discount: disc}
		_, err := BuildReceipt(fiscal.Receipt{Lines: []fiscal.Line{l}, Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 200}}}, DepartmentMap{}, nil)
		var fe *fiscal.Error
		if !errors.As(err, &fe) || fe.Code != CodeBadAmount || !errors.Is(err, fiscal.ErrRefused) {
			t.Errorf("discount %s: err = %v, want %s", disc, err, CodeBadAmount)
		}
	}
}
