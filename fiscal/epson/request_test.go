package epson

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"till/fiscal"
	"till/fiscal/rtsim"
	"till/money"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var original = fiscal.DocumentRef{ZNumber: 245, Number: 12, Amount: 1470, PrinterSerial: "99MEY123456",
	IssuedAt: time.Date(2025, 6, 3, 13, 5, 0, 0, time.Local)}

// lunch is the spec's example: 14,70 € paid 8,00 € Coverflex + 6,70 € card with a lottery code.
var lunch = fiscal.Receipt{
	Lines: []fiscal.Line{
		{Description: "MENU PRANZO", QtyMilli: 1000, UnitPrice: 1200, Department: 2, VATRate: 1000},
		{Description: "ACQUA 50CL", QtyMilli: 2000, UnitPrice: 150, Department: 2, VATRate: 1000, Discount: 30},
	},
	Payments:    []fiscal.Payment{{Method: fiscal.Coverflex, Amount: 800}, {Method: fiscal.Card, Amount: 670}},
	LotteryCode: "ABCD1234",
}

// deli is a counter sale by weight: two lines whose exact amounts fall between cents (0,335 ×
// 3,99 = 1,33665; 0,5 × 2,67 = 1,335), one with a long description and a discount (0,25 × 29,90
// = 7,475, less 0,48), and one whose amount is whole cents (0,5 × 3,80 = 1,90). Total 11,58.
var deli = []fiscal.Line{
	{Description: "PROSCIUTTO COTTO", QtyMilli: 335, UnitPrice: 399, Department: 2, VATRate: 1000},
	{Description: "MORTADELLA", QtyMilli: 500, UnitPrice: 267, Department: 2, VATRate: 1000},
	{Description: "PARMIGIANO REGGIANO DOP 36 MESI STAGIONATO", QtyMilli: 250, UnitPrice: 2990, Department: 3, VATRate: 400, Discount: 48},
	{Description: "PANE", QtyMilli: 500, UnitPrice: 380, Department: 3, VATRate: 400},
}

func goldenRequests(t *testing.T) map[string][]byte {
	t.Helper()
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one := fiscal.Receipt{Lines: []fiscal.Line{{Description: "CAFFÈ", QtyMilli: 1000, UnitPrice: 120, Department: 1, VATRate: 1000}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 200}}}
	mixed := fiscal.Receipt{Lines: []fiscal.Line{
		{Description: "PANE", QtyMilli: 500, UnitPrice: 380, Department: 3, VATRate: 400},
		{Description: "VINO ROSSO", QtyMilli: 1000, UnitPrice: 890, Department: 1, VATRate: 2200},
		{Description: "PIZZA MARGHERITA", QtyMilli: 2000, UnitPrice: 700, Department: 2, VATRate: 1000}},
		Payments: []fiscal.Payment{{Method: fiscal.Card, Amount: 2480}}, CustomerTaxID: "RSSMRA80A01H501U"}
	discount := fiscal.Receipt{Lines: []fiscal.Line{{Description: "TORTA", QtyMilli: 1000, UnitPrice: 2500, Department: 2, VATRate: 1000, Discount: 250}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 2250}}}
	lottery := fiscal.Receipt{Lines: one.Lines, Payments: []fiscal.Payment{{Method: fiscal.Card, Amount: 120}}, LotteryCode: "XY12ZW34"}
	fractional := fiscal.Receipt{Lines: deli, Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 1200}}}
	return map[string][]byte{
		"one-rate":        must(BuildReceipt(one, DepartmentMap{}, nil)),
		"mixed-rates":     must(BuildReceipt(mixed, DepartmentMap{}, nil)),
		"discount":        must(BuildReceipt(discount, DepartmentMap{}, nil)),
		"discounts":       must(BuildReceipt(fiscal.Receipt{Lines: discounted, Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 841}}}, DepartmentMap{}, nil)),
		"ticket-and-card": must(BuildReceipt(lunch, DepartmentMap{}, nil)),
		"lottery":         must(BuildReceipt(lottery, DepartmentMap{}, nil)),
		"fractional":      must(BuildReceipt(fractional, DepartmentMap{}, nil)),
		"refund-fractional": must(BuildRefund(original, deli[:2], []fiscal.Payment{{Method: fiscal.Cash, Amount: 268}},
			DepartmentMap{}, nil)),
		"void": must(BuildVoid(original)),
		"refund": must(BuildRefund(original, lunch.Lines[:1], []fiscal.Payment{{Method: fiscal.Cash, Amount: 1200}},
			DepartmentMap{}, nil)),
		"z-report":         must(BuildZReport(120000)),
		"courtesy-invoice": must(BuildCourtesyInvoice(courtesy, DepartmentMap{}, nil)),
		"duplicate":        must(BuildDuplicate()),
		"can-void":         must(BuildCanReturn(true, original)),
		"can-refund":       must(BuildCanReturn(false, original)),
		"refund-operator-3": must(BuildRefundAs(3, original, lunch.Lines[:1], []fiscal.Payment{{Method: fiscal.Cash, Amount: 1200}},
			DepartmentMap{}, nil)),
		"reprint-by-number": must(BuildReprint(fiscal.DocumentRef{ZNumber: 245, Number: 12,
			IssuedAt: time.Date(2026, 11, 7, 10, 30, 0, 0, time.Local)})),
	}
}

func TestRequestsMatchGoldenFiles(t *testing.T) {
	for name, got := range goldenRequests(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name+".xml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestRequestsMatchGoldenFiles -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("request differs from %s:\n got %s\nwant %s", path, got, want)
			}
		})
	}
}

// specExample is the spec's printerFiscalReceipt, verbatim.
const specExample = `<printerFiscalReceipt>
  <beginFiscalReceipt operator="1"/>
  <printRecItem operator="1" description="MENU PRANZO" quantity="1" unitPrice="12,00" department="2" justification="1"/>
  <printRecItem operator="1" description="ACQUA 50CL" quantity="2" unitPrice="1,50" department="2" justification="1"/>
  <printRecItemAdjustment operator="1" adjustmentType="0" description="SCONTO" amount="0,30" department="2" justification="1"/>
  <printRecSubtotal operator="1" option="1"/>
  <printRecLotteryID operator="1" code="ABCD1234"/>
  <printRecTotal operator="1" description="COVERFLEX" payment="8,00" paymentType="3" index="1" justification="1"/>
  <printRecTotal operator="1" description="CARTA" payment="6,70" paymentType="2" index="1" justification="1"/>
  <endFiscalReceipt operator="1"/>
</printerFiscalReceipt>`

func TestTicketAndCardReceiptReproducesSpecExample(t *testing.T) {
	got, err := BuildReceipt(lunch, DepartmentMap{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := rtsim.ParseRequest(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := rtsim.ParseRequest([]byte(specExample))
	if err != nil {
		t.Fatal(err)
	}
	if canon(g) != canon(w) {
		t.Errorf("commands differ from the spec:\n got %s\nwant %s", canon(g), canon(w))
	}
	if !strings.HasPrefix(string(got), `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><printerFiscalReceipt>`) {
		t.Errorf("envelope differs from the spec: %s", got)
	}
}

// canon writes commands with attributes in order, so attribute order is compared too.
func canon(r rtsim.Request) string {
	var b strings.Builder
	b.WriteString(r.Root)
	for _, c := range r.Commands {
		b.WriteString("\n" + c.Name)
		for _, a := range c.Attrs {
			b.WriteString(" " + a.Name.Local + "=" + a.Value)
		}
	}
	return b.String()
}

func TestBuildReceiptRefusesBeforeSending(t *testing.T) {
	line := fiscal.Line{Description: "X", QtyMilli: 1000, UnitPrice: 100, Department: 1}
	cash := []fiscal.Payment{{Method: fiscal.Cash, Amount: 100}}
	card := []fiscal.Payment{{Method: fiscal.Card, Amount: 100}}
	tests := []struct {
		name  string
		r     fiscal.Receipt
		depts DepartmentMap
		code  string
	}{
		{"no lines", fiscal.Receipt{Payments: cash}, DepartmentMap{}, CodeEmptyReceipt},
		{"underpaid", fiscal.Receipt{Lines: []fiscal.Line{line}, Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 99}}}, DepartmentMap{}, CodeUnderpaid},
		{"lottery with cash only", fiscal.Receipt{Lines: []fiscal.Line{line}, Payments: cash, LotteryCode: "ABCD1234"}, DepartmentMap{}, CodeLotteryNoCard},
		{"lottery too short", fiscal.Receipt{Lines: []fiscal.Line{line}, Payments: card, LotteryCode: "ABC123"}, DepartmentMap{}, CodeBadLottery},
		{"lottery with symbol", fiscal.Receipt{Lines: []fiscal.Line{line}, Payments: card, LotteryCode: "ABCD-234"}, DepartmentMap{}, CodeBadLottery},
		{"unmapped department", fiscal.Receipt{Lines: []fiscal.Line{line}, Payments: cash}, DepartmentMap{ByDepartment: map[int]int{2: 2}}, CodeUnknownDept},
		{"unknown method", fiscal.Receipt{Lines: []fiscal.Line{line}, Payments: []fiscal.Payment{{Method: "bitcoin", Amount: 100}}}, DepartmentMap{}, CodeUnknownPayment},
		{"half a cent", fiscal.Receipt{Lines: []fiscal.Line{{Description: "X", QtyMilli: 1, UnitPrice: 500, Department: 1}}, Payments: cash}, DepartmentMap{}, CodeBadAmount},
		{"less than half a cent", fiscal.Receipt{Lines: []fiscal.Line{{Description: "X", QtyMilli: 1, UnitPrice: 400, Department: 1}}, Payments: cash}, DepartmentMap{}, CodeBadAmount},
		{"zero price", fiscal.Receipt{Lines: []fiscal.Line{{Description: "X", QtyMilli: 1000, Department: 1}, line}, Payments: cash}, DepartmentMap{}, CodeBadAmount},
		{"no quantity", fiscal.Receipt{Lines: []fiscal.Line{{Description: "X", UnitPrice: 100, Department: 1}}, Payments: cash}, DepartmentMap{}, CodeBadAmount},
		{"discount over the amount", fiscal.Receipt{Lines: []fiscal.Line{{Description: "X", QtyMilli: 1000, UnitPrice: 100, Discount: 101, Department: 1}}, Payments: cash}, DepartmentMap{}, CodeBadAmount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildReceipt(tt.r, tt.depts, nil)
			var fe *fiscal.Error
			if !errors.Is(err, fiscal.ErrRefused) || !errors.As(err, &fe) || fe.Code != tt.code {
				t.Fatalf("err = %v, want refused %s", err, tt.code)
			}
		})
	}
}

func TestMapsOverrideDefaults(t *testing.T) {
	r := fiscal.Receipt{Lines: []fiscal.Line{{Description: "A", QtyMilli: 1000, UnitPrice: 100, Department: 7, VATRate: 2200}},
		Payments: []fiscal.Payment{{Method: fiscal.Coverflex, Amount: 60}, {Method: fiscal.Cash, Amount: 40}}}
	depts := DepartmentMap{ByRate: map[money.Rate]int{2200: 5}}
	pays := PaymentMap{fiscal.Coverflex: {Type: 4, Index: 1, Description: "BUONI PASTO"}}
	body, err := BuildReceipt(r, depts, pays)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`department="5"`, `description="BUONI PASTO" payment="0,60" paymentType="4" index="1"`,
		`description="CONTANTI" payment="0,40" paymentType="0" index="0"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("request lacks %s: %s", want, body)
		}
	}
}

func TestTruncateKeepsRunesWhole(t *testing.T) {
	s := strings.Repeat("È", 40)
	if got := Truncate(s, MaxItemText); got != strings.Repeat("È", 38) {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("A\x00B\nC", 10); got != "ABC" {
		t.Errorf("control characters kept: %q", got)
	}
	if !regexp.MustCompile(`^.{0,38}$`).MatchString(Truncate(strings.Repeat("x", 100), MaxItemText)) {
		t.Error("not truncated")
	}
}

func TestDepartmentMapLookupOrder(t *testing.T) {
	m := DepartmentMap{ByDepartment: map[int]int{9: 7}, ByNature: map[string]int{"N2.2": 4}, ByRate: map[money.Rate]int{2200: 1}}
	tests := []struct {
		line fiscal.Line
		want int
		ok   bool
	}{
		{fiscal.Line{Department: 9, VATRate: 2200}, 7, true},
		{fiscal.Line{Department: 1, VATRate: 0, Nature: "N2.2"}, 4, true},
		{fiscal.Line{Department: 1, VATRate: 2200}, 1, true},
		{fiscal.Line{Department: 1, VATRate: 1000}, 0, false},
		{fiscal.Line{Department: 1, VATRate: 0, Nature: "N1"}, 0, false},
	}
	for _, tt := range tests {
		if got, ok := m.Printer(tt.line); got != tt.want || ok != tt.ok {
			t.Errorf("%+v: %d %v", tt.line, got, ok)
		}
	}
	if got, ok := (DepartmentMap{}).Printer(fiscal.Line{Department: 3}); got != 3 || !ok {
		t.Errorf("empty map: %d %v", got, ok)
	}
}
