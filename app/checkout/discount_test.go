package checkout

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"till/money"
)

func TestDiscountCheck(t *testing.T) {
	tests := []struct {
		name      string
		d         Discount
		base      money.Cents
		confirmed bool
		off       money.Cents
		want      error
	}{
		{"none", Discount{}, 500, false, 0, nil},
		{"10 %", Discount{Percent: 1000}, 500, false, 50, nil},
		{"percentage rounds half up", Discount{Percent: 700}, 134, false, 9, nil}, // 9,38 cents
		{"exactly half up", Discount{Percent: 5000}, 5, false, 3, ErrDiscountNeedsConfirm},
		{"50 % needs no confirmation", Discount{Percent: 5000}, 1000, false, 500, nil},
		{"50,01 % needs one", Discount{Percent: 5001}, 10000, false, 5001, ErrDiscountNeedsConfirm},
		{"confirmed", Discount{Percent: 9000}, 1000, true, 900, nil},
		{"an amount over half needs one", Discount{Amount: 501}, 1000, false, 501, ErrDiscountNeedsConfirm},
		{"an amount leaving a cent", Discount{Amount: 999}, 1000, true, 999, nil},
		{"an amount leaving nothing", Discount{Amount: 1000}, 1000, true, 1000, ErrBadDiscount},
		{"an amount over the base", Discount{Amount: 1500}, 1000, true, 1000, ErrBadDiscount},
		{"a percentage that rounds to nothing", Discount{Percent: 1}, 10, true, 0, ErrBadDiscount},
		{"100 %", Discount{Percent: 10000}, 1000, true, 1000, ErrBadDiscount},
		{"99,99 % of a cent too little to leave one", Discount{Percent: 9999}, 100, true, 100, ErrBadDiscount},
		{"negative", Discount{Amount: -1}, 1000, true, 0, ErrBadDiscount},
		{"both kinds", Discount{Percent: 1000, Amount: 100}, 1000, true, 100, ErrBadDiscount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Of(tt.base); got != tt.off {
				t.Errorf("Of(%s) = %s, want %s", tt.base, got, tt.off)
			}
			if err := tt.d.Check(tt.base, tt.confirmed); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Errorf("Check = %v, want %v", err, tt.want)
			}
		})
	}
}

// discountCase is a sale worked out by hand (and by a rational-arithmetic oracle) to the cent.
type discountCase struct {
	name   string
	sale   Sale
	shares []money.Cents
	nets   []money.Cents
	total  money.Cents
	vat    []VATShare
}

func TestDiscountsToTheCent(t *testing.T) {
	line := func(desc string, qty int64, price money.Cents, d Department, disc Discount) Line {
		return Line{Description: desc, QtyMilli: qty, UnitPrice: price, Department: d, Discount: disc}
	}
	tests := []discountCase{
		{
			// 8,99 + 13,00 + 1,27 (0,333 × 3,80) = 23,26; 10 % is 2,326 → 2,33, shared 0,90 + 1,30 + 0,13.
			name: "three rates with a 10 % sale discount",
			sale: Sale{Lines: []Line{line("Vino", 1000, 899, bar, Discount{}), line("Pizza", 2000, 650, cucina, Discount{}),
				line("Pane", 333, 380, alim, Discount{})}, Discount: Discount{Percent: 1000}},
			shares: []money.Cents{90, 130, 13}, nets: []money.Cents{809, 1170, 114}, total: 2093,
			vat: []VATShare{{Rate: 2200, Gross: 809, Tax: 146}, {Rate: 1000, Gross: 1170, Tax: 106}, {Rate: 400, Gross: 114, Tax: 4}},
		},
		{
			// 1,00 over 3,00 + 3,00 + 3,01: 0,33296 + 0,33296 + 0,33407, the cent left to the largest remainder.
			name: "an amount shared 0,33 + 0,33 + 0,34",
			sale: Sale{Lines: []Line{line("A", 1000, 300, bar, Discount{}), line("B", 1000, 300, cucina, Discount{}),
				line("C", 1000, 301, alim, Discount{})}, Discount: Discount{Amount: 100}},
			shares: []money.Cents{33, 33, 34}, nets: []money.Cents{267, 267, 267}, total: 801,
			vat: []VATShare{{Rate: 2200, Gross: 267, Tax: 48}, {Rate: 1000, Gross: 267, Tax: 24}, {Rate: 400, Gross: 267, Tax: 10}},
		},
		{
			// 0,99 over lines of 0,33 + 0,33 + 0,34 (1,00 would leave nothing: refused, see below).
			name: "an amount over lines of 0,33 + 0,33 + 0,34",
			sale: Sale{Lines: []Line{line("A", 1000, 33, bar, Discount{}), line("B", 1000, 33, bar, Discount{}),
				line("C", 1000, 34, bar, Discount{})}, Discount: Discount{Amount: 99}},
			shares: []money.Cents{33, 33, 33}, nets: []money.Cents{0, 0, 1}, total: 1,
			vat: []VATShare{{Rate: 2200, Gross: 1, Tax: 0}},
		},
		{
			name: "equal remainders: the earlier line takes the cent",
			sale: Sale{Lines: []Line{line("A", 1000, 200, bar, Discount{}), line("B", 1000, 200, bar, Discount{}),
				line("C", 1000, 200, bar, Discount{})}, Discount: Discount{Amount: 100}},
			shares: []money.Cents{34, 33, 33}, nets: []money.Cents{166, 167, 167}, total: 500,
			vat: []VATShare{{Rate: 2200, Gross: 500, Tax: 90}},
		},
		{
			// 0,335 × 3,99 = 1,33665 → 1,34; 7 % of it is 0,0938 → 0,09.
			name:   "0,335 kg with a 7 % line discount",
			sale:   Sale{Lines: []Line{line("Prosciutto cotto", 335, 399, alim, Discount{Percent: 700})}},
			shares: []money.Cents{0}, nets: []money.Cents{125}, total: 125,
			vat: []VATShare{{Rate: 400, Gross: 125, Tax: 5}},
		},
		{
			// Line discounts first (5,00 − 0,50; 3 × 1,20 − 1,00), then 10 % of 7,10 = 0,71 shared 0,45 + 0,26.
			name: "line discounts then a sale discount on what is left",
			sale: Sale{Lines: []Line{line("Panino", 1000, 500, cucina, Discount{Percent: 1000}),
				line("Caffè", 3000, 120, bar, Discount{Amount: 100})}, Discount: Discount{Percent: 1000}},
			shares: []money.Cents{45, 26}, nets: []money.Cents{405, 234}, total: 639,
			vat: []VATShare{{Rate: 2200, Gross: 234, Tax: 42}, {Rate: 1000, Gross: 405, Tax: 37}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &tt.sale
			if err := CheckDiscounts(s, true); err != nil {
				t.Fatal(err)
			}
			if got := s.DiscountShares(); !slices.Equal(got, tt.shares) {
				t.Errorf("shares %v, want %v", got, tt.shares)
			}
			if got := s.NetAmounts(); !slices.Equal(got, tt.nets) {
				t.Errorf("nets %v, want %v", got, tt.nets)
			}
			if s.Total() != tt.total {
				t.Errorf("total %s, want %s", s.Total(), tt.total)
			}
			if got := VATBreakdown(s); fmt.Sprint(got) != fmt.Sprint(tt.vat) {
				t.Errorf("VAT %+v\nwant %+v", got, tt.vat)
			}
			r := ReceiptFor(s, nil)
			if r.Total() != s.Total() {
				t.Errorf("receipt totals %s, the sale %s", r.Total(), s.Total())
			}
			for i, l := range r.Lines {
				if l.Amount() != tt.nets[i] {
					t.Errorf("receipt line %d at %s, net %s", i+1, l.Amount(), tt.nets[i])
				}
			}
		})
	}
	whole := Sale{Lines: []Line{line("A", 1000, 33, bar, Discount{}), line("B", 1000, 33, bar, Discount{}),
		line("C", 1000, 34, bar, Discount{})}, Discount: Discount{Amount: 100}}
	if err := CheckDiscounts(&whole, true); !errors.Is(err, ErrBadDiscount) {
		t.Errorf("1,00 off 1,00: %v, want ErrBadDiscount", err)
	}
}

// TestDiscountPropertiesOnRandomSales: on any sale the till accepts, the shares of the sale's
// discount are never negative, each within a cent of its exact proportion, and add up to the
// sale's discount; the nets add up to the total, and each VAT rate's gross is the sum of its
// lines' nets, as the printed receipt's lines are.
func TestDiscountPropertiesOnRandomSales(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	deps := []Department{bar, cucina, alim, esente}
	randomDiscount := func(base money.Cents) Discount {
		switch rng.IntN(3) {
		case 1:
			return Discount{Percent: money.Rate(1 + rng.IntN(9999))}
		case 2:
			if base > 1 {
				return Discount{Amount: money.Cents(1 + rng.Int64N(int64(base)-1))}
			}
		}
		return Discount{}
	}
	for n := 0; n < 100; {
		s := &Sale{}
		for range 1 + rng.IntN(8) {
			l := Line{Description: "x", Department: deps[rng.IntN(len(deps))], UnitPrice: money.Cents(1 + rng.Int64N(20000))}
			l.QtyMilli = 1000 * (1 + rng.Int64N(5))
			if rng.IntN(3) == 0 {
				l.QtyMilli = 1 + rng.Int64N(3000) // by weight
			}
			l.Discount = randomDiscount(l.Gross())
			s.Lines = append(s.Lines, l)
		}
		s.Discount = randomDiscount(s.DiscountBase())
		if ValidateSale(s) != nil {
			continue // a line under a cent, or a discount leaving nothing: refused, not a sale
		}
		n++
		shares, nets := s.DiscountShares(), s.NetAmounts()
		var sumShares, sumNets money.Cents
		byRate := map[string]money.Cents{}
		sub, off := int64(s.DiscountBase()), int64(s.SaleDiscount())
		for i, l := range s.Lines {
			exact := off * int64(l.Amount()) // × 1/sub
			if !l.Discountable() {
				exact = 0 // N1 lines take no share
			}
			if shares[i] < 0 || nets[i] < 0 || nets[i] > l.Amount() ||
				(sub > 0 && (int64(shares[i])*sub-exact <= -sub || int64(shares[i])*sub-exact >= sub)) || (sub == 0 && shares[i] != 0) {
				t.Fatalf("sale %d line %d: amount %s share %s net %s, %d off %d", n, i, l.Amount(), shares[i], nets[i], off, sub)
			}
			sumShares += shares[i]
			sumNets += nets[i]
			byRate[fmt.Sprint(l.Department.VATRate, l.Department.Nature)] += nets[i]
		}
		if sumShares != s.SaleDiscount() || sumNets != s.Total() {
			t.Fatalf("sale %d: shares %s of %s, nets %s of %s", n, sumShares, s.SaleDiscount(), sumNets, s.Total())
		}
		var vatGross money.Cents
		for _, v := range VATBreakdown(s) {
			nature := v.Nature
			if got := byRate[fmt.Sprint(v.Rate, nature)]; got != v.Gross {
				t.Fatalf("sale %d rate %s%s: VAT gross %s, lines %s", n, v.Rate, nature, v.Gross, got)
			}
			vatGross += v.Gross
		}
		if r := ReceiptFor(s, nil); vatGross != s.Total() || r.Total() != s.Total() {
			t.Fatalf("sale %d: VAT gross %s, receipt %s, total %s", n, vatGross, r.Total(), s.Total())
		}
	}
}

func TestReceiptNamesEachDiscount(t *testing.T) {
	s := &Sale{Lines: []Line{
		{Description: "Panino", QtyMilli: 1000, UnitPrice: 500, Department: cucina, Discount: Discount{Percent: 1000}},
		{Description: "Caffè", QtyMilli: 1000, UnitPrice: 120, Department: bar, Discount: Discount{Amount: 20}},
		{Description: "Acqua", QtyMilli: 1000, UnitPrice: 100, Department: bar},
	}}
	texts := func() []string {
		var out []string
		for _, l := range ReceiptFor(s, nil).Lines {
			out = append(out, fmt.Sprintf("%s %s", l.DiscountText, l.Discount))
		}
		return out
	}
	if got, want := texts(), []string{"SCONTO 10% 0,50 €", "SCONTO 0,20 €", " 0,00 €"}; !slices.Equal(got, want) {
		t.Errorf("line discounts only: %q, want %q", got, want)
	}
	// 12,5 % of 6,50 = 0,8125 → 0,81: 0,56 + 0,13 + 0,12 (equal remainders: the earlier line).
	s.Discount = Discount{Percent: 1250}
	if got, want := texts(), []string{"SCONTO 1,06 €", "SCONTO 0,33 €", "SCONTO SU TOTALE 12,5% 0,12 €"}; !slices.Equal(got, want) {
		t.Errorf("with a sale percentage: %q, want %q", got, want)
	}
	s.Discount = Discount{Amount: 100}
	if got := texts(); got[2] != "SCONTO SU TOTALE 0,15 €" {
		t.Errorf("with a sale amount: %q", got)
	}
}

func TestValidateSaleRefusesDiscountsOutOfRange(t *testing.T) {
	ok := func() *Sale {
		return &Sale{Lines: []Line{{Description: "x", QtyMilli: 1000, UnitPrice: 500, Department: bar}}}
	}
	tests := []struct {
		name string
		edit func(s *Sale)
		want error
	}{
		{"over the threshold is the caller's to confirm", func(s *Sale) { s.Discount = Discount{Percent: 9000} }, nil},
		{"a line discount of the whole line", func(s *Sale) { s.Lines[0].Discount = Discount{Amount: 500} }, ErrBadDiscount},
		{"a sale discount of 100 %", func(s *Sale) { s.Discount = Discount{Percent: 10000} }, ErrBadDiscount},
		{"a sale discount on top of a line's, leaving nothing", func(s *Sale) {
			s.Lines[0].Discount, s.Discount = Discount{Amount: 300}, Discount{Amount: 200}
		}, ErrBadDiscount},
		{"a negative percentage", func(s *Sale) { s.Lines[0].Discount = Discount{Percent: -100} }, ErrBadDiscount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok()
			tt.edit(s)
			if err := ValidateSale(s); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	s := ok()
	s.Discount = Discount{Percent: 9000}
	if err := CheckDiscounts(s, false); !errors.Is(err, ErrDiscountNeedsConfirm) {
		t.Errorf("unconfirmed 90 %%: %v", err)
	}
}

// ring adds lines of these prices (cents) in the bar department.
func ring(t *testing.T, prices ...string) *Register {
	t.Helper()
	r := newTestRegister()
	for _, p := range prices {
		typeDigits(t, r, p)
		if err := r.Department(bar); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestRegisterDiscountEdges(t *testing.T) {
	type step struct {
		name string
		do   func(r *Register) error
		want error
	}
	discountSale := func(d Discount, confirmed bool) func(r *Register) error {
		return func(r *Register) error { return r.DiscountSale(d, confirmed) }
	}
	voidLine := func(i int) func(r *Register) error { return func(r *Register) error { return r.VoidLine(i) } }
	tests := []struct {
		name   string
		prices []string
		steps  []step
		total  money.Cents
		lines  int
		sale   Discount
	}{
		{"voiding under an amount that would leave nothing is refused", []string{"500", "300"}, []step{
			{"4,00 off 8,00", discountSale(Discount{Amount: 400}, false), nil},
			{"void 5,00", voidLine(0), ErrSaleDiscountTooLarge},
		}, 400, 2, Discount{Amount: 400}},
		{"the cashier removes the sale discount, then voids", []string{"500", "300"}, []step{
			{"4,00 off 8,00", discountSale(Discount{Amount: 400}, false), nil},
			{"remove it", discountSale(Discount{}, false), nil},
			{"void 5,00", voidLine(0), nil},
		}, 300, 1, Discount{}},
		{"an unconfirmed amount cannot grow past half by a void", []string{"800", "400"}, []step{
			{"5,00 off 12,00 (42 %)", discountSale(Discount{Amount: 500}, false), nil},
			{"void 4,00: 5,00 off 8,00 would be 62 %", voidLine(1), ErrSaleDiscountTooLarge},
		}, 700, 2, Discount{Amount: 500}},
		{"a confirmation passed for a small discount does not count", []string{"800", "400"}, []step{
			{"5,00 off 12,00, confirmed anyway", discountSale(Discount{Amount: 500}, true), nil},
			{"void 4,00", voidLine(1), ErrSaleDiscountTooLarge},
		}, 700, 2, Discount{Amount: 500}},
		{"a confirmed amount may", []string{"800", "400"}, []step{
			{"7,00 off 12,00 needs a confirmation", discountSale(Discount{Amount: 700}, false), ErrDiscountNeedsConfirm},
			{"confirmed", discountSale(Discount{Amount: 700}, true), nil},
			{"void 4,00", voidLine(1), nil},
		}, 100, 1, Discount{Amount: 700}},
		{"a percentage keeps its share whatever is voided", []string{"800", "400"}, []step{
			{"40 %", discountSale(Discount{Percent: 4000}, false), nil},
			{"void 8,00", voidLine(0), nil},
		}, 240, 1, Discount{Percent: 4000}},
		{"voiding the last line drops the sale discount", []string{"800"}, []step{
			{"40 %", discountSale(Discount{Percent: 4000}, false), nil},
			{"void it", voidLine(0), nil},
			{"a new line", func(r *Register) error { typeDigits(t, r, "100"); return r.Department(bar) }, nil},
		}, 100, 1, Discount{}},
		{"a line discount under which the sale's amount would not fit is refused", []string{"500"}, []step{
			{"2,00 off", discountSale(Discount{Amount: 200}, false), nil},
			{"3,00 off the line leaves nothing", func(r *Register) error { return r.DiscountLine(0, Discount{Amount: 300}, true) }, ErrSaleDiscountTooLarge},
			{"2,50 off the line: 2,00 off 2,50", func(r *Register) error { return r.DiscountLine(0, Discount{Amount: 250}, false) }, ErrSaleDiscountTooLarge},
			{"1,00 off the line: 2,00 off 4,00", func(r *Register) error { return r.DiscountLine(0, Discount{Amount: 100}, false) }, nil},
		}, 200, 1, Discount{Amount: 200}},
		{"adding a line under an amount keeps the amount", []string{"500"}, []step{
			{"1,00 off", discountSale(Discount{Amount: 100}, false), nil},
			{"a new line", func(r *Register) error { typeDigits(t, r, "300"); return r.Department(bar) }, nil},
		}, 700, 2, Discount{Amount: 100}},
		{"a line discount over half needs a confirmation", []string{"500"}, []step{
			{"3,00 off", func(r *Register) error { return r.DiscountLine(0, Discount{Amount: 300}, false) }, ErrDiscountNeedsConfirm},
			{"confirmed", func(r *Register) error { return r.DiscountLine(0, Discount{Amount: 300}, true) }, nil},
		}, 200, 1, Discount{}},
		{"a discount on no line or no sale", nil, []step{
			{"sale", discountSale(Discount{Percent: 1000}, false), ErrEmptySale},
			{"line", func(r *Register) error { return r.DiscountLine(0, Discount{Percent: 1000}, false) }, ErrNoLine},
		}, 0, 0, Discount{}},
		{"the total with a sale discount is what must fit", []string{"9999900"}, []step{
			{"10 %", discountSale(Discount{Percent: 1000}, false), nil},
			{"10.000,00 more: 98.999,10 in all", func(r *Register) error { typeDigits(t, r, "1000000"); return r.Department(bar) }, nil},
			{"2.000,00 more: 100.799,10 would not", func(r *Register) error { typeDigits(t, r, "200000"); return r.Department(bar) }, ErrAmountTooLarge},
		}, 9899910, 2, Discount{Percent: 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ring(t, tt.prices...)
			for _, st := range tt.steps {
				before := *r.Sale()
				before.Lines = slices.Clone(before.Lines)
				err := st.do(r)
				if !errors.Is(err, st.want) || (err == nil) != (st.want == nil) {
					t.Fatalf("%s: err = %v, want %v", st.name, err, st.want)
				}
				if err != nil && (fmt.Sprint(*r.Sale()) != fmt.Sprint(before)) {
					t.Fatalf("%s: refused but the sale changed: %+v", st.name, r.Sale())
				}
				r.ClearEntry()
			}
			s := r.Sale()
			if s.Total() != tt.total || len(s.Lines) != tt.lines || s.Discount != tt.sale {
				t.Fatalf("total %s lines %d discount %+v; want %s %d %+v", s.Total(), len(s.Lines), s.Discount, tt.total, tt.lines, tt.sale)
			}
			if err := ValidateSale(s); err != nil && len(s.Lines) > 0 {
				t.Fatalf("the register built a sale ValidateSale refuses: %v", err)
			}
		})
	}
}

func TestErrSaleDiscountTooLargeIsABadDiscount(t *testing.T) {
	if !errors.Is(ErrSaleDiscountTooLarge, ErrBadDiscount) {
		t.Fatal("a front end that knows only ErrBadDiscount must still explain it")
	}
}

// A discount on the whole sale never touches a stamp duty or a deposit (N1, excluded under
// art. 15): the shop passes them on at cost.
func TestSaleDiscountLeavesExcludedLinesAlone(t *testing.T) {
	bar := Department{ID: "d1", Number: 1, Name: "Bar", VATRate: 2200}
	stamp := Department{ID: "d4", Number: 4, Name: "Bollo", Nature: "N1"}
	r := NewRegister(func() string { return "s1" }, nil)
	r.sale.Lines = []Line{
		{Description: "Menu", QtyMilli: 1000, UnitPrice: 1000, Department: bar},
		{Description: "Marca da bollo", QtyMilli: 1000, UnitPrice: 200, Department: stamp},
	}
	if err := r.DiscountSale(Discount{Percent: 1000}, false); err != nil {
		t.Fatal(err)
	}
	s := r.Sale()
	if got := s.SaleDiscount(); got != 100 {
		t.Errorf("sale discount %d cents, want 100 (10 %% of the 10,00 € menu only)", got)
	}
	if got := s.DiscountShares(); !slices.Equal(got, []money.Cents{100, 0}) {
		t.Errorf("shares %v, want [100 0]", got)
	}
	if got := s.Total(); got != 1100 {
		t.Errorf("total %d, want 1100", got)
	}
	only := NewRegister(func() string { return "s2" }, nil)
	only.sale.Lines = []Line{{Description: "Marca da bollo", QtyMilli: 1000, UnitPrice: 200, Department: stamp}}
	if err := only.DiscountSale(Discount{Percent: 1000}, true); !errors.Is(err, ErrBadDiscount) {
		t.Errorf("a discount on stamp duty alone: %v, want ErrBadDiscount", err)
	}
}
