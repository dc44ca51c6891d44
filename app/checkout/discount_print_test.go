package checkout_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal/fatturapa/schematest"
	"till/fiscal/rtsim"
	"till/money"
	"till/storage"
)

// discountedSale is three rates with a line percentage, a weighed line with its own 7 %, and
// 10 % off the whole sale: 9,94 gross, 8,41 to pay (the worked example of fiscal/epson).
func (r *rig) discountedSale() *checkout.Sale {
	bar, cucina, alim := r.deps[0], r.deps[1], r.deps[2]
	return &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now(), Lines: []checkout.Line{
		{Description: "Panino", QtyMilli: 1000, UnitPrice: 500, Department: cucina, Discount: checkout.Discount{Percent: 1000}},
		{Description: "Caffè", QtyMilli: 3000, UnitPrice: 120, Department: bar},
		{Description: "Prosciutto cotto", QtyMilli: 335, UnitPrice: 399, Department: alim, Discount: checkout.Discount{Percent: 700}},
	}, Discount: checkout.Discount{Percent: 1000}}
}

// sameVAT compares the printer's VAT per rate with the till's.
func sameVAT(t *testing.T, what string, printed []rtsim.VATTotal, s *checkout.Sale) {
	t.Helper()
	var got, want []string
	for _, v := range printed {
		got = append(got, fmt.Sprintf("%s %s %s", v.Rate, v.Gross, v.Tax))
	}
	for _, v := range checkout.VATBreakdown(s) {
		want = append(want, fmt.Sprintf("%s %s %s", v.Rate, v.Gross, v.Tax))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: the printer's VAT %q, the till's %q", what, got, want)
	}
}

// TestDiscountedSaleIsPrintedAndRecordedToTheCent: through the Epson driver and the RT
// simulator, the receipt's total and its VAT per rate are the till's, every line carries one
// adjustment of its own discount and its share of the sale's, and the day's totals per
// department add up the nets.
func TestDiscountedSaleIsPrintedAndRecordedToTheCent(t *testing.T) {
	r := newRig(t)
	sim := r.epson(t, nil)
	ctx := context.Background()
	s := r.discountedSale()
	if s.Total() != 841 {
		t.Fatalf("the sale totals %s", s.Total())
	}
	done, err := r.co.Complete(ctx, s, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if done.Total != 841 || done.Change != 159 || done.Warning != nil {
		t.Errorf("completed %+v", done)
	}
	e := sim.Journal()[0]
	if e.Amount != s.Total() {
		t.Errorf("printed %s, the sale %s", e.Amount, s.Total())
	}
	nets := s.NetAmounts()
	for i, it := range e.Items {
		if it.Amount != nets[i] || it.Discount != s.Lines[i].Gross()-nets[i] {
			t.Errorf("item %d: printed %s off, %s; the till's net %s", i+1, it.Discount, it.Amount, nets[i])
		}
	}
	sameVAT(t, "receipt", e.VAT, s)

	day, err := r.db.Totals(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var byDept money.Cents
	for _, d := range day.ByDepartment {
		byDept += d.Total
	}
	if day.Total != 841 || byDept != 841 {
		t.Errorf("day total %s, by department %s; want 8,41 (the nets)", day.Total, byDept)
	}
	back, err := r.db.LoadSale(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if back.Total() != s.Total() || back.Discount != s.Discount || back.Lines[2].Discount != s.Lines[2].Discount {
		t.Errorf("read back %+v", back)
	}
}

// TestDiscountedInvoiceAndItsCourtesyCopy: the invoice of a discounted sale is valid FPR12
// whose DatiRiepilogo are the till's VAT per rate, and its paper copy on the RT books the same.
func TestDiscountedInvoiceAndItsCourtesyCopy(t *testing.T) {
	r := newRig(t)
	sim := r.epson(t, nil)
	r.co.CourtesyInvoice = true
	ctx := context.Background()
	cu, err := r.db.SaveCustomer(ctx, checkout.Customer{Company: "Studio Bianchi S.n.c.", VATNumber: "12345678903",
		Address: "Corso Italia 10", CAP: "00184", City: "Roma", Province: "RM", RecipientCode: "ABC1234"})
	if err != nil {
		t.Fatal(err)
	}
	s := r.discountedSale()
	done, err := r.co.CompleteInvoice(ctx, s, 841, cu, checkout.DemoSeller())
	if err != nil || done.Warning != nil {
		t.Fatalf("%v; warning %v", err, done.Warning)
	}
	files, err := r.db.Invoices(ctx, 0)
	if err != nil || len(files) != 1 {
		t.Fatalf("%v: %d invoices", err, len(files))
	}
	schematest.Validate(t, files[0].XML)
	x := regexp.MustCompile(`>\s+<`).ReplaceAllString(string(files[0].XML), "><")
	for _, v := range checkout.VATBreakdown(s) {
		want := fmt.Sprintf("<AliquotaIVA>%s</AliquotaIVA><ImponibileImporto>%s</ImponibileImporto><Imposta>%s</Imposta>",
			v.Rate.Dot(), v.Net().Dot(), v.Tax.Dot())
		if !strings.Contains(x, want) {
			t.Errorf("no DatiRiepilogo %s %s %s in\n%s", v.Rate, v.Net(), v.Tax, x)
		}
	}
	if n := strings.Count(x, "<ScontoMaggiorazione>"); n != 3 {
		t.Errorf("%d ScontoMaggiorazione, want one per discounted line", n)
	}
	var copyEntry *rtsim.Entry
	for _, e := range sim.Journal() {
		if e.Kind == rtsim.KindInvoice {
			copyEntry = &e
		}
	}
	if copyEntry == nil || copyEntry.Amount != s.Total() {
		t.Fatalf("courtesy copy %+v", copyEntry)
	}
	sameVAT(t, "courtesy invoice", copyEntry.VAT, s)
}
