package catalogue

import (
	"errors"
	"reflect"
	"testing"

	"till/app/checkout"
)

func TestCheckDepartment(t *testing.T) {
	tests := []struct {
		d    checkout.Department
		want []string // fields with a problem
	}{
		{checkout.Department{Number: 1, Name: "Bar", VATRate: 2200}, nil},
		{checkout.Department{Number: 4, Name: "Bollo", Nature: "N1"}, nil},
		{checkout.Department{Number: 5, Name: "Esente", Nature: "N2.2"}, nil},
		{checkout.Department{Number: 0, Name: "Bar", VATRate: 2200}, []string{"number"}},
		{checkout.Department{Number: 1, Name: " ", VATRate: 2200}, []string{"name"}},
		{checkout.Department{Number: 1, Name: "Bar", VATRate: 10000}, []string{"vat_rate"}},
		{checkout.Department{Number: 1, Name: "Bar", VATRate: -1}, []string{"vat_rate"}},
		{checkout.Department{Number: 1, Name: "Bar"}, []string{"nature"}},                              // rate 0 needs a nature
		{checkout.Department{Number: 1, Name: "Bar", VATRate: 2200, Nature: "N1"}, []string{"nature"}}, // a rate has none
		{checkout.Department{Number: 1, Name: "Bar", Nature: "N8"}, []string{"nature"}},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range CheckDepartment(tt.d) {
			got = append(got, p.Field)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v: problems with %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestSnapshotCheck(t *testing.T) {
	good := Snapshot{
		Departments: []checkout.Department{{ID: "pd1", Number: 1, Name: "Bar", VATRate: 2200}},
		Categories:  []checkout.Category{{ID: "pc1", Name: "Bevande"}},
		Products: []checkout.Product{
			{Code: "A", Name: "Acqua", Price: 150, DepartmentID: "pd1", CategoryID: "pc1", Barcodes: []string{"96385074"}},
			{Code: "B", Name: "Birra", Price: 500, DepartmentID: "pd1"},
		},
	}
	if err := good.Check(); err != nil {
		t.Fatalf("a good snapshot: %v", err)
	}
	bad := Snapshot{
		Departments: []checkout.Department{{ID: "pd1", Number: 1, Name: "Bar", VATRate: 2200}, {ID: "pd2", Number: 1, Name: "Bis", VATRate: 1000}},
		Categories:  []checkout.Category{{ID: "pc1", Name: "Bevande"}, {ID: "pc2", Name: "bevande "}},
		Products: []checkout.Product{
			{Code: "A", Name: "Acqua", Price: 150, DepartmentID: "pd1", Barcodes: []string{"96385074"}},
			{Code: "a", Name: "Altra", Price: 0, DepartmentID: "pdX", CategoryID: "pcX", Barcodes: []string{"96385074", "123"}},
		},
	}
	err := bad.Check()
	var inv *Invalid
	if !errors.As(err, &inv) {
		t.Fatalf("err = %v, want *Invalid", err)
	}
	var got []string
	for _, p := range inv.Problems {
		got = append(got, p.Field+" "+p.Code)
	}
	want := []string{
		"departments[1].number duplicate",
		"categories[1].name duplicate",
		"products[1].price price_range",
		"products[1].barcode barcode",
		"products[1].code duplicate",
		"products[1].barcode duplicate",
		"products[1].department department",
		"products[1].category category",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("problems:\n%q\nwant\n%q", got, want)
	}
}
