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

// Product is a button with a fixed price in a department.
type Product struct {
	ID           string
	Name         string
	Price        money.Cents
	DepartmentID string
}

// Line is one row of a sale.
type Line struct {
	Description string
	QtyMilli    int64
	UnitPrice   money.Cents
	Department  Department
	ProductID   string // empty for a line typed on the keypad
}

// Amount is the line's total, rounded to the cent.
func (l Line) Amount() money.Cents { return l.UnitPrice.Mul(l.QtyMilli) }

// Sale is what the cashier is ringing up.
type Sale struct {
	ID        string
	StartedAt time.Time
	Lines     []Line
}

// Total is the sum of the line amounts.
func (s *Sale) Total() money.Cents {
	var t money.Cents
	for _, l := range s.Lines {
		t += l.Amount()
	}
	return t
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

// VATBreakdown groups the lines by rate (and nature) and computes the VAT contained in each
// group, rounded once per group as the RT printer and FatturaPA summaries do; rounding per line
// would drift by a cent on long sales. Ordered by rate, highest first.
func VATBreakdown(lines []Line) []VATShare {
	type key struct {
		rate   money.Rate
		nature string
	}
	gross := map[key]money.Cents{}
	for _, l := range lines {
		k := key{l.Department.VATRate, ""}
		if l.Department.VATRate == 0 {
			k.nature = l.Department.Nature
		}
		gross[k] += l.Amount()
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
