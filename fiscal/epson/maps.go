package epson

import (
	"till/fiscal"
	"till/money"
)

// DepartmentMap says which printer department (reparto) a till line goes to. Each install
// programs its printer differently (22% is department 1 almost everywhere, 4% and 5% swap between
// vendors), so the mapping is configuration, never code.
//
// Lookup order: ByDepartment[line.Department], then ByNature[line.Nature] for 0% lines with a
// Nature, then ByRate[line.VATRate] for lines without one, then the till's own department number
// unchanged when all maps are empty (the till and printer share one table, the recommended setup).
type DepartmentMap struct {
	ByDepartment map[int]int
	ByNature     map[string]int
	ByRate       map[money.Rate]int
}

// Printer returns the printer department for a line, false when the map has none for it.
func (m DepartmentMap) Printer(l fiscal.Line) (int, bool) {
	if d, ok := m.ByDepartment[l.Department]; ok {
		return d, true
	}
	if l.Nature != "" {
		if d, ok := m.ByNature[l.Nature]; ok {
			return d, true
		}
	} else if d, ok := m.ByRate[l.VATRate]; ok {
		return d, true
	}
	if len(m.ByDepartment) == 0 && len(m.ByNature) == 0 && len(m.ByRate) == 0 && l.Department > 0 {
		return l.Department, true
	}
	return 0, false
}

// PaymentType is how one payment method is printed by printRecTotal.
type PaymentType struct {
	Type        int    // paymentType: 0 cash, 2 card, 3 ticket, 5 not paid…
	Index       int    // index within the type, programmed on the printer
	Description string // printed text, ≤ 38 characters
}

// Electronic reports whether the printer counts this payment as electronic, the only kind that
// allows a lottery code.
func (p PaymentType) Electronic() bool { return p.Type == 2 }

// PaymentMap maps the till's payment methods to printer payment types. A nil or partial map
// falls back to DefaultPayments for the missing methods.
type PaymentMap map[fiscal.PaymentMethod]PaymentType

// DefaultPayments are the spec's defaults: cash 0/0, card 2/1, Coverflex meal vouchers as
// ticket 3/1 (index 0 was seen to block receipts).
func DefaultPayments() PaymentMap {
	return PaymentMap{
		fiscal.Cash:      {Type: 0, Index: 0, Description: "CONTANTI"},
		fiscal.Card:      {Type: 2, Index: 1, Description: "CARTA"},
		fiscal.Coverflex: {Type: 3, Index: 1, Description: "COVERFLEX"},
	}
}

// lookup returns the configured type for a method, then the default, false for an unknown method.
func (m PaymentMap) lookup(method fiscal.PaymentMethod) (PaymentType, bool) {
	if p, ok := m[method]; ok {
		return p, true
	}
	p, ok := DefaultPayments()[method]
	return p, ok
}
