// Package checkout is the till's domain: departments and products, the sale being rung up, the
// keypad register that builds it, VAT, and paying and documenting a sale. It must never import
// Fyne or SQL: storage and devices come in through the small interfaces defined here.
package checkout

import (
	"sort"
	"time"

	"till/money"
)

// Department is a reparto: a VAT rate (or a nature code when the rate is 0) and the number the
// fiscal printer knows it by.
type Department struct {
	ID      string
	Number  int // printer department number
	Name    string
	VATRate money.Rate
	Nature  string // N1…N7, only when VATRate is 0
}

// Category groups products on the sale screen (Caffetteria, Panini…); it has no fiscal meaning.
type Category struct {
	ID       string
	Name     string
	Position int
}

// Product is an item of the catalogue with a fixed price in a department. Code is the shop's
// own key (upserts and CSV files go by it); Barcodes are EAN-13, EAN-8 or UPC-A.
type Product struct {
	ID           string
	Code         string
	Barcodes     []string
	Name         string
	Price        money.Cents
	DepartmentID string
	CategoryID   string // empty: no category
	Active       bool
}

// Line is one row of a sale.
type Line struct {
	Description string
	QtyMilli    int64
	UnitPrice   money.Cents
	Department  Department
	ProductID   string   // empty for a line typed on the keypad
	Discount    Discount // taken off this line; zero for none
}

// Gross is quantity × unit price, rounded to the cent, before any discount.
func (l Line) Gross() money.Cents { return l.UnitPrice.Mul(l.QtyMilli) }

// LineDiscount is the cents the line's own discount takes off.
func (l Line) LineDiscount() money.Cents { return l.Discount.Of(l.Gross()) }

// Amount is the line's total after its own discount (a discount on the whole sale is shared
// out over the lines by Sale.DiscountShares).
func (l Line) Amount() money.Cents { return l.Gross() - l.LineDiscount() }

// Sale is what the cashier is ringing up.
type Sale struct {
	ID        string
	StartedAt time.Time
	Lines     []Line
	Discount  Discount // on the whole sale, after the lines' own discounts
	// Operator is the number of who sells, printed on the receipt; 0 is operator 1, as on a
	// till without operators.
	Operator int
}

// OperatorNumber is the number the receipt and the journal show for the sale's operator.
func (s *Sale) OperatorNumber() int {
	if s.Operator <= 0 {
		return ImplicitOperator.Number
	}
	return s.Operator
}

// Subtotal is the sum of the line amounts, before the sale's discount.
func (s *Sale) Subtotal() money.Cents {
	var t money.Cents
	for _, l := range s.Lines {
		t += l.Amount()
	}
	return t
}

// Discountable tells whether a discount on the whole sale may touch the line: not a line
// excluded from VAT under art. 15 (N1: stamp duty, deposits recharged at cost), which the shop
// passes on at cost and cannot discount.
func (l Line) Discountable() bool { return !(l.Department.VATRate == 0 && l.Department.Nature == "N1") }

// DiscountBase is what a discount on the whole sale applies to: the subtotal of the
// discountable lines.
func (s *Sale) DiscountBase() money.Cents {
	var t money.Cents
	for _, l := range s.Lines {
		if l.Discountable() {
			t += l.Amount()
		}
	}
	return t
}

// SaleDiscount is the cents the sale's discount takes off the discountable lines.
func (s *Sale) SaleDiscount() money.Cents { return s.Discount.Of(s.DiscountBase()) }

// Total is what the customer pays: the subtotal less the sale's discount.
func (s *Sale) Total() money.Cents { return s.Subtotal() - s.SaleDiscount() }

// DiscountShares splits the sale's discount over the discountable lines in proportion to their
// amounts, to the cent (largest remainder; ties go to the earlier line), so every line's net amount and
// every VAT rate's total are exact and the shares add up to SaleDiscount.
func (s *Sale) DiscountShares() []money.Cents {
	shares := make([]money.Cents, len(s.Lines))
	total, sub := s.SaleDiscount(), s.DiscountBase()
	if total == 0 || sub <= 0 {
		return shares
	}
	rem := make([]int64, len(s.Lines))
	var given money.Cents
	for i, l := range s.Lines {
		if !l.Discountable() {
			rem[i] = -1
			continue
		}
		n := int64(total) * int64(l.Amount())
		shares[i] = money.Cents(n / int64(sub))
		rem[i] = n % int64(sub)
		given += shares[i]
	}
	for left := total - given; left > 0; left-- {
		best := -1
		for i := range rem {
			if rem[i] >= 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		shares[best]++
		rem[best] = -1
	}
	return shares
}

// NetAmounts is each line's share of the total: its amount less its share of the sale's
// discount. They add up to Total.
func (s *Sale) NetAmounts() []money.Cents {
	net := s.DiscountShares()
	for i, l := range s.Lines {
		net[i] = l.Amount() - net[i]
	}
	return net
}

// VATShare is the tax contained in the sale's lines of one rate (or one nature at 0%).
type VATShare struct {
	Rate   money.Rate
	Nature string
	Gross  money.Cents // VAT included
	Tax    money.Cents
}

// Net is the taxable base.
func (v VATShare) Net() money.Cents { return v.Gross - v.Tax }

// VATBreakdown groups the sale's lines by rate (and nature) and computes the VAT contained in
// each group, on what the lines really cost: their net amounts, after their own discounts and
// their shares of the sale's. The tax is rounded once per group, as the RT printer and the
// FatturaPA summaries do; rounding per line would drift by a cent on long sales. The groups add
// up to Total. Ordered by rate, highest first.
func VATBreakdown(s *Sale) []VATShare {
	type key struct {
		rate   money.Rate
		nature string
	}
	gross := map[key]money.Cents{}
	nets := s.NetAmounts()
	for i, l := range s.Lines {
		k := key{l.Department.VATRate, ""}
		if l.Department.VATRate == 0 {
			k.nature = l.Department.Nature
		}
		gross[k] += nets[i]
	}
	shares := make([]VATShare, 0, len(gross))
	for k, g := range gross {
		shares = append(shares, VATShare{Rate: k.rate, Nature: k.nature, Gross: g, Tax: money.VATIncluded(g, k.rate)})
	}
	sort.Slice(shares, func(i, j int) bool {
		if shares[i].Rate != shares[j].Rate {
			return shares[i].Rate > shares[j].Rate
		}
		return shares[i].Nature < shares[j].Nature
	})
	return shares
}
