package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
)

// locked tells whether the keys must do nothing: a payment or a print is running, or a payment
// whose outcome is unknown forbids paying again.
func (p *paymentScreen) locked() bool { return p.busy || p.unresolved() != nil }

func (p *paymentScreen) choose(m fiscal.PaymentMethod) {
	if p.locked() {
		return
	}
	p.method, p.entry, p.notes = m, "", 0
	switch m {
	case fiscal.Cash:
		p.setMessage(tr("cash.hint"), false)
	default:
		p.setMessage(tr("electronic.choose.hint"), false)
	}
	p.refresh()
}

func (p *paymentScreen) chooseDoc(kind string) {
	if p.locked() {
		return
	}
	p.docKind = kind
	p.refresh()
	if kind == "invoice" && p.customer == nil {
		p.pickCustomer()
	}
}

func (p *paymentScreen) pickCustomer() {
	if p.t.customer == nil || p.locked() {
		return
	}
	p.t.customer.open()
	p.t.show(p.t.customer)
}

// customerChosen comes back from the customer screen.
func (p *paymentScreen) customerChosen(c checkout.Customer) {
	p.customer = &c
	p.docKind = "invoice"
	p.t.show(p.t.payment)
	p.refresh()
}

func (p *paymentScreen) digit(d string) {
	if p.locked() || p.method == "" {
		return
	}
	next := strings.TrimLeft(p.entry+d, "0")
	if v, _ := strconv.ParseInt(next, 10, 64); len(next) > 9 || money.Cents(v)+p.notes > money.MaxAmount {
		p.setMessage(errorText(checkout.ErrAmountTooLarge), true)
		return
	}
	p.entry = next
	p.refresh()
}

func (p *paymentScreen) addNote(v money.Cents) {
	if p.locked() {
		return
	}
	if p.method != fiscal.Cash {
		p.choose(fiscal.Cash)
	}
	if p.tenderedAmount()+v > money.MaxAmount {
		p.setMessage(errorText(checkout.ErrAmountTooLarge), true)
		return
	}
	p.notes += v
	p.refresh()
}

func (p *paymentScreen) exact() {
	if p.locked() {
		return
	}
	p.method, p.entry, p.notes = fiscal.Cash, "", 0
	p.refresh()
}

func (p *paymentScreen) clearTender() {
	p.entry, p.notes = "", 0
	p.refresh()
}

// goBack returns to the sale. A sale with an unknown payment is set aside instead: it stays in
// the journal while the till keeps asking the terminal, and the cashier takes the next sale.
func (p *paymentScreen) goBack() {
	switch {
	case p.busy:
	case p.unresolved() != nil:
		p.t.park(tr("payment.set.aside"))
	case p.approved() == 0:
		p.t.show(p.t.sale)
	}
}

func (p *paymentScreen) confirmCancel() {
	dialog.ShowConfirm(tr("cancel.sale.reverse"), tr("cancel.sale.reverse.confirm"), func(ok bool) {
		if ok {
			p.t.cancelWithReversal()
		}
	}, p.t.win)
}

func (p *paymentScreen) typedRune(r rune) {
	if r >= '0' && r <= '9' {
		p.digit(string(r))
	}
}

func (p *paymentScreen) typedKey(k fyne.KeyName) {
	switch k {
	case fyne.KeyBackspace:
		if p.locked() {
			return
		}
		if p.entry != "" {
			p.entry = p.entry[:len(p.entry)-1]
		} else {
			p.notes = 0
		}
		p.refresh()
	case fyne.KeyReturn, fyne.KeyEnter:
		if p.locked() {
			return
		}
		if p.method == "" && p.dueNow > 0 {
			p.choose(fiscal.Cash)
			return
		}
		p.doConfirm()
	case fyne.KeyEscape:
		p.goBack()
	}
}
