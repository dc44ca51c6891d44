package fatturapa_test

import (
	"fmt"
	"time"

	"till/fiscal"
	"till/fiscal/fatturapa"
)

func ExampleBuild() {
	res, err := fatturapa.Build(fatturapa.Document{
		Type:   fatturapa.Invoice,
		Number: fatturapa.FormatNumber(1, 2026),
		Date:   time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		Seller: fatturapa.Party{VATNumber: "01234567897", Company: "Bar Centrale S.r.l.",
			Address: fatturapa.Address{Street: "Via Roma 1", CAP: "20121", City: "Milano", Province: "MI"}},
		Customer: fatturapa.Party{VATNumber: "12345678903", Company: "Studio Bianchi",
			Address: fatturapa.Address{Street: "Corso Italia 10", CAP: "00184", City: "Roma", Province: "RM"}},
		RecipientCode: "ABC1234",
		Lines: []fiscal.Line{{Description: "Pranzo di lavoro", QtyMilli: 2000, UnitPrice: 1470, VATRate: 1000},
			{Description: "Vino", QtyMilli: 1000, UnitPrice: 1800, VATRate: 2200}},
		Payments: []fiscal.Payment{{Method: fiscal.Card, Amount: 4740}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("total", res.Total.Dot())
	for _, s := range res.Summary {
		fmt.Println(s.Rate.Dot(), s.Taxable.Dot(), s.Tax.Dot())
	}
	// Output:
	// total 47.40
	// 10.00 26.73 2.67
	// 22.00 14.75 3.25
}
