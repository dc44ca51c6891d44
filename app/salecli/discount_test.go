package salecli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"till/app/checkout"
	"till/fiscal/fatturapa/schematest"
)

// discountArgs is the worked example of fiscal/epson and app/checkout: 10 % off the panino, 7 %
// off the weighed ham, 10 % off the whole sale; 9,94 gross, 8,41 to pay.
var discountArgs = []string{"--line", "Panino;1;5,00;2;10%", "--line", "Caffè;3;1,20;1",
	"--line", "Prosciutto cotto;0,335;3,99;3;7%", "--discount", "10%"}

// TestDiscountedSaleIsChargedPrintedAndReportedToTheCent: the voucher asks for the discounted
// total, the printer books it with the till's VAT per rate, and the JSON shows every discount.
func TestDiscountedSaleIsChargedPrintedAndReportedToTheCent(t *testing.T) {
	w := newWorld(t, "")
	code, _, out := w.run("", append([]string{"--config", w.config, "--pay", "coverflex"}, discountArgs...)...)
	got := result(t, out)
	if code != 0 || got.State != "documented" || got.TotalCents != 841 || got.SubtotalCents != 935 ||
		got.DiscountPercent != 1000 || got.DiscountCents != 94 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	want := []lineJSON{
		{DiscountPercent: 1000, DiscountCents: 50, SaleDiscountCents: 45, AmountCents: 405},
		{DiscountCents: 0, SaleDiscountCents: 36, AmountCents: 324},
		{DiscountPercent: 700, DiscountCents: 9, SaleDiscountCents: 13, AmountCents: 112},
	}
	for i, l := range got.Lines {
		if l.DiscountPercent != want[i].DiscountPercent || l.DiscountCents != want[i].DiscountCents ||
			l.SaleDiscountCents != want[i].SaleDiscountCents || l.AmountCents != want[i].AmountCents {
			t.Errorf("line %d: %+v, want %+v", i+1, l, want[i])
		}
	}
	if got.Payments[0].AmountCents != 841 || w.sim.ChargedTotal() != 841 {
		t.Errorf("charged %d (terminal %s), want 8,41", got.Payments[0].AmountCents, w.sim.ChargedTotal())
	}
	j := w.printer.Journal()
	if len(j) != 1 || j[0].Amount != 841 {
		t.Fatalf("printed %+v", j)
	}
	db := w.open()
	defer db.Close()
	s, err := db.LoadSale(context.Background(), got.SaleID)
	if err != nil {
		t.Fatal(err)
	}
	var printed, till []string
	for _, v := range j[0].VAT {
		printed = append(printed, fmt.Sprint(v.Rate, v.Gross, v.Tax))
	}
	for _, v := range checkout.VATBreakdown(s) {
		till = append(till, fmt.Sprint(v.Rate, v.Gross, v.Tax))
	}
	if fmt.Sprint(printed) != fmt.Sprint(till) {
		t.Errorf("VAT per rate: printer %v, till %v", printed, till)
	}
}

// TestDiscountsTheTillRefusesChargeAndPrintNothing: a discount over 50 % without
// --confirm-discount, or one out of range, stops the sale with exit 2 and an Italian
// explanation before anything is recorded, charged or printed.
func TestDiscountsTheTillRefusesChargeAndPrintNothing(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a line discount over half", []string{"--line", "Torta;1;20,00;2;60%"}, "--confirm-discount"},
		{"a sale amount over half", []string{"--line", "Torta;1;20,00;2", "--discount", "10,01"}, "--confirm-discount"},
		{"line and sale together leaving nothing", []string{"--line", "Torta;1;20,00;2;10,00", "--discount", "10,00", "--confirm-discount"}, "Sconto non valido"},
		{"a hundred percent", []string{"--line", "Torta;1;20,00;2", "--discount", "100%", "--confirm-discount"}, "Sconto non valido"},
		{"not a discount", []string{"--line", "Torta;1;20,00;2;dieci"}, "Sconto non valido"},
		{"a zero discount", []string{"--line", "Torta;1;20,00;2", "--discount", "0%"}, "Sconto non valido"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "")
			code, _, out := w.run("", append([]string{"--config", w.config, "--pay", "coverflex"}, tt.args...)...)
			if code != 2 || !strings.Contains(out, tt.want) || w.sim.Requests() != 0 || len(w.printer.Journal()) != 0 {
				t.Fatalf("exit %d, terminal requests %d, printed %d\n%s", code, w.sim.Requests(), len(w.printer.Journal()), out)
			}
			if strings.Contains(out, `"sale_id"`) {
				t.Fatalf("a sale was recorded:\n%s", out)
			}
			db := w.open()
			defer db.Close()
			if n, err := db.PendingCount(context.Background()); err != nil || n != 0 {
				t.Fatalf("%d pending sales, %v", n, err)
			}
		})
	}
	w := newWorld(t, "")
	code, _, out := w.run("", "--line", "Torta;1;20,00;2;60%", "--confirm-discount", "--pay", "cash")
	if got := result(t, out); code != 0 || got.TotalCents != 800 || got.Lines[0].DiscountCents != 1200 || w.receipts(800) != 1 {
		t.Fatalf("confirmed: exit %d\n%s", code, out)
	}
}

// TestDiscountedInvoiceIsValid: `till sale --document invoice` with discounts writes a valid
// FatturaPA with one ScontoMaggiorazione per discounted line.
func TestDiscountedInvoiceIsValid(t *testing.T) {
	w := newWorld(t, "")
	args := append([]string{"--pay", "cash", "--document", "invoice", "--customer-vat", "12345678903", "--customer-name", "Studio Bianchi",
		"--customer-address", "Corso Italia 10, 00184, Roma, RM", "--customer-sdi", "ABC1234"}, discountArgs...)
	code, _, out := w.run("", args...)
	if got := result(t, out); code != 0 || got.TotalCents != 841 || got.Document == nil || got.Document.Kind != "invoice" {
		t.Fatalf("exit %d\n%s", code, out)
	}
	db := w.open()
	defer db.Close()
	files, err := db.Invoices(context.Background(), 0)
	if err != nil || len(files) != 1 {
		t.Fatalf("%v: %d invoices", err, len(files))
	}
	schematest.Validate(t, files[0].XML)
	x := string(files[0].XML)
	if strings.Count(x, "<ScontoMaggiorazione>") != 3 || !strings.Contains(x, "<ImportoTotaleDocumento>8.41</ImportoTotaleDocumento>") {
		t.Errorf("invoice:\n%s", x)
	}
}
