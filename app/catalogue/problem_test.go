package catalogue

import (
	"errors"
	"strings"
	"testing"
)

func TestProblemMessageInItalianAndEnglish(t *testing.T) {
	tests := []struct {
		p      Problem
		it, en string
	}{
		{Problem{Line: 7, Field: "price", Code: ProblemPrice, Value: "uno"},
			"riga 7, prezzo: «uno» non è un prezzo: scrivere ad esempio 1,80",
			`line 7, price: "uno" is not a price: write e.g. 1,80`},
		{Problem{Line: 4, Field: "code", Code: ProblemDuplicate, Value: "A1", OtherLine: 2},
			"riga 4, codice: «A1» già presente alla riga 2", `line 4, code: "A1" already on line 2`},
		{Problem{Line: 9, Field: "barcode", Code: ProblemDuplicate, Value: "96385074", Holder: "BEV04"},
			"riga 9, codice a barre: «96385074» già usato dal prodotto BEV04",
			`line 9, barcode: "96385074" already used by product BEV04`},
		{Problem{Line: 3, Code: ProblemColumns, Value: "5"},
			"riga 3: 5 colonne invece di 6: controllare separatori e virgolette",
			"line 3: 5 columns instead of 6: check the separators and quotes"},
		{Problem{Line: 1, Code: ProblemHeader},
			"riga 1: intestazione mancante o errata: la prima riga deve essere code;barcode;name;price;department;category",
			"line 1: missing or wrong header: the first line must be code;barcode;name;price;department;category"},
		{Problem{Field: "vat_rate", Code: ProblemVAT, Value: "120%"},
			"aliquota IVA: aliquota «120%» non valida: tra 0 e 99,99%",
			`VAT rate: VAT rate "120%" is not valid: between 0 and 99.99%`},
		{Problem{Code: ProblemEmpty}, "il file non contiene prodotti", "the file holds no products"},
		{Problem{Field: "products[2].code", Code: ProblemMissing},
			"products[2].code: obbligatorio", "products[2].code: required"},
	}
	for _, tt := range tests {
		if got := tt.p.Message(false); got != tt.it {
			t.Errorf("Italian:\n got %s\nwant %s", got, tt.it)
		}
		if got := tt.p.Message(true); got != tt.en {
			t.Errorf("English:\n got %s\nwant %s", got, tt.en)
		}
	}
}

// TestEveryProblemCodeHasItsText: a code added without its words would show a person
// "«x» non valido".
func TestEveryProblemCodeHasItsText(t *testing.T) {
	for _, code := range []string{ProblemHeader, ProblemColumns, ProblemUTF8, ProblemQuotes, ProblemControl, ProblemEmpty,
		ProblemMissing, ProblemPrice, ProblemPriceRange, ProblemDepartment, ProblemBarcode, ProblemCategory, ProblemVAT, ProblemNature} {
		if _, ok := problemTexts[code]; !ok {
			t.Errorf("no text for %q", code)
		}
	}
}

func TestInvalidErrorIsShortAndWrapsErrInvalid(t *testing.T) {
	inv := &Invalid{}
	for i := 0; i < 40; i++ {
		inv.Problems = append(inv.Problems, Problem{Line: i + 2, Field: "name", Code: ProblemMissing})
	}
	msg := inv.Error()
	if !strings.HasPrefix(msg, "invalid catalogue (40 problems); line 2, name: required") || !strings.HasSuffix(msg, "and 35 more") {
		t.Fatalf("Error() = %s", msg)
	}
	if !errors.Is(inv, ErrInvalid) {
		t.Fatal("does not wrap ErrInvalid")
	}
}
