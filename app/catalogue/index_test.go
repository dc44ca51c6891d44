package catalogue

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"till/app/checkout"
)

var bar = []checkout.Product{
	{Code: "CAF01", Name: "Caffè", CategoryID: "caffetteria"},                                       // 0
	{Code: "CAF04", Name: "Caffè d'orzo", CategoryID: "caffetteria"},                                // 1
	{Code: "CAF09", Name: "Tè caldo", CategoryID: "caffetteria"},                                    // 2
	{Code: "BEV01", Name: "Acqua 50cl", CategoryID: "bevande", Barcodes: []string{"8001505005707"}}, // 3
	{Code: "BEV04", Name: "Cola 33cl", CategoryID: "bevande", Barcodes: []string{"96385074", "4006381333931"}},
	{Code: "CUC02", Name: "Panino prosciutto e mozzarella", CategoryID: "cucina"}, // 5
	{Code: "ORZO", Name: "Orzata", CategoryID: "bevande"},                         // 6
	{Code: "x-1", Name: "CRÊPE ALLA NUTELLA®", CategoryID: ""},                    // 7
}

func TestSearch(t *testing.T) {
	x := NewIndex(bar)
	tests := []struct {
		query, category string
		want            []int
	}{
		{"", "", []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"   ", "", []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"", "bevande", []int{3, 4, 6}},
		{"", "nessuna", nil},
		{"caffe", "", []int{0, 1}},            // accents ignored
		{"CAFFÈ", "", []int{0, 1}},            // case ignored
		{"c", "", []int{0, 1, 2, 4, 7}},       // caffè, caffè, caldo, cola, crêpe
		{"orzo", "", []int{1, 6}},             // a word after an apostrophe, and the code ORZO
		{"orz", "", []int{1, 6}},              // and a prefix of Orzata
		{"caf orz", "", []int{1}},             // every word must match
		{"orz caf", "", []int{1}},             // in any order
		{"d'o", "", []int{1}},                 // punctuation splits the query too
		{"affe", "", nil},                     // inside a word is not a prefix
		{"caffe latte", "", nil},              // one word matches nothing
		{"te", "", []int{2}},                  // Tè
		{"50", "", []int{3}},                  // 50cl
		{"33cl", "bevande", []int{4}},         //
		{"mozz pros", "", []int{5}},           //
		{"crepe nutella", "", []int{7}},       // Ê and ® are handled
		{"caf04", "", []int{1}},               // the code, case ignored
		{" CAF04 ", "", []int{1}},             //
		{"caf0", "", nil},                     // a code matches whole only
		{"orzo", "bevande", []int{6}},         // the code ORZO; the name match is in another category
		{"x-1", "", []int{7}},                 // a code with punctuation
		{"4006381333931", "", []int{4}},       // a second barcode
		{"8001505005707", "", []int{3}},       //
		{"800150500570", "", nil},             // barcodes match whole only
		{"8001505005707", "cucina", nil},      // outside the category
		{"caffe", "caffetteria", []int{0, 1}}, //
		{"'", "", nil},                        // only punctuation: no words
	}
	for _, tt := range tests {
		got := x.Search(tt.query, tt.category, nil)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Search(%q, %q) = %v, want %v", tt.query, tt.category, got, tt.want)
		}
	}
}

func TestSearchAppendsToDst(t *testing.T) {
	x := NewIndex(bar)
	got := x.Search("caffe", "", []int{42})
	if !reflect.DeepEqual(got, []int{42, 0, 1}) {
		t.Fatalf("got %v, want the results after what dst held", got)
	}
}

func TestByBarcodeAndByCode(t *testing.T) {
	x := NewIndex(bar)
	for _, tt := range []struct {
		find   func(string) (int, bool)
		key    string
		want   int
		wantOK bool
	}{
		{x.ByBarcode, "96385074", 4, true},
		{x.ByBarcode, "4006381333931", 4, true},
		{x.ByBarcode, "8001505005707", 3, true},
		{x.ByBarcode, "0000000000000", 0, false},
		{x.ByCode, "bev04", 4, true},
		{x.ByCode, "BEV0", 0, false},
		{x.ByCode, "", 0, false},
	} {
		if got, ok := tt.find(tt.key); got != tt.want || ok != tt.wantOK {
			t.Errorf("%q: %d %v, want %d %v", tt.key, got, ok, tt.want, tt.wantOK)
		}
	}
	// A scanner set to send UPC-A as EAN-13 adds a leading 0, one set the other way drops it.
	upc := NewIndex([]checkout.Product{{Name: "Cola", Barcodes: []string{"036000291452"}}, {Name: "Gomme", Barcodes: []string{"0012345678905"}}})
	for key, want := range map[string]int{"036000291452": 0, "0036000291452": 0, "012345678905": 1, "0012345678905": 1} {
		if got, ok := upc.ByBarcode(key); !ok || got != want {
			t.Errorf("UPC-A %q: %d %v, want %d", key, got, ok, want)
		}
	}
	if _, ok := upc.ByBarcode("36000291452"); ok {
		t.Error("an 11-digit code matched")
	}
	if x.Len() != len(bar) || x.At(6).Name != "Orzata" {
		t.Fatalf("Len %d At(6) %q", x.Len(), x.At(6).Name)
	}
}

// TestSearchAgreesWithScanningEveryName compares the index with the obvious search, a scan
// of every product, over a generated catalogue and queries cut from its own names.
func TestSearchAgreesWithScanningEveryName(t *testing.T) {
	products := genProducts(3000, 7)
	x := NewIndex(products)
	names := make([][]string, len(products))
	for i, p := range products {
		names[i] = words(p.Name, nil)
	}
	r := rand.New(rand.NewPCG(7, 8))
	for n := 0; n < 500; n++ {
		p := products[r.IntN(len(products))]
		var query string
		switch n % 4 {
		case 0: // the first letters of two of its words, in any case
			ws := strings.Fields(p.Name)
			a, b := ws[r.IntN(len(ws))], ws[r.IntN(len(ws))]
			query = strings.ToUpper(a[:min(len(a), 1+r.IntN(4))]) + " " + b[:min(len(b), 1+r.IntN(4))]
		case 1:
			query = strings.ToLower(p.Code)
		case 2:
			query = fmt.Sprint(r.IntN(100))
		default:
			query = p.Name[:1+r.IntN(len(p.Name)-1)]
		}
		category := ""
		if n%3 == 0 {
			category = p.CategoryID
		}
		var want []int
		qw := words(query, nil)
		for i := range products {
			if scanMatches(&products[i], names[i], query, qw) && (category == "" || products[i].CategoryID == category) {
				want = append(want, i)
			}
		}
		if got := x.Search(query, category, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("Search(%q, %q) = %d results, scan finds %d", query, category, len(got), len(want))
		}
	}
}

func scanMatches(p *checkout.Product, nw []string, query string, qw []string) bool {
	q := strings.TrimSpace(query)
	if strings.EqualFold(q, p.Code) || (q != "" && containsString(p.Barcodes, q)) {
		return true
	}
	if len(qw) == 0 {
		return q == ""
	}
	for _, w := range qw {
		found := false
		for _, n := range nw {
			found = found || strings.HasPrefix(n, w)
		}
		if !found {
			return false
		}
	}
	return true
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestWordsSplitsAndFolds(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Caffè d'orzo", []string{"caffe", "d", "orzo"}},
		{"Acqua 1,5L  (6x)", []string{"acqua", "1", "5l", "6x"}},
		{"CRÊPE ÀÉÌÒÙ çñ", []string{"crepe", "aeiou", "cn"}},
		{"Tè—caldo/freddo", []string{"te", "caldo", "freddo"}},
		{"", nil},
		{" ' - ", nil},
	}
	for _, tt := range tests {
		if got := words(tt.in, nil); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
