package rtsim

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"till/money"
)

// draft is a receipt being checked, command by command, the way the RT walks it.
type draft struct {
	e          Entry
	begun      bool
	ended      bool
	paid       money.Cents
	electronic bool
	refundOf   *issued
}

func printerError(status int) *response {
	r := failure("PRINTER ERROR", status)
	return &r
}

// Native statuses the simulator answers, as listed in the spec.
const (
	stSequence   = 11
	stBadValue   = 13
	stNotPossib  = 17
	stOverMax    = 20
	stOverLimit  = 21
	stChecksum   = 30
	stVoided     = 39
	stRefunded   = 40
	maxItemText  = 38
	maxMsgText   = 46
	maxVoidText  = 38
	lotteryCodeN = 8
)

// checkReceipt validates a printerFiscalReceipt and returns the document it would issue, or the
// answer refusing it. Nothing changes until the whole request passed, so a refusal issues nothing.
func (s *Server) checkReceipt(cmds []Command) (Entry, *response) {
	d := draft{e: Entry{Kind: "receipt"}}
	for i, c := range cmds {
		if d.ended {
			return Entry{}, printerError(stSequence)
		}
		if fail := s.step(&d, i, c); fail != nil {
			return Entry{}, fail
		}
	}
	if !d.ended {
		return Entry{}, printerError(stSequence)
	}
	return d.e, nil
}

func (s *Server) step(d *draft, i int, c Command) *response {
	attr := func(n string) string { v, _ := c.Attr(n); return v }
	switch c.Name {
	case "printRecMessage":
		msg := attr("message")
		if attr("messageType") == "4" {
			if i != 0 || utf8.RuneCountInString(msg) > maxVoidText {
				return printerError(stSequence)
			}
			return s.reference(d, msg)
		}
		if utf8.RuneCountInString(msg) > maxMsgText {
			return printerError(stBadValue)
		}
		d.e.Messages = append(d.e.Messages, msg)
	case "beginFiscalReceipt":
		if d.begun {
			return printerError(stSequence)
		}
		d.begun = true
	case "printRecItem", "printRecRefund":
		if !d.begun || len(d.e.Payments) > 0 || (c.Name == "printRecRefund") != (d.e.Kind == "refund") || d.e.Kind == "void" {
			return printerError(stSequence)
		}
		it, fail := s.item(attr)
		if fail != nil {
			return fail
		}
		d.e.Items = append(d.e.Items, it)
		d.e.Amount += it.Amount
	case "printRecItemAdjustment":
		if !d.begun || len(d.e.Items) == 0 || len(d.e.Payments) > 0 {
			return printerError(stSequence)
		}
		return adjust(d, attr)
	case "printRecSubtotal":
		if !d.begun || len(d.e.Payments) > 0 {
			return printerError(stSequence)
		}
	case "printRecLotteryID":
		if !d.begun || len(d.e.Payments) > 0 || d.e.Kind != "receipt" {
			return printerError(stSequence)
		}
		if !validLottery(attr("code")) {
			return printerError(stChecksum)
		}
		d.e.Lottery = attr("code")
	case "printRecTotal":
		return total(d, attr)
	case "endFiscalReceipt":
		return end(d)
	default:
		r := failure("Non valid XML command", 0)
		return &r
	}
	return nil
}

// reference reads "VOID|REFUND ZZZZ NNNN DDMMYYYY SERIAL" and finds the original document.
func (s *Server) reference(d *draft, msg string) *response {
	kind, orig, fail := s.original(msg)
	if fail != nil {
		return fail
	}
	d.e.Kind = kind
	d.e.Original, d.e.Reference = orig.entry.ID, msg
	d.refundOf = orig
	return nil
}

// original checks a reference text and returns the kind ("void" or "refund") and the document
// it names, or the answer a real RT gives: 13 for a malformed text or another printer's serial,
// 17 for no such receipt, 39 already voided, 40 nothing left to refund (or voiding a receipt
// already refunded in part).
func (s *Server) original(msg string) (string, *issued, *response) {
	f := strings.Fields(msg)
	if len(f) != 5 || (f[0] != "VOID" && f[0] != "REFUND") {
		return "", nil, printerError(stBadValue)
	}
	z, err1 := strconv.Atoi(f[1])
	n, err2 := strconv.Atoi(f[2])
	if _, err := time.Parse("02012006", f[3]); err != nil || err1 != nil || err2 != nil || f[4] != s.cfg.Serial {
		return "", nil, printerError(stBadValue)
	}
	orig, ok := s.st.docs[docID(z, n)]
	if !ok || orig.entry.Kind != "receipt" || orig.entry.IssuedAt.Format("02012006") != f[3] {
		return "", nil, printerError(stNotPossib)
	}
	switch {
	case orig.voided:
		return "", nil, printerError(stVoided)
	case orig.refunded, f[0] == "VOID" && orig.returned > 0:
		return "", nil, printerError(stRefunded)
	}
	return strings.ToLower(f[0]), orig, nil
}

func (s *Server) item(attr func(string) string) (Item, *response) {
	desc := attr("description")
	qty, ok1 := parseQty(attr("quantity"))
	price, err := parseAmount(attr("unitPrice"))
	dept, err2 := strconv.Atoi(attr("department"))
	if !ok1 || err != nil || err2 != nil || price < 0 || utf8.RuneCountInString(desc) > maxItemText || strings.TrimSpace(desc) == "" {
		return Item{}, printerError(stBadValue)
	}
	if _, ok := s.depts[dept]; !ok {
		return Item{}, printerError(stBadValue)
	}
	if price > money.MaxAmount || qty > 99_999_000 {
		return Item{}, printerError(stOverMax)
	}
	it := Item{Description: desc, QtyMilli: qty, UnitPrice: price, Department: dept, Amount: price.Mul(qty)}
	if it.Amount > money.MaxAmount {
		return Item{}, printerError(stOverMax)
	}
	return it, nil
}

// adjust applies a discount (type 0) or surcharge (type 5) to the last item.
func adjust(d *draft, attr func(string) string) *response {
	amount, err := parseAmount(attr("amount"))
	last := &d.e.Items[len(d.e.Items)-1]
	if err != nil || amount <= 0 || utf8.RuneCountInString(attr("description")) > maxItemText {
		return printerError(stBadValue)
	}
	switch attr("adjustmentType") {
	case "0":
		if amount > last.Amount {
			return printerError(stOverLimit)
		}
		amount = -amount
	case "5":
	default:
		return printerError(stBadValue)
	}
	last.Discount -= amount
	last.Amount += amount
	d.e.Amount += amount
	return nil
}

func total(d *draft, attr func(string) string) *response {
	if !d.begun || d.e.Kind == "void" || len(d.e.Items) == 0 {
		return printerError(stSequence)
	}
	if len(d.e.Payments) > 0 && d.paid >= d.e.Amount {
		return printerError(stSequence) // the receipt was already fully paid
	}
	amount, err := parseAmount(attr("payment"))
	typ, err2 := strconv.Atoi(attr("paymentType"))
	idx, err3 := strconv.Atoi(attr("index"))
	if err != nil || err2 != nil || err3 != nil || amount <= 0 || typ < 0 || typ > 6 || idx < 0 || idx > 10 ||
		utf8.RuneCountInString(attr("description")) > maxItemText {
		return printerError(stBadValue)
	}
	if amount > money.MaxAmount {
		return printerError(stOverMax)
	}
	d.paid += amount
	d.electronic = d.electronic || typ == 2
	d.e.Payments = append(d.e.Payments, Pay{Description: attr("description"), Type: typ, Index: idx, Amount: amount})
	return nil
}

func end(d *draft) *response {
	if !d.begun {
		return printerError(stSequence)
	}
	switch {
	case d.e.Kind == "void":
	case len(d.e.Items) == 0 || d.paid < d.e.Amount:
		return printerError(stNotPossib)
	case d.e.Lottery != "" && !d.electronic:
		return printerError(stNotPossib)
	case d.e.Kind == "refund" && d.e.Amount > d.refundOf.entry.Amount:
		return printerError(stOverLimit)
	case d.e.Kind == "refund" && d.e.Amount > d.refundOf.entry.Amount-d.refundOf.returned:
		return printerError(stRefunded) // partly refunded before: not that much left
	}
	d.ended = true
	return nil
}

func validLottery(code string) bool {
	if len(code) != lotteryCodeN {
		return false
	}
	for _, c := range []byte(code) {
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// parseQty reads "2", "0,25" or "1,005" into thousandths.
func parseQty(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ",")
	if whole == "" || len(whole) > 6 || len(frac) > 3 {
		return 0, false
	}
	for len(frac) < 3 {
		frac += "0"
	}
	w, err1 := strconv.ParseUint(whole, 10, 32)
	f, err2 := strconv.ParseUint(frac, 10, 16)
	if err1 != nil || err2 != nil || w*1000+f == 0 {
		return 0, false
	}
	return int64(w*1000 + f), true
}

// parseAmount reads an amount the way the printer wants it: digits, optionally a comma and one
// or two decimals ("12,50"). Dots are refused so a driver that sends "12.50" is caught in tests.
func parseAmount(s string) (money.Cents, error) {
	whole, frac, _ := strings.Cut(s, ",")
	if whole == "" || len(whole) > 7 || len(frac) > 2 || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	return money.Parse(s)
}
