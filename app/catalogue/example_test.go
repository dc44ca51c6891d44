package catalogue_test

import (
	"fmt"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
)

// Search as the cashier types: prefixes of the name's words, accents and case ignored; the
// code or a barcode, whole.
func ExampleIndex_Search() {
	x := catalogue.NewIndex([]checkout.Product{
		{Code: "CAF01", Name: "Caffè"},
		{Code: "CAF04", Name: "Caffè d'orzo"},
		{Code: "BEV04", Name: "Cola 33cl", Barcodes: []string{"8004047966697"}},
	})
	for _, q := range []string{"caffe", "orzo", "CAF01", "8004047966697", "c 33"} {
		var names []string
		for _, i := range x.Search(q, "", nil) {
			names = append(names, x.At(i).Name)
		}
		fmt.Printf("%s: %s\n", q, strings.Join(names, ", "))
	}
	// Output:
	// caffe: Caffè, Caffè d'orzo
	// orzo: Caffè d'orzo
	// CAF01: Caffè
	// 8004047966697: Cola 33cl
	// c 33: Cola 33cl
}

// Parse refuses a file with any bad row, and says what is wrong with every one.
func ExampleParse() {
	file := "code;barcode;name;price;department;category\n" +
		"CAF01;;Caffè;1,20;1;Caffetteria\n" +
		"CAF02;8001505005708;Cappuccino;0;1;Caffetteria\n"
	_, err := catalogue.Parse(strings.NewReader(file), []checkout.Department{{Number: 1, Name: "Bar", VATRate: 2200}})
	if inv, ok := err.(*catalogue.Invalid); ok {
		for _, p := range inv.Problems {
			fmt.Println(p.Message(false))
		}
	}
	// Output:
	// riga 3, prezzo: «0» deve essere maggiore di zero e al massimo 99.999,99
	// riga 3, codice a barre: «8001505005708» non è un EAN-13, EAN-8 o UPC-A valido: cifre mancanti o cifra di controllo errata
}
