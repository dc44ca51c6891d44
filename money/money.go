// Package money is the till's amount type: euro cents in an int64, Italian formatting and
// parsing. No float ever touches an amount; everything that handles money imports this.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Cents is an amount of euro cents. 1250 is 12,50 €.
type Cents int64

// MaxAmount is the largest amount the till accepts for one line or payment (99.999,99 €),
// the limit fiscal printers put on a single entry.
const MaxAmount Cents = 9_999_999

// ErrInvalid is wrapped by every parse failure so callers can branch on it.
var ErrInvalid = errors.New("invalid amount")

// String formats like an Italian receipt: "1.234,50 €", "-0,30 €".
func (c Cents) String() string { return c.Plain() + " €" }

// Plain formats without the currency sign and with thousands separators: "1.234,50".
func (c Cents) Plain() string {
	neg := c < 0
	u := uint64(c)
	if neg {
		u = uint64(-c)
	}
	euros := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	fmt.Fprintf(&b, ",%02d", u%100)
	return b.String()
}

// Decimal formats with a comma and no thousands separator ("1234,50"), as fiscal printers want.
func (c Cents) Decimal() string {
	s := c.Plain()
	return strings.ReplaceAll(s, ".", "")
}

// Dot formats with a dot and two places ("1234.50"), as FatturaPA wants.
func (c Cents) Dot() string {
	return strings.Replace(c.Decimal(), ",", ".", 1)
}

// Parse reads an amount typed by a person or written by a machine: "12,50", "12.50",
// "1.234,50", "1234", "12,5", "12,50 €", "€ 3". A single dot followed by exactly one or two
// digits is a decimal point; otherwise dots group thousands. More than two decimals is an error.
func Parse(s string) (Cents, error) {
	orig := s
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "€"))
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("%w: empty", ErrInvalid)
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	intPart, frac := s, ""
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if strings.ContainsRune(frac, '.') {
			return 0, fmt.Errorf("%w: %q", ErrInvalid, orig)
		}
	} else if i := strings.LastIndexByte(s, '.'); i >= 0 && strings.Count(s, ".") == 1 && len(s)-i-1 <= 2 {
		intPart, frac = s[:i], s[i+1:]
	}
	if strings.Contains(intPart, ".") {
		// Thousands separators must group exactly three digits.
		groups := strings.Split(intPart, ".")
		for i, g := range groups {
			if (i == 0 && (len(g) == 0 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, fmt.Errorf("%w: %q", ErrInvalid, orig)
			}
		}
		intPart = strings.Join(groups, "")
	}
	if len(frac) > 2 || (intPart == "" && frac == "") {
		return 0, fmt.Errorf("%w: %q", ErrInvalid, orig)
	}
	if intPart == "" {
		intPart = "0"
	}
	for _, part := range []string{intPart, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%w: %q", ErrInvalid, orig)
			}
		}
	}
	if len(intPart) > 15 {
		return 0, fmt.Errorf("%w: %q is too large", ErrInvalid, orig)
	}
	euros, _ := strconv.ParseInt(intPart, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	cents, _ := strconv.ParseInt(frac, 10, 64)
	v := Cents(euros*100 + cents)
	if neg {
		v = -v
	}
	return v, nil
}

// Mul returns the amount times a quantity in thousandths, rounded half away from zero to the
// cent (2,5 × 0,333 kg = 0,83 €).
func (c Cents) Mul(qtyMilli int64) Cents {
	return Cents(divRound(int64(c)*qtyMilli, 1000))
}

// divRound divides rounding half away from zero.
func divRound(n, d int64) int64 {
	if (n < 0) != (d < 0) {
		return -((abs(n) + abs(d)/2) / abs(d))
	}
	return (abs(n) + abs(d)/2) / abs(d)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Rate is a VAT rate in hundredths of a percent: 2200 is 22%, 550 is 5,5%.
type Rate int64

// String formats as "22%" or "5,5%".
func (r Rate) String() string {
	s := strconv.FormatInt(int64(r)/100, 10)
	if f := int64(r) % 100; f != 0 {
		fs := strings.TrimRight(fmt.Sprintf("%02d", f), "0")
		s += "," + fs
	}
	return s + "%"
}

// Dot formats with a dot and two places ("22.00"), as FatturaPA wants.
func (r Rate) Dot() string { return fmt.Sprintf("%d.%02d", int64(r)/100, int64(r)%100) }

// VATIncluded returns the tax inside a VAT-inclusive gross amount: gross × r / (100% + r),
// rounded half away from zero to the cent.
func VATIncluded(gross Cents, r Rate) Cents {
	return Cents(divRound(int64(gross)*int64(r), 10000+int64(r)))
}

// Qty formats a quantity in thousandths the Italian way: "2", "0,25", "1,005".
func Qty(milli int64) string {
	s := strconv.FormatInt(milli/1000, 10)
	if milli < 0 && milli/1000 == 0 {
		s = "-0"
	}
	if f := abs(milli % 1000); f != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%03d", f), "0")
	}
	return s
}
