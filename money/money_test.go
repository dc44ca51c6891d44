package money

import (
	"errors"
	"testing"
)

func TestFormatItalian(t *testing.T) {
	tests := []struct {
		in    Cents
		plain string
		dec   string
		dot   string
	}{
		{0, "0,00", "0,00", "0.00"},
		{5, "0,05", "0,05", "0.05"},
		{1250, "12,50", "12,50", "12.50"},
		{123450, "1.234,50", "1234,50", "1234.50"},
		{9999999, "99.999,99", "99999,99", "99999.99"},
		{100000000, "1.000.000,00", "1000000,00", "1000000.00"},
		{-30, "-0,30", "-0,30", "-0.30"},
		{-123456, "-1.234,56", "-1234,56", "-1234.56"},
	}
	for _, tt := range tests {
		if got := tt.in.Plain(); got != tt.plain {
			t.Errorf("%d.Plain() = %q, want %q", tt.in, got, tt.plain)
		}
		if got := tt.in.Decimal(); got != tt.dec {
			t.Errorf("%d.Decimal() = %q, want %q", tt.in, got, tt.dec)
		}
		if got := tt.in.Dot(); got != tt.dot {
			t.Errorf("%d.Dot() = %q, want %q", tt.in, got, tt.dot)
		}
	}
	if got := Cents(123450).String(); got != "1.234,50 €" {
		t.Errorf("String() = %q", got)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Cents
		bad  bool
	}{
		{"12,50", 1250, false},
		{"12.50", 1250, false},
		{"12,5", 1250, false},
		{"12", 1200, false},
		{"0,01", 1, false},
		{",5", 50, false},
		{"1.234,50", 123450, false},
		{"1.234", 123400, false}, // a dot before three digits groups thousands
		{"1.234.567,89", 123456789, false},
		{"12,50 €", 1250, false},
		{"€ 3", 300, false},
		{"-0,30", -30, false},
		{"", 0, true},
		{"abc", 0, true},
		{"12,505", 0, true},
		{"1,2,3", 0, true},
		{"12.34.56", 0, true},
		{"1.23,00", 0, true},
		{"12,5.0", 0, true},
		{"9999999999999999", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if tt.bad {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%q) = %d, %v; want ErrInvalid", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseFormatRoundTrip(t *testing.T) {
	for _, c := range []Cents{0, 1, 99, 100, 1001, 123456, 9999999, -1, -100000} {
		got, err := Parse(c.String())
		if err != nil || got != c {
			t.Errorf("Parse(%q) = %d, %v", c.String(), got, err)
		}
	}
}

func TestMulRoundsHalfAwayFromZero(t *testing.T) {
	tests := []struct {
		price Cents
		qty   int64
		want  Cents
	}{
		{120, 1000, 120},
		{120, 3000, 360},
		{250, 333, 83},   // 83,25 → 83
		{250, 334, 84},   // 83,5 → 84
		{199, 1500, 299}, // 298,5 → 299
		{-199, 1500, -299},
		{1, 500, 1},
		{1, 499, 0},
	}
	for _, tt := range tests {
		if got := tt.price.Mul(tt.qty); got != tt.want {
			t.Errorf("%d × %d‰ = %d, want %d", tt.price, tt.qty, got, tt.want)
		}
	}
}

func TestVATIncluded(t *testing.T) {
	tests := []struct {
		gross Cents
		rate  Rate
		want  Cents
	}{
		{122, 2200, 22},          // exact
		{100, 2200, 18},          // 18,03 → 18
		{110, 1000, 10},          // exact
		{104, 400, 4},            // exact
		{1, 2200, 0},             // 0,18 → 0
		{3, 2200, 1},             // 0,54 → 1
		{61, 2200, 11},           // 11,0 exactly
		{9999999, 2200, 1803279}, // 1.803.278,52 → 1.803.279
		{500, 0, 0},
		{105, 500, 5},
		{-122, 2200, -22},
	}
	for _, tt := range tests {
		got := VATIncluded(tt.gross, tt.rate)
		// Independent check with exact rational arithmetic: |gross×r − tax×(10000+r)| ≤ (10000+r)/2.
		diff := int64(tt.gross)*int64(tt.rate) - int64(got)*(10000+int64(tt.rate))
		if diff < 0 {
			diff = -diff
		}
		if diff*2 > 10000+int64(tt.rate) {
			t.Errorf("VATIncluded(%d, %s) = %d is not the rounded tax", tt.gross, tt.rate, got)
		}
		if got != tt.want {
			t.Errorf("VATIncluded(%d, %s) = %d, want %d", tt.gross, tt.rate, got, tt.want)
		}
	}
}

func TestRateAndQtyFormat(t *testing.T) {
	for r, want := range map[Rate]string{2200: "22%", 1000: "10%", 400: "4%", 0: "0%", 550: "5,5%", 1025: "10,25%"} {
		if got := r.String(); got != want {
			t.Errorf("Rate(%d) = %q, want %q", r, got, want)
		}
	}
	if got := Rate(2200).Dot(); got != "22.00" {
		t.Errorf("Dot = %q", got)
	}
	for q, want := range map[int64]string{1000: "1", 2000: "2", 250: "0,25", 1005: "1,005", 12500: "12,5"} {
		if got := Qty(q); got != want {
			t.Errorf("Qty(%d) = %q, want %q", q, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"12,50", "1.234,50", "€ 3", "-0,30", ",", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(v.String())
		if err != nil || back != v {
			t.Fatalf("Parse(%q) = %d, but its format %q parses to %d, %v", s, v, v.String(), back, err)
		}
	})
}
