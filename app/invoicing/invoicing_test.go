package invoicing_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/app/invoicing"
	"till/fiscal"
	"till/fiscal/fatturapa"
	"till/fiscal/fatturapa/schematest"
	"till/fiscal/taxid"
)

var (
	bar     = checkout.Department{ID: "d1", Number: 1, Name: "Bar", VATRate: 2200}
	kitchen = checkout.Department{ID: "d2", Number: 2, Name: "Cucina", VATRate: 1000}
	exempt  = checkout.Department{ID: "d4", Number: 4, Name: "Escluso art. 15", Nature: "N1"}
)

// testSale totals 3 × 1,20 + 12,50 + 2,00 = 18,10 €.
func testSale() *checkout.Sale {
	return &checkout.Sale{ID: "0193-sale", Lines: []checkout.Line{
		{Description: "Caffè", QtyMilli: 3000, UnitPrice: 120, Department: bar},
		{Description: "Pranzo", QtyMilli: 1000, UnitPrice: 1250, Department: kitchen},
		{Description: "Marca da bollo € 2", QtyMilli: 1000, UnitPrice: 200, Department: exempt},
	}}
}

func TestXMLBuildsAValidFPR12(t *testing.T) {
	date := time.Date(2026, 11, 27, 10, 30, 0, 0, time.Local)
	pecCompany := company()
	pecCompany.RecipientCode, pecCompany.PEC = "", "studio@pec.it"
	tests := []struct {
		name     string
		customer checkout.Customer
		payments []checkout.Payment
		want     []string // fragments the XML must hold
		wantNot  []string
	}{
		{"company paid in cash", company(),
			[]checkout.Payment{{Method: fiscal.Cash, Amount: 1810, Tendered: 2000, Change: 190}},
			[]string{"<CodiceDestinatario>ABC1234</CodiceDestinatario>", "<Denominazione>Studio Bianchi S.n.c.</Denominazione>",
				"<IdCodice>12345678903</IdCodice>", "<ModalitaPagamento>MP01</ModalitaPagamento>", "<ImportoPagamento>18.10</ImportoPagamento>",
				"<Numero>3/2026</Numero>", "<Data>2026-11-27</Data>", "<ImportoTotaleDocumento>18.10</ImportoTotaleDocumento>",
				"<TipoDocumento>TD01</TipoDocumento>", "<Natura>N1</Natura>", "<AliquotaIVA>22.00</AliquotaIVA>",
				"<Denominazione>Bar Demo S.r.l.</Denominazione>", "<IdCodice>02468135799</IdCodice>", "<RegimeFiscale>RF01</RegimeFiscale>"},
			[]string{"PECDestinatario"}},
		{"person paid by card and Coverflex", person(),
			[]checkout.Payment{{Method: fiscal.Card, Amount: 1010}, {Method: fiscal.Coverflex, Amount: 800}},
			[]string{"<CodiceDestinatario>0000000</CodiceDestinatario>", "<Nome>Mario</Nome>", "<Cognome>Rossi</Cognome>",
				"<CodiceFiscale>RSSMRA80A01H501U</CodiceFiscale>", "<ModalitaPagamento>MP08</ModalitaPagamento>",
				"<ImportoPagamento>10.10</ImportoPagamento>"},
			[]string{"<ImportoPagamento>8.00</ImportoPagamento>", "MP01"}},
		{"company reached by PEC, paid only with Coverflex", pecCompany,
			[]checkout.Payment{{Method: fiscal.Coverflex, Amount: 1810}},
			[]string{"<CodiceDestinatario>0000000</CodiceDestinatario>", "<PECDestinatario>studio@pec.it</PECDestinatario>"},
			[]string{"DatiPagamento"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xml, err := invoicing.XML(testSale(), tt.payments, tt.customer, checkout.DemoSeller(), 3, 2026, date)
			if err != nil {
				t.Fatal(err)
			}
			schematest.Validate(t, xml)
			for _, w := range tt.want {
				if !strings.Contains(string(xml), w) {
					t.Errorf("XML lacks %s", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(string(xml), w) {
					t.Errorf("XML holds %s", w)
				}
			}
		})
	}
}

var update = flag.Bool("update", false, "rewrite the golden invoices in testdata")

// TestDiscountedSaleInvoice: a sale with line discounts and one on the whole sale becomes an
// invoice whose lines carry one ScontoMaggiorazione each, whose DatiRiepilogo are the till's VAT
// per rate (checkout.VATBreakdown) and whose total is what the customer paid.
func TestDiscountedSaleInvoice(t *testing.T) {
	s := testSale()                                        // 3,60 + 12,50 + 2,00
	s.Lines[0].Discount = checkout.Discount{Amount: 60}    // 3,00 left
	s.Lines[1].Discount = checkout.Discount{Percent: 1000} // 11,25 left
	s.Discount = checkout.Discount{Percent: 500}           // 5 % of 14,25 (not the stamp duty) = 0,7125 → 0,71
	if err := checkout.CheckDiscounts(s, true); err != nil || s.Total() != 1554 {
		t.Fatalf("%v: total %s", err, s.Total())
	}
	date := time.Date(2026, 11, 27, 10, 30, 0, 0, time.Local)
	xml, err := invoicing.XML(s, []checkout.Payment{{Method: fiscal.Cash, Amount: 1554}}, company(), checkout.DemoSeller(), 4, 2026, date)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, xml)
	path := filepath.Join("testdata", "discounted-sale.xml")
	if *update {
		if err := os.WriteFile(path, xml, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestDiscountedSaleInvoice -update)", err)
	}
	if !bytes.Equal(xml, want) {
		t.Errorf("invoice differs from %s:\n%s", path, xml)
	}
	flat := regexp.MustCompile(`>\s+<`).ReplaceAllString(string(xml), "><")
	for _, v := range checkout.VATBreakdown(s) {
		summary := fmt.Sprintf("<ImponibileImporto>%s</ImponibileImporto><Imposta>%s</Imposta>", v.Net().Dot(), v.Tax.Dot())
		if !strings.Contains(flat, summary) {
			t.Errorf("no DatiRiepilogo for %s%s: %s", v.Rate, v.Nature, summary)
		}
	}
	if n := strings.Count(flat, "<ScontoMaggiorazione><Tipo>SC</Tipo>"); n != 2 {
		t.Errorf("%d discounts on the lines, want 2 (their own and a share of the sale's; none on the stamp duty)", n)
	}
	if !strings.Contains(flat, "<ImportoTotaleDocumento>15.54</ImportoTotaleDocumento>") {
		t.Errorf("total: %s", flat)
	}
}

func TestXMLRefusesBadInput(t *testing.T) {
	date := time.Date(2026, 1, 2, 9, 0, 0, 0, time.Local)
	cash := []checkout.Payment{{Method: fiscal.Cash, Amount: 1810}}
	badVAT := company()
	badVAT.VATNumber = "12345678901"
	badSeller := checkout.DemoSeller()
	badSeller.VATNumber = "02468135790"
	tests := []struct {
		name   string
		run    func() error
		target func(error) bool
	}{
		{"customer with a wrong P.IVA check digit", func() error {
			_, err := invoicing.XML(testSale(), cash, badVAT, checkout.DemoSeller(), 1, 2026, date)
			return err
		}, func(err error) bool {
			var ce *checkout.CustomerError
			return errors.As(err, &ce) && ce.Field == checkout.FieldVATNumber && ce.Reason == checkout.ReasonChecksum
		}},
		{"date outside the numbering year", func() error {
			_, err := invoicing.XML(testSale(), cash, company(), checkout.DemoSeller(), 1, 2025, date)
			return err
		}, func(err error) bool { return errors.Is(err, fatturapa.ErrInvalid) }},
		{"seller with a wrong P.IVA", func() error {
			_, err := invoicing.XML(testSale(), cash, company(), badSeller, 1, 2026, date)
			return err
		}, func(err error) bool {
			var fe *fatturapa.FieldError
			return errors.As(err, &fe) && fe.Field == "seller.vatNumber"
		}},
		{"empty sale", func() error {
			_, err := invoicing.XML(&checkout.Sale{ID: "x"}, nil, company(), checkout.DemoSeller(), 1, 2026, date)
			return err
		}, func(err error) bool { return errors.Is(err, fatturapa.ErrInvalid) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); err == nil || !tt.target(err) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestDemoSellerHasAValidPartitaIVA(t *testing.T) {
	if s := checkout.DemoSeller(); !taxid.PartitaIVA(s.VATNumber) {
		t.Fatalf("demo P.IVA %s has a wrong check digit", s.VATNumber)
	}
}

// company is a valid business customer; tests change one field at a time.
func company() checkout.Customer {
	return checkout.Customer{Company: "Studio Bianchi S.n.c.", VATNumber: "12345678903", Address: "Corso Italia 10",
		CAP: "00184", City: "Roma", Province: "RM", RecipientCode: "ABC1234"}
}

func person() checkout.Customer {
	return checkout.Customer{Name: "Mario", Surname: "Rossi", TaxCode: "RSSMRA80A01H501U", Address: "Via Verdi 3",
		CAP: "10121", City: "Torino", Province: "TO"}
}
