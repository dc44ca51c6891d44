package cataloguedoc_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"till/app/catalogue"
	"till/app/tillsync/cataloguedoc"
)

// good is a document every rule accepts.
func good() *cataloguedoc.Document {
	return &cataloguedoc.Document{Format: 1, Version: 3,
		Departments: []cataloguedoc.Department{{Number: 1, Name: "Bar", VATRate: 2200}, {Number: 4, Name: "Bollo", Nature: "N1"}},
		Categories:  []cataloguedoc.Category{{Name: "Caffetteria", Position: 0}, {Name: "Varie", Position: 1}},
		Products: []cataloguedoc.Product{
			{Code: "CF01", Barcodes: []string{"8000000000019"}, Name: "Caffè", PriceCents: 120, Department: 1, Category: "Caffetteria"},
			{Code: "MB02", Name: "Marca da bollo", PriceCents: 200, Department: 4},
		}}
}

func TestCheckRefusesTheWholeDocumentNamingTheField(t *testing.T) {
	if err := good().Check(); err != nil {
		t.Fatalf("the good document: %v", err)
	}
	for _, c := range []struct {
		name  string
		edit  func(*cataloguedoc.Document)
		field string
	}{
		{"format 2", func(d *cataloguedoc.Document) { d.Format = 2 }, "format"},
		{"version 0", func(d *cataloguedoc.Document) { d.Version = 0 }, "version"},
		{"no department", func(d *cataloguedoc.Document) { d.Departments = nil; d.Products = nil }, "departments"},
		{"product in an unknown department", func(d *cataloguedoc.Document) { d.Products[1].Department = 9 }, "products[1].department"},
		{"product without a department", func(d *cataloguedoc.Document) { d.Products[1].Department = 0 }, "products[1].department"},
		{"product in an unknown category", func(d *cataloguedoc.Document) { d.Products[1].Category = "Dolci" }, "products[1].category"},
		{"bad check digit", func(d *cataloguedoc.Document) { d.Products[0].Barcodes = []string{"8000000000018"} }, "products[0].barcode"},
		{"code twice, other case", func(d *cataloguedoc.Document) { d.Products[1].Code = "cf01" }, "products[1].code"},
		{"barcode twice", func(d *cataloguedoc.Document) { d.Products[1].Barcodes = []string{"8000000000019"} }, "products[1].barcode"},
		{"negative price", func(d *cataloguedoc.Document) { d.Products[0].PriceCents = -1 }, "products[0].price"},
		{"price over the maximum", func(d *cataloguedoc.Document) { d.Products[0].PriceCents = 10_000_000 }, "products[0].price"},
		{"no name", func(d *cataloguedoc.Document) { d.Products[0].Name = "" }, "products[0].name"},
		{"department number twice", func(d *cataloguedoc.Document) { d.Departments[1].Number = 1 }, "departments[1].number"},
		{"nature with a rate", func(d *cataloguedoc.Document) { d.Departments[0].Nature = "N2" }, "departments[0].nature"},
		{"rate 0 without nature", func(d *cataloguedoc.Document) { d.Departments[1].Nature = "" }, "departments[1].nature"},
		{"category twice", func(d *cataloguedoc.Document) { d.Categories[1].Name = "CAFFETTERIA" }, "categories[1].name"},
	} {
		d := good()
		c.edit(d)
		err := d.Check()
		if !errors.Is(err, cataloguedoc.ErrInvalid) || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: %v, want a refusal naming %s", c.name, err, c.field)
		}
	}
	// Every problem is listed, not only the first.
	d := good()
	d.Products[0].PriceCents, d.Products[1].Department = -1, 9
	var invalid *catalogue.Invalid
	if err := d.Check(); !errors.As(err, &invalid) || len(invalid.Problems) != 2 {
		t.Fatalf("two problems: %v", err)
	}
}

func TestSnapshotRefersByTheDocumentsNumbersAndNames(t *testing.T) {
	s := good().Snapshot()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if p := s.Products[0]; p.DepartmentID != s.Departments[0].ID || p.CategoryID != s.Categories[0].ID || !p.Active || p.Price != 120 {
		t.Fatalf("product %+v, departments %+v, categories %+v", p, s.Departments, s.Categories)
	}
	if p := s.Products[1]; p.DepartmentID != s.Departments[1].ID || p.CategoryID != "" || s.Departments[1].Nature != "N1" {
		t.Fatalf("product %+v", p)
	}
}

func TestParseIgnoresUnknownFields(t *testing.T) {
	data, _ := json.Marshal(good())
	data = []byte(strings.Replace(string(data), `"format":1`, `"format":1,"printer":{"model":"FP-81"}`, 1))
	d, err := cataloguedoc.Parse(data)
	if err != nil || !reflect.DeepEqual(d, good()) {
		t.Fatalf("%+v, %v", d, err)
	}
}

func TestETagNamesTheSalesPoint(t *testing.T) {
	if a, b := cataloguedoc.ETag("sp-1", 7), cataloguedoc.ETag("sp-2", 7); a == b || a != `"7.sp-1"` {
		t.Fatalf("%s %s", a, b)
	}
}

func ExampleParse() {
	doc, err := cataloguedoc.Parse([]byte(`{"format": 1, "version": 12,
		"departments": [{"number": 1, "name": "Bar", "vat_rate": 2200}],
		"categories": [{"name": "Caffetteria", "position": 0}],
		"products": [{"code": "CF01", "barcodes": ["8000000000019"], "name": "Caffè", "price_cents": 120,
			"department": 1, "category": "Caffetteria"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := doc.Snapshot()
	fmt.Println(doc.Version, s.Products[0].Code, s.Products[0].Price, s.Departments[0].VATRate)
	// Output: 12 CF01 1,20 € 22%
}

// FuzzParse: any bytes either give a document every rule accepts, whose snapshot the till's
// storage would accept too and which reads back the same, or an error wrapping ErrInvalid.
func FuzzParse(f *testing.F) {
	data, _ := json.Marshal(good())
	f.Add(data)
	f.Add([]byte(`{"format":1,"version":1,"departments":[{"number":1,"name":"x","vat_rate":0,"nature":"N1"}],"products":[]}`))
	f.Add([]byte(`{"format":1,"version":1,"departments":[],"products":[{"code":"a"}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := cataloguedoc.Parse(data)
		if err != nil {
			if !errors.Is(err, cataloguedoc.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if err := d.Snapshot().Check(); err != nil {
			t.Fatalf("accepted, but its snapshot is refused: %v", err)
		}
		// Compared as JSON: an empty list and no list ("barcodes": []) say the same.
		again, _ := json.Marshal(d)
		d2, err := cataloguedoc.Parse(again)
		third, _ := json.Marshal(d2)
		if err != nil || string(third) != string(again) {
			t.Fatalf("does not read back: %v\n%s\n%s", err, again, third)
		}
	})
}
