package checkout

import (
	"strconv"
	"time"

	"till/money"
)

// maxEntryDigits bounds the keypad entry; a longer entry cannot be a valid amount anyway.
const maxEntryDigits = 9

// maxQuantity is the largest multiplier the X key accepts.
const maxQuantity = 9999

// Register is the keypad state: the digits typed so far (read as cents), a quantity set with X,
// and the sale being built. It decides what every key does, so the UI only draws it and tests
// can drive it without a window.
type Register struct {
	entry    string // digits typed: "1250" is 12,50 €
	qtyMilli int64  // set by X; 0 means one piece
	sale     Sale
	// saleDiscountConfirmed: the sale's discount was given with a confirmation, so it may take
	// more than DiscountConfirmAbove when lines change under it.
	saleDiscountConfirmed bool
	newID                 func() string
	now                   func() time.Time
}

// NewRegister starts an empty sale; newID makes sale ids (UUIDv7 in the till).
func NewRegister(newID func() string, now func() time.Time) *Register {
	r := &Register{newID: newID, now: now}
	r.Clear()
	return r
}

// Entry is the amount typed so far.
func (r *Register) Entry() money.Cents {
	v, _ := strconv.ParseInt(r.entry, 10, 64)
	return money.Cents(v)
}

// HasEntry tells whether any digit was typed.
func (r *Register) HasEntry() bool { return r.entry != "" }

// Quantity is the pending multiplier in thousandths (1000 when none was set).
func (r *Register) Quantity() int64 {
	if r.qtyMilli == 0 {
		return 1000
	}
	return r.qtyMilli
}

// HasQuantity tells whether X was pressed for the next line.
func (r *Register) HasQuantity() bool { return r.qtyMilli != 0 }

// Sale is the sale being rung up. The caller must not change it.
func (r *Register) Sale() *Sale { return &r.sale }

// Digit appends a digit (or "00") to the entry. An entry above the maximum amount is refused.
func (r *Register) Digit(d string) error {
	for _, c := range d {
		if c < '0' || c > '9' {
			return nil
		}
	}
	next := r.entry + d
	for len(next) > 1 && next[0] == '0' {
		next = next[1:]
	}
	if next == "0" || next == "00" {
		next = ""
	}
	if len(next) > maxEntryDigits {
		return ErrAmountTooLarge
	}
	if v, _ := strconv.ParseInt(next, 10, 64); money.Cents(v) > money.MaxAmount {
		return ErrAmountTooLarge
	}
	r.entry = next
	return nil
}

// Backspace removes the last digit; with no digits it drops the pending quantity.
func (r *Register) Backspace() {
	if r.entry != "" {
		r.entry = r.entry[:len(r.entry)-1]
		return
	}
	r.qtyMilli = 0
}

// Multiply turns the typed number into the quantity of the next line ("3 X" then a product).
func (r *Register) Multiply() error {
	n, _ := strconv.ParseInt(r.entry, 10, 64)
	if n < 1 || n > maxQuantity {
		return ErrBadQuantity
	}
	r.qtyMilli = n * 1000
	r.entry = ""
	return nil
}

// Department adds a line of the typed price in the department.
func (r *Register) Department(d Department) error {
	if r.entry == "" {
		return ErrNoPrice
	}
	price := r.Entry()
	if price == 0 {
		return ErrZeroPrice
	}
	return r.add(Line{Description: d.Name, UnitPrice: price, Department: d})
}

// Product adds a line of the product; a typed amount replaces its price (an open-price item).
func (r *Register) Product(p Product, d Department) error {
	price := p.Price
	if r.entry != "" {
		price = r.Entry()
	}
	if price == 0 {
		return ErrZeroPrice
	}
	return r.add(Line{Description: p.Name, UnitPrice: price, Department: d, ProductID: p.ID})
}

func (r *Register) add(l Line) error {
	l.QtyMilli = r.Quantity()
	if l.Gross() > money.MaxAmount {
		return ErrAmountTooLarge
	}
	// The sale's discount, a percentage, grows with the line: the total is what must fit.
	next := r.sale
	next.Lines = append(append([]Line(nil), r.sale.Lines...), l)
	if next.Total() > money.MaxAmount {
		return ErrAmountTooLarge
	}
	if len(r.sale.Lines) == 0 {
		r.sale.StartedAt = r.now()
	}
	r.sale.Lines = append(r.sale.Lines, l)
	r.entry, r.qtyMilli = "", 0
	return nil
}

// VoidLast removes the last line.
func (r *Register) VoidLast() error { return r.VoidLine(len(r.sale.Lines) - 1) }

// VoidLine removes line i (0-based). Voiding the last line left drops the sale's discount
// with it. A void after which the sale's discount, an amount, would leave nothing to pay, or
// take more than DiscountConfirmAbove without having been confirmed, is refused with
// ErrSaleDiscountTooLarge: the cashier changes or removes the sale's discount first, so no
// discount ever grows past what was asked or confirmed.
func (r *Register) VoidLine(i int) error {
	if i < 0 || i >= len(r.sale.Lines) {
		return ErrNoLine
	}
	rest := make([]Line, 0, len(r.sale.Lines)-1)
	rest = append(append(rest, r.sale.Lines[:i]...), r.sale.Lines[i+1:]...)
	if len(rest) == 0 {
		r.sale.Lines, r.sale.Discount = rest, Discount{}
		return nil
	}
	next := Sale{Lines: rest}
	if err := r.sale.Discount.Check(next.DiscountBase(), r.saleDiscountConfirmed); err != nil {
		return ErrSaleDiscountTooLarge
	}
	r.sale.Lines = rest
	return nil
}

// Clear drops the whole sale and the entry, and starts a new sale id.
func (r *Register) Clear() {
	r.entry, r.qtyMilli = "", 0
	r.sale, r.saleDiscountConfirmed = Sale{ID: r.newID()}, false
}

// Resume takes up a sale set aside (pending in the journal) to finish paying it.
func (r *Register) Resume(s *Sale) {
	r.entry, r.qtyMilli = "", 0
	r.sale, r.saleDiscountConfirmed = *s, true // its discount was accepted when it was given
}

// ClearEntry drops the digits typed and the quantity, keeping the lines.
func (r *Register) ClearEntry() { r.entry, r.qtyMilli = "", 0 }
