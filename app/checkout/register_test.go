package checkout

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"till/money"
)

var (
	bar    = Department{ID: "d1", Number: 1, Name: "Bar", VATRate: 2200}
	cucina = Department{ID: "d2", Number: 2, Name: "Cucina", VATRate: 1000}
	alim   = Department{ID: "d3", Number: 3, Name: "Alimentari", VATRate: 400}
	esente = Department{ID: "d4", Number: 4, Name: "Escluso art. 15", Nature: "N1"}
)

func newTestRegister() *Register {
	n := 0
	return NewRegister(func() string { n++; return fmt.Sprintf("sale-%d", n) }, func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) })
}

func typeDigits(t *testing.T, r *Register, s string) {
	t.Helper()
	for _, c := range s {
		if err := r.Digit(string(c)); err != nil {
			t.Fatalf("digit %c: %v", c, err)
		}
	}
}

func TestTypedCentsBecomeADepartmentLine(t *testing.T) {
	r := newTestRegister()
	typeDigits(t, r, "1250")
	if r.Entry() != 1250 {
		t.Fatalf("entry = %d, want 1250", r.Entry())
	}
	if err := r.Department(cucina); err != nil {
		t.Fatal(err)
	}
	s := r.Sale()
	if len(s.Lines) != 1 || s.Lines[0].UnitPrice != 1250 || s.Lines[0].QtyMilli != 1000 || s.Lines[0].Description != "Cucina" {
		t.Fatalf("lines = %+v", s.Lines)
	}
	if r.HasEntry() || s.Total() != 1250 {
		t.Fatalf("entry kept or total %d", s.Total())
	}
}

func TestMultiplyThenProduct(t *testing.T) {
	r := newTestRegister()
	typeDigits(t, r, "3")
	if err := r.Multiply(); err != nil {
		t.Fatal(err)
	}
	if err := r.Product(Product{ID: "p1", Name: "Caffè", Price: 120}, bar); err != nil {
		t.Fatal(err)
	}
	l := r.Sale().Lines[0]
	if l.QtyMilli != 3000 || l.Amount() != 360 || l.ProductID != "p1" {
		t.Fatalf("line = %+v amount %d", l, l.Amount())
	}
	// The quantity applies to one line only.
	if err := r.Product(Product{ID: "p1", Name: "Caffè", Price: 120}, bar); err != nil {
		t.Fatal(err)
	}
	if r.Sale().Lines[1].QtyMilli != 1000 || r.Sale().Total() != 480 {
		t.Fatalf("second line %+v total %d", r.Sale().Lines[1], r.Sale().Total())
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	tests := []struct {
		name string
		run  func(r *Register) error
		want error
	}{
		{"department without price", func(r *Register) error { return r.Department(bar) }, ErrNoPrice},
		{"zero price", func(r *Register) error { r.Digit("0"); r.Digit("00"); return r.Department(bar) }, ErrNoPrice},
		{"zero-price product", func(r *Register) error { return r.Product(Product{Name: "Omaggio"}, bar) }, ErrZeroPrice},
		{"amount over 99.999,99", func(r *Register) error {
			for _, d := range "9999999" {
				r.Digit(string(d))
			}
			return r.Digit("9")
		}, ErrAmountTooLarge},
		{"quantity zero", func(r *Register) error { return r.Multiply() }, ErrBadQuantity},
		{"quantity too large", func(r *Register) error { r.Digit("10000"); return r.Multiply() }, ErrBadQuantity},
		{"line pushes total over the limit", func(r *Register) error {
			return r.Product(Product{Name: "Caro", Price: money.MaxAmount}, bar)
		}, ErrAmountTooLarge},
		{"quantity times price over the limit", func(r *Register) error {
			r.Digit("9999")
			if err := r.Multiply(); err != nil {
				return err
			}
			return r.Product(Product{Name: "Caro", Price: 100000}, bar)
		}, ErrAmountTooLarge},
		{"void a missing line", func(r *Register) error { return r.VoidLine(5) }, ErrNoLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRegister()
			typeDigits(t, r, "200")
			if err := r.Department(bar); err != nil {
				t.Fatal(err)
			}
			err := tt.run(r)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if s := r.Sale(); len(s.Lines) != 1 || s.Total() != 200 {
				t.Fatalf("sale changed: %+v", s.Lines)
			}
		})
	}
}

func TestEntryEditing(t *testing.T) {
	r := newTestRegister()
	typeDigits(t, r, "0012")
	if r.Entry() != 12 {
		t.Fatalf("leading zeros: entry = %d", r.Entry())
	}
	r.Digit("00")
	if r.Entry() != 1200 {
		t.Fatalf("00 key: entry = %d", r.Entry())
	}
	r.Backspace()
	if r.Entry() != 120 {
		t.Fatalf("backspace: entry = %d", r.Entry())
	}
	r.Digit("x")
	if r.Entry() != 120 {
		t.Fatalf("non-digit accepted: %d", r.Entry())
	}
}

func TestVoidAndClear(t *testing.T) {
	r := newTestRegister()
	for _, d := range []Department{bar, cucina, alim} {
		typeDigits(t, r, "100")
		if err := r.Department(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.VoidLine(1); err != nil {
		t.Fatal(err)
	}
	if got := r.Sale().Lines; len(got) != 2 || got[0].Department.Number != 1 || got[1].Department.Number != 3 {
		t.Fatalf("after voiding line 2: %+v", got)
	}
	if err := r.VoidLast(); err != nil {
		t.Fatal(err)
	}
	if got := r.Sale().Lines; len(got) != 1 || got[0].Department.Number != 1 {
		t.Fatalf("after void last: %+v", got)
	}
	first := r.Sale().ID
	r.Clear()
	if len(r.Sale().Lines) != 0 || r.Sale().ID == first {
		t.Fatalf("clear kept lines or id: %+v", r.Sale())
	}
	if err := r.VoidLast(); !errors.Is(err, ErrNoLine) {
		t.Fatalf("void on empty sale: %v", err)
	}
}

func TestVATBreakdownRoundsOncePerRate(t *testing.T) {
	line := func(price money.Cents, qty int64, d Department) Line {
		return Line{UnitPrice: price, QtyMilli: qty, Department: d}
	}
	tests := []struct {
		name  string
		lines []Line
		want  []VATShare
	}{
		{"single 22%", []Line{line(122, 1000, bar)}, []VATShare{{Rate: 2200, Gross: 122, Tax: 22}}},
		// Ten coffees at 1,00: per-line rounding would give 10 × 0,18 = 1,80; per rate 10,00 → 1,80 too,
		// but 7 × 0,10 per line = 7 × 0,02 = 0,14 while per rate 0,70 → 0,13.
		{"small lines do not drift", []Line{line(10, 7000, bar)}, []VATShare{{Rate: 2200, Gross: 70, Tax: 13}}},
		{"three separate lines summed first", []Line{line(10, 1000, bar), line(10, 1000, bar), line(10, 1000, bar),
			line(10, 1000, bar), line(10, 1000, bar), line(10, 1000, bar), line(10, 1000, bar)},
			[]VATShare{{Rate: 2200, Gross: 70, Tax: 13}}},
		{"mixed rates and nature", []Line{line(1200, 1000, cucina), line(150, 2000, bar), line(380, 1000, alim), line(200, 1000, esente)},
			[]VATShare{{Rate: 2200, Gross: 300, Tax: 54}, {Rate: 1000, Gross: 1200, Tax: 109}, {Rate: 400, Gross: 380, Tax: 15}, {Rate: 0, Nature: "N1", Gross: 200, Tax: 0}}},
		{"fractional quantity", []Line{line(1999, 333, alim)}, []VATShare{{Rate: 400, Gross: 666, Tax: 26}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Sale{Lines: tt.lines}
			got := VATBreakdown(&s)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
			var sum money.Cents
			for _, s := range got {
				sum += s.Net() + s.Tax
			}
			if sum != s.Total() {
				t.Fatalf("net+tax %d != total %d", sum, s.Total())
			}
		})
	}
}
