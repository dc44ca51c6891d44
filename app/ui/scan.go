package ui

import (
	"strconv"

	"till/app/checkout"
	"till/money"
)

// maxEntryDigits is the most digits the keypad entry can hold (99.999,99 €): a longer run of
// digits cannot be an amount.
var maxEntryDigits = len(strconv.FormatInt(int64(money.MaxAmount), 10))

// scanRun tells a barcode scanner from a person without a clock. A scanner types as a
// keyboard: a code's digits, then Enter. The keypad entry holds at most 7 digits, so digits
// typed on the keyboard with no other key between them, ended by Enter, are a barcode when
// they are more than 7; 8, 12 or 13 (EAN-8, UPC-A, EAN-13) can be one. The digits also went to
// the keypad entry as they came (a person typing a price sees it on the display): a run that
// was a scan gives the entry back as it was before the run.
type scanRun struct {
	digits []byte
	before entryState
}

// entryState is what the keypad entry held: a quantity set with X and an amount.
type entryState struct {
	qty    int64 // in thousandths; 0 for none
	amount money.Cents
}

// digit notes a digit typed on the keyboard, before it goes to the register.
func (s *scanRun) digit(d byte, r *checkout.Register) {
	if len(s.digits) == 0 {
		s.before = entryState{amount: r.Entry()}
		if r.HasQuantity() {
			s.before.qty = r.Quantity()
		}
	}
	s.digits = append(s.digits, d)
}

// reset forgets the run: another key came.
func (s *scanRun) reset() { s.digits = s.digits[:0] }

// end is called on Enter. When the run was too long to be an amount, it gives the entry back
// as it was before the run and returns the digits: a barcode to look up (or one unreadable,
// when its length is not a barcode's). Otherwise Enter is Enter.
func (s *scanRun) end(r *checkout.Register) (code string, ok bool) {
	defer s.reset()
	if len(s.digits) <= maxEntryDigits {
		return "", false
	}
	r.ClearEntry()
	if s.before.qty > 0 {
		r.Digit(strconv.FormatInt(s.before.qty/1000, 10))
		r.Multiply()
	}
	if s.before.amount > 0 {
		r.Digit(strconv.FormatInt(int64(s.before.amount), 10))
	}
	return string(s.digits), true
}

// barcodeLength tells whether n digits can be an EAN-8, UPC-A or EAN-13.
func barcodeLength(n int) bool { return n == 8 || n == 12 || n == 13 }

// isBarcode tells whether text is only digits, as many as a barcode has.
func isBarcode(text string) bool {
	if !barcodeLength(len(text)) {
		return false
	}
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			return false
		}
	}
	return true
}

// scanned adds the product whose barcode was read, or says clearly that none has it.
func (s *saleScreen) scanned(code string) {
	s.refreshDisplay()
	x := s.products.index
	switch {
	case !isBarcode(code):
		s.setMessage(tr("scan.unreadable", map[string]any{"Code": code}), true)
	case x == nil:
		s.setMessage(tr("catalogue.loading"), true)
	default:
		i, ok := x.ByBarcode(code)
		if !ok {
			s.setMessage(tr("scan.unknown", map[string]any{"Code": code}), true)
			return
		}
		s.addProduct(x.At(i))
	}
}
