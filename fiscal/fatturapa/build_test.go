package fatturapa

import (
	"bytes"
	"errors"
	"flag"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/fiscal"
	"till/fiscal/fatturapa/schematest"
	"till/money"
)

var update = flag.Bool("update", false, "rewrite the golden invoices in testdata")

var shop = Party{VATNumber: "01234567897", Company: "Bar Centrale S.r.l.",
	Address: Address{Street: "Via Roma 1", CAP: "20121", City: "Milano", Province: "MI"}}

var company = Party{VATNumber: "12345678903", Company: "Studio Bianchi & C. S.n.c.",
	Address: Address{Street: "Corso Italia", Number: "10", CAP: "00184", City: "Roma", Province: "RM"}}

var person = Party{TaxCode: "RSSMRA80A01H501U", Name: "Mario", Surname: "Rossi",
	Address: Address{Street: "Via Verdi 3", CAP: "10121", City: "Torino", Province: "TO"}}

func doc(typ string, customer Party, code string, lines []fiscal.Line, pays []fiscal.Payment) Document {
	return Document{Type: typ, Number: FormatNumber(7, 2026), Date: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		Seller: shop, Customer: customer, RecipientCode: code, Lines: lines, Payments: pays}
}

func line(desc string, qty int64, price money.Cents, rate money.Rate, nature string) fiscal.Line {
	return fiscal.Line{Description: desc, QtyMilli: qty, UnitPrice: price, VATRate: rate, Nature: nature}
}

func TestInvoicesValidateAgainstSchema(t *testing.T) {
	cash := func(c money.Cents) []fiscal.Payment { return []fiscal.Payment{{Method: fiscal.Cash, Amount: c}} }
	tests := []struct {
		name    string
		d       Document
		total   money.Cents
		summary []Summary
	}{
		{"B2B with P.IVA", doc(Invoice, company, "ABC1234", []fiscal.Line{line("Caffè espresso", 3000, 120, 1000, "")}, cash(360)),
			360, []Summary{{1000, "", 327, 33}}},
		{"private customer with codice fiscale", doc(Invoice, person, "", []fiscal.Line{line("Torta 1 kg", 1000, 2500, 1000, "")},
			[]fiscal.Payment{{Method: fiscal.Coverflex, Amount: 800}, {Method: fiscal.Card, Amount: 1700}}),
			2500, []Summary{{1000, "", 2273, 227}}},
		{"zero rate with nature N1", doc(Invoice, company, "ABC1234", []fiscal.Line{line("Rimborso spese", 1000, 500, 0, "N1")}, cash(500)),
			500, []Summary{{0, "N1", 500, 0}}},
		{"mixed rates with rounding", doc(Invoice, company, "0000000", []fiscal.Line{
			line("Vino", 1000, 899, 2200, ""), line("Grappa", 1000, 1, 2200, ""), line("Pane", 333, 380, 400, ""),
			line("Pizza", 3000, 333, 1000, ""), {Description: "Dolce", QtyMilli: 1000, UnitPrice: 550, VATRate: 1000, Discount: 55}},
			cash(2521)),
			2521, []Summary{{2200, "", 738, 162}, {400, "", 122, 5}, {1000, "", 1358, 136}}},
		{"private customer by PEC", func() Document {
			d := doc(Invoice, person, "", []fiscal.Line{line("Catering", 1000, 12000, 1000, "")}, cash(12000))
			d.PEC = "mario.rossi@pec.it"
			return d
		}(), 12000, []Summary{{1000, "", 10909, 1091}}},
		{"credit note", func() Document {
			d := doc(CreditNote, person, "", []fiscal.Line{line("Reso bottiglia", 2000, 1250, 2200, "")}, cash(2500))
			d.Linked = []Linked{{Number: "5/2026", Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}}
			return d
		}(),
			2500, []Summary{{2200, "", 2049, 451}}},
		// The till's lines of a sale with 10 % off the panino, 7 % off the ham and 10 % off the
		// whole sale, shared out (app/checkout): 9,94 gross, 1,53 of discounts, 8,41 to pay.
		{"discounted sale", doc(Invoice, company, "ABC1234", []fiscal.Line{
			{Description: "Panino", QtyMilli: 1000, UnitPrice: 500, VATRate: 1000, Discount: 95},
			{Description: "Caffè", QtyMilli: 3000, UnitPrice: 120, VATRate: 2200, Discount: 36},
			{Description: "Prosciutto cotto", QtyMilli: 335, UnitPrice: 399, VATRate: 400, Discount: 22},
			{Description: "Cauzione", QtyMilli: 2000, UnitPrice: 50, Nature: "N1", Discount: 10}},
			cash(931)),
			931, []Summary{{1000, "", 368, 37}, {2200, "", 266, 58}, {400, "", 108, 4}, {0, "N1", 90, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Build(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			schematest.Validate(t, res.XML)
			golden(t, strings.ReplaceAll(tt.name, " ", "-"), res.XML)
			if res.Total != tt.total {
				t.Errorf("total %s, want %s", res.Total, tt.total)
			}
			if len(res.Summary) != len(tt.summary) {
				t.Fatalf("summary %+v", res.Summary)
			}
			var sum money.Cents
			for i, s := range res.Summary {
				if s != tt.summary[i] {
					t.Errorf("summary %d = %+v, want %+v", i, s, tt.summary[i])
				}
				sum += s.Taxable + s.Tax
			}
			if sum != tt.total {
				t.Errorf("taxable + tax = %s, total %s", sum, tt.total)
			}
			checkLineTotals(t, string(res.XML), res.Summary)
			checkLinePrices(t, string(res.XML))
		})
	}
}

// checkLinePrices asserts SdI's rule for every line (error 00423): PrezzoTotale =
// (PrezzoUnitario − the discounts per unit) × Quantita, here to a tenth of a cent where SdI
// allows a cent; and that a discount is never negative or over the unit price.
func checkLinePrices(t *testing.T, x string) {
	t.Helper()
	rat := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("not a number: %q", s)
		}
		return r
	}
	for i, blk := range strings.Split(x, "<DettaglioLinee>")[1:] {
		unit := rat(between(blk, "PrezzoUnitario"))
		for _, sc := range strings.Split(blk, "<ScontoMaggiorazione>")[1:] {
			off := rat(between(sc, "Importo"))
			if between(sc, "Tipo") != "SC" || off.Sign() <= 0 || off.Cmp(unit) > 0 {
				t.Errorf("line %d: discount %s on %s", i+1, off.FloatString(8), unit.FloatString(8))
			}
			unit.Sub(unit, off)
		}
		got := new(big.Rat).Mul(unit, rat(between(blk, "Quantita")))
		diff := new(big.Rat).Sub(got, rat(between(blk, "PrezzoTotale")))
		if diff.Abs(diff).Cmp(big.NewRat(1, 1000)) > 0 {
			t.Errorf("line %d: (PrezzoUnitario − sconti) × Quantita = %s, PrezzoTotale %s", i+1, got.FloatString(8), between(blk, "PrezzoTotale"))
		}
	}
}

// TestRandomDiscountedInvoicesAddUp: whatever the lines and their discounts, the invoice is
// valid, Σ PrezzoTotale per rate is ImponibileImporto, taxable + tax is the lines' total, and
// every line passes SdI's price check.
func TestRandomDiscountedInvoicesAddUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 2026))
	rates := []money.Rate{2200, 1000, 500, 400, 0}
	for n := range 40 {
		var lines []fiscal.Line
		var total money.Cents
		for range 1 + rng.IntN(6) {
			l := fiscal.Line{Description: "Articolo", QtyMilli: 1000 * (1 + rng.Int64N(9)), UnitPrice: money.Cents(1 + rng.Int64N(5000)),
				VATRate: rates[rng.IntN(len(rates))]}
			if rng.IntN(3) == 0 {
				l.QtyMilli = 1 + rng.Int64N(2000)
			}
			if l.VATRate == 0 {
				l.Nature = "N2.2"
			}
			if g := l.Gross(); g > 0 && rng.IntN(3) > 0 {
				l.Discount = money.Cents(rng.Int64N(int64(g) + 1)) // up to the whole line
			}
			lines = append(lines, l)
			total += l.Amount()
		}
		res, err := Build(doc(Invoice, company, "ABC1234", lines, nil))
		if err != nil {
			t.Fatalf("invoice %d: %v", n, err)
		}
		schematest.Validate(t, res.XML)
		var sum money.Cents
		for _, s := range res.Summary {
			sum += s.Taxable + s.Tax
		}
		if res.Total != total || sum != total {
			t.Fatalf("invoice %d: total %s, summaries %s, lines %s", n, res.Total, sum, total)
		}
		checkLineTotals(t, string(res.XML), res.Summary)
		checkLinePrices(t, string(res.XML))
	}
}

// checkLineTotals asserts Σ PrezzoTotale per rate equals ImponibileImporto exactly.
func checkLineTotals(t *testing.T, x string, sums []Summary) {
	t.Helper()
	per := map[string]money.Cents{}
	for _, blk := range strings.Split(x, "<DettaglioLinee>")[1:] {
		tot, rate := between(blk, "PrezzoTotale"), between(blk, "AliquotaIVA")
		c, err := money.Parse(tot)
		if err != nil {
			t.Fatalf("PrezzoTotale %q: %v", tot, err)
		}
		per[rate] += c
	}
	for _, s := range sums {
		if per[s.Rate.Dot()] != s.Taxable {
			t.Errorf("rate %s: lines %s, ImponibileImporto %s", s.Rate, per[s.Rate.Dot()], s.Taxable)
		}
	}
}

func between(s, tag string) string {
	_, after, _ := strings.Cut(s, "<"+tag+">")
	v, _, _ := strings.Cut(after, "</"+tag+">")
	return v
}

func TestMealVoucherShareHasNoPaymentCode(t *testing.T) {
	d := doc(Invoice, person, "", []fiscal.Line{line("Menu", 1000, 1470, 1000, "")},
		[]fiscal.Payment{{Method: fiscal.Coverflex, Amount: 800}, {Method: fiscal.Card, Amount: 670}})
	res, err := Build(d)
	if err != nil {
		t.Fatal(err)
	}
	x := string(res.XML)
	if strings.Count(x, "<DettaglioPagamento>") != 1 || !strings.Contains(x, "<ModalitaPagamento>MP08</ModalitaPagamento>") {
		t.Errorf("payments: %s", x)
	}
	d.Payments = d.Payments[:1]
	res, _ = Build(d)
	if strings.Contains(string(res.XML), "DatiPagamento") {
		t.Error("voucher-only invoice has DatiPagamento")
	}
}

func TestInvalidIdentifiersAreRejectedByField(t *testing.T) {
	ok := []fiscal.Line{line("X", 1000, 100, 2200, "")}
	badVAT := company
	badVAT.VATNumber = "12345678901"
	badCF := person
	badCF.TaxCode = "RSSMRA80A01H501X"
	noName := person
	noName.Surname = ""
	badShop := doc(Invoice, company, "ABC1234", ok, nil)
	badShop.Seller.VATNumber = "0123456789"
	tests := []struct {
		name, field, reason string
		d                   Document
	}{
		{"bad P.IVA check digit", "customer.vatNumber", ReasonChecksum, doc(Invoice, badVAT, "ABC1234", ok, nil)},
		{"bad codice fiscale check", "customer.taxCode", ReasonChecksum, doc(Invoice, badCF, "", ok, nil)},
		{"lowercase recipient code", "recipientCode", ReasonFormat, doc(Invoice, company, "abc1234", ok, nil)},
		{"short recipient code", "recipientCode", ReasonFormat, doc(Invoice, company, "ABC12", ok, nil)},
		{"short seller P.IVA", "seller.vatNumber", ReasonChecksum, badShop},
		{"missing surname", "customer.name", ReasonMissing, doc(Invoice, noName, "", ok, nil)},
		{"zero rate without nature", "lines[0].nature", ReasonValue, doc(Invoice, company, "", []fiscal.Line{line("X", 1000, 100, 0, "")}, nil)},
		{"invented payment", "payments[0].method", ReasonValue, doc(Invoice, company, "", ok, []fiscal.Payment{{Method: "voucher", Amount: 100}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.d)
			var fe *FieldError
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &fe) || fe.Field != tt.field || fe.Reason != tt.reason {
				t.Fatalf("err = %v, want %s %s", err, tt.field, tt.reason)
			}
		})
	}
}

func TestFormatNumber(t *testing.T) {
	if FormatNumber(12, 2026) != "12/2026" {
		t.Error(FormatNumber(12, 2026))
	}
}

// golden compares an invoice with testdata/NAME.xml; -update rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".xml")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestInvoicesValidateAgainstSchema -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("invoice differs from %s:\n%s", path, got)
	}
}
