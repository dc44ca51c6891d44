package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

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
	p.t.ask(question{title: tr("cancel.sale.reverse"), text: tr("cancel.sale.reverse.confirm"), destructive: true,
		onYes: p.t.cancelWithReversal})
}

// methodKeys are the payment screen's keys for its methods and documents, shown on their
// buttons: F keys, since letters and digits type amounts.
var methodKeys = map[fyne.KeyName]func(p *paymentScreen){
	fyne.KeyF1: func(p *paymentScreen) { p.chooseShown(p.cashBtn, fiscal.Cash) },
	fyne.KeyF2: func(p *paymentScreen) { p.chooseShown(p.cardBtn, fiscal.Card) },
	fyne.KeyF3: func(p *paymentScreen) { p.chooseShown(p.cfBtn, fiscal.Coverflex) },
	fyne.KeyF4: func(p *paymentScreen) { p.chooseDocShown(p.receipt, "receipt") },
	fyne.KeyF5: func(p *paymentScreen) { p.chooseDocShown(p.invoice, "invoice") },
}

// methodKeyNames is what the buttons show of methodKeys.
var methodKeyNames = map[string]string{string(fiscal.Cash): "F1", string(fiscal.Card): "F2", string(fiscal.Coverflex): "F3",
	"receipt": "F4", "invoice": "F5"}

// chooseShown chooses a method by its key as a tap on its button would: only when the button
// is there to tap (Carta without terminals, Coverflex where it is not offered, are not).
func (p *paymentScreen) chooseShown(b *widget.Button, m fiscal.PaymentMethod) {
	if b.Visible() && !b.Disabled() && p.methods.Visible() {
		p.choose(m)
	}
}

func (p *paymentScreen) chooseDocShown(b *widget.Button, kind string) {
	if b.Visible() && !b.Disabled() && p.docs.Visible() {
		p.chooseDoc(kind)
	}
}

func (p *paymentScreen) typedRune(r rune) {
	if r >= '0' && r <= '9' {
		p.digit(string(r))
	}
}

func (p *paymentScreen) typedKey(k fyne.KeyName) {
	if choose, ok := methodKeys[k]; ok {
		choose(p)
		return
	}
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
