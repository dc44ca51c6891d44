package epson_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"till/fiscal"
	"till/fiscal/epson"
	"till/fiscal/rtsim"
	"till/money"
)

func ExampleDriver_PrintReceipt() {
	sim, _ := rtsim.New(rtsim.Config{})
	srv := httptest.NewServer(sim)
	defer srv.Close()

	// Per install: 10% goods are in printer department 2; vouchers are printed as ticket type 3/1.
	d, _ := epson.New(epson.Config{
		URL:         srv.URL,
		Departments: epson.DepartmentMap{ByRate: map[money.Rate]int{2200: 1, 1000: 2}},
		Payments:    epson.PaymentMap{fiscal.Coverflex: {Type: 3, Index: 1, Description: "BUONI PASTO"}},
	})
	ref, err := d.PrintReceipt(context.Background(), fiscal.Receipt{
		Lines:    []fiscal.Line{{Description: "MENU PRANZO", QtyMilli: 1000, UnitPrice: 1200, VATRate: 1000}},
		Payments: []fiscal.Payment{{Method: fiscal.Coverflex, Amount: 800}, {Method: fiscal.Card, Amount: 400}},
	})
	fmt.Println(ref.ID(), ref.Amount, err)

	_, err = d.PrintReceipt(context.Background(), fiscal.Receipt{
		Lines:       []fiscal.Line{{Description: "CAFFE", QtyMilli: 1000, UnitPrice: 120, VATRate: 1000}},
		Payments:    []fiscal.Payment{{Method: fiscal.Cash, Amount: 120}},
		LotteryCode: "ABCD1234",
	})
	fmt.Println(errors.Is(err, fiscal.ErrRefused), epson.Message(err, "it"))
	// Output:
	// 0001-0001 12,00 € <nil>
	// true Il codice lotteria richiede un pagamento elettronico: toglierlo o pagare con carta.
}
