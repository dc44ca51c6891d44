package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/app/config"
	"till/fiscal"
	"till/money"
)

// paymentScreen shows the amount due, the payment methods (Coverflex only where it is
// offered), the document (receipt or invoice) and, for the chosen method, the amount: cash
// tendered with quick buttons for the common notes, or the part paid on a terminal.
type paymentScreen struct {
	t        *Till
	root     fyne.CanvasObject
	due      *widget.Label
	paid     *widget.Label
	cashBtn  *widget.Button
	cardBtn  *widget.Button
	cfBtn    *widget.Button
	receipt  *widget.Button
	invoice  *widget.Button
	custBtn  *widget.Button
	cashBox  *fyne.Container
	elecBox  *fyne.Container
	amount   *widget.Label
	tendered *widget.Label
	change   *widget.Label
	message  *widget.Label
	confirm  *widget.Button
	back     *widget.Button
	cancel   *widget.Button
	hand     *widget.Button
	actions  *fyne.Container

	method   fiscal.PaymentMethod // "" until chosen
	entry    string               // digits typed, read as cents
	notes    money.Cents
	busy     bool
	docKind  string // "receipt" or "invoice"
	customer *checkout.Customer
	dueNow   money.Cents
	attempts []checkout.Attempt
	avail    config.Availability
	cards    []config.Device // terminals enabled for this till, for card payments
	merchant string
}

func newPaymentScreen(t *Till) *paymentScreen {
	p := &paymentScreen{t: t, docKind: "receipt"}
	p.due = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.due.SizeName = theme.SizeNameHeadingText
	p.paid = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	p.paid.Wrapping = fyne.TextWrapWord
	p.tendered = bigLabel(fyne.TextStyle{Bold: true, Monospace: true})
	p.change = bigLabel(fyne.TextStyle{Bold: true})
	p.amount = bigLabel(fyne.TextStyle{Bold: true, Monospace: true})
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord

	p.cashBtn = bigButton(tr("method.cash"), widget.HighImportance, func() { p.choose(fiscal.Cash) })
	p.cardBtn = bigButton(tr("method.card"), widget.HighImportance, func() { p.choose(fiscal.Card) })
	p.cfBtn = bigButton(tr("method.coverflex"), widget.HighImportance, func() { p.choose(fiscal.Coverflex) })
	methods := container.NewGridWithColumns(3, tall(p.cashBtn, 72), tall(p.cardBtn, 72), tall(p.cfBtn, 72))
	p.receipt = bigButton(tr("doc.receipt"), widget.MediumImportance, func() { p.chooseDoc("receipt") })
	p.invoice = bigButton(tr("doc.invoice"), widget.MediumImportance, func() { p.chooseDoc("invoice") })
	p.custBtn = bigButton(tr("doc.customer"), widget.MediumImportance, p.pickCustomer)
	docs := container.NewGridWithColumns(3, p.receipt, p.invoice, p.custBtn)

	quick := container.NewGridWithColumns(5)
	for _, euros := range []money.Cents{500, 1000, 2000, 5000} {
		euros := euros
		quick.Add(bigButton(euros.String(), widget.MediumImportance, func() { p.addNote(euros) }))
	}
	quick.Add(bigButton(tr("cash.exact"), widget.MediumImportance, p.exact))
	amounts := container.NewGridWithColumns(2,
		widget.NewLabel(tr("cash.tendered")), p.tendered,
		widget.NewLabel(tr("cash.change")), p.change)
	p.cashBox = container.NewVBox(amounts, tall(quick, minTouch))
	p.elecBox = container.NewVBox(container.NewGridWithColumns(2, widget.NewLabel(tr("electronic.amount")), p.amount),
		widget.NewLabel(tr("electronic.hint")))
	keys := keypad(p.digit, bigButton("C", widget.MediumImportance, p.clearTender))

	p.back = bigButton(tr("back"), widget.MediumImportance, p.goBack)
	p.cancel = bigButton(tr("cancel.sale.reverse"), widget.DangerImportance, p.confirmCancel)
	p.confirm = bigButton(tr("confirm"), widget.SuccessImportance, p.doConfirm)
	p.hand = bigButton(tr("hand.button"), widget.WarningImportance, p.resolveByHand)
	p.actions = container.NewGridWithColumns(2, p.back, p.confirm)
	bottom := container.NewVBox(p.message, tall(p.actions, 64))
	top := container.NewVBox(container.NewGridWithColumns(2,
		container.NewVBox(widget.NewLabelWithStyle(tr("due"), fyne.TextAlignCenter, fyne.TextStyle{}), p.due), p.paid),
		methods, tall(docs, 48), p.cashBox, p.elecBox)
	p.root = container.NewBorder(top, bottom, nil, nil, keys)
	return p
}

func bigLabel(style fyne.TextStyle) *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, style)
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func (p *paymentScreen) content() fyne.CanvasObject { return p.root }

// open resets the screen for the current sale and loads, in the background, what was already
// paid and which terminals this till may use.
func (p *paymentScreen) open() {
	p.method, p.entry, p.notes, p.busy = "", "", 0, false
	p.dueNow, p.attempts = p.t.register.Sale().Total(), nil
	p.setMessage(tr("choose.method"), false)
	p.refresh()
	p.reload()
}

func (p *paymentScreen) reload() {
	sale := p.t.register.Sale()
	t := p.t
	t.bridge.run(func() func() {
		ctx := context.Background()
		due, attempts, err := t.deps.Checkout.Due(ctx, sale)
		var doc *config.Document
		var cerr error
		if t.deps.Devices != nil {
			doc, cerr = t.deps.Devices.Config(ctx)
		}
		return func() {
			if err != nil {
				p.setMessage(errorText(err), true)
				return
			}
			p.dueNow, p.attempts = due, attempts
			p.avail = config.Coverflex(doc)
			p.cards, p.merchant = nil, ""
			if doc != nil {
				p.cards, p.merchant = doc.TerminalsFor(doc.Till.ID), doc.SalesPoint.CoverflexMerchantID
			}
			if cerr != nil {
				p.setMessage(errorText(cerr), true)
			}
			p.refresh()
		}
	})
}

func (p *paymentScreen) typed() money.Cents {
	v, _ := strconv.ParseInt(p.entry, 10, 64)
	return money.Cents(v)
}

func (p *paymentScreen) tenderedAmount() money.Cents { return p.typed() + p.notes }

// electronicAmount is the part to send to the terminal: what was typed, or all that is due.
func (p *paymentScreen) electronicAmount() money.Cents {
	if p.entry == "" {
		return p.dueNow
	}
	return p.typed()
}

func (p *paymentScreen) approved() money.Cents { return checkout.Approved(p.attempts) }

func (p *paymentScreen) refresh() {
	wasCash, wasElec := p.cashBox.Visible(), p.elecBox.Visible()
	p.cashBox.Hidden = p.method != fiscal.Cash
	p.elecBox.Hidden = p.method != fiscal.Card && p.method != fiscal.Coverflex
	highlight := func(b *widget.Button, on bool, base widget.Importance) {
		b.Importance = base
		if on {
			b.Importance = widget.SuccessImportance
		}
		b.Refresh()
	}
	highlight(p.cashBtn, p.method == fiscal.Cash, widget.HighImportance)
	highlight(p.cardBtn, p.method == fiscal.Card, widget.HighImportance)
	highlight(p.cfBtn, p.method == fiscal.Coverflex, widget.HighImportance)
	highlight(p.receipt, p.docKind == "receipt", widget.MediumImportance)
	highlight(p.invoice, p.docKind == "invoice", widget.MediumImportance)
	showIf(p.cfBtn, p.avail.Offered)
	showIf(p.cardBtn, len(p.cards) > 0)
	showIf(p.invoice, p.t.customer != nil)
	showIf(p.custBtn, p.docKind == "invoice")
	if p.customer != nil {
		p.custBtn.SetText(tr("doc.customer") + ": " + customerSummary(*p.customer))
	} else {
		p.custBtn.SetText(tr("doc.customer.choose"))
	}
	p.due.SetText(p.dueNow.String())
	var paid []string
	for _, a := range p.attempts {
		if a.State == checkout.AttemptApproved {
			paid = append(paid, fmt.Sprintf("%s %s ✓", methodName(a.Method), a.Authorized))
		}
	}
	p.paid.SetText(strings.Join(paid, "\n"))
	tendered := p.tenderedAmount()
	if tendered == 0 {
		p.tendered.SetText(p.dueNow.Plain() + " " + tr("cash.exact.short"))
		p.change.SetText(money.Cents(0).String())
	} else {
		p.tendered.SetText(tendered.String())
		if change, err := checkout.CashChange(p.dueNow, tendered); err == nil {
			p.change.SetText(change.String())
		} else {
			p.change.SetText("—")
		}
	}
	p.amount.SetText(p.electronicAmount().String())
	enable(p.confirm, !p.busy && (p.method != "" || p.dueNow == 0) && !p.t.printUnknown)
	showIf(p.hand, p.unresolved() != nil)
	locked := p.approved() > 0 || p.unresolved() != nil
	enable(p.back, !p.busy && !locked)
	showIf(p.cancel, locked)
	enable(p.cancel, !p.busy)
	p.layoutActions()
	if wasCash != p.cashBox.Visible() || wasElec != p.elecBox.Visible() {
		p.root.Refresh() // lay the panels out again: they had no size while hidden
	}
}

// layoutActions puts only the visible action buttons in the bottom row, each as wide as the
// others: a grid with hidden buttons would leave holes.
func (p *paymentScreen) layoutActions() {
	var shown []fyne.CanvasObject
	for _, b := range []*widget.Button{p.back, p.hand, p.cancel, p.confirm} {
		if b.Visible() {
			shown = append(shown, b)
		}
	}
	p.actions.Objects = shown
	p.actions.Layout = layout.NewGridLayoutWithColumns(len(shown))
	p.actions.Refresh()
}

func showIf(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (p *paymentScreen) setMessage(text string, isError bool) {
	p.message.SetText(text)
	p.message.Importance = widget.MediumImportance
	if isError {
		p.message.Importance = widget.DangerImportance
	}
	p.message.Refresh()
}

func (p *paymentScreen) choose(m fiscal.PaymentMethod) {
	if p.busy {
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
	if p.busy {
		return
	}
	p.docKind = kind
	p.refresh()
	if kind == "invoice" && p.customer == nil {
		p.pickCustomer()
	}
}

func (p *paymentScreen) pickCustomer() {
	if p.t.customer == nil || p.busy {
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
	if p.busy || p.method == "" {
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
	if p.busy {
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
	if p.busy {
		return
	}
	p.method, p.entry, p.notes = fiscal.Cash, "", 0
	p.refresh()
}

func (p *paymentScreen) clearTender() {
	p.entry, p.notes = "", 0
	p.refresh()
}

func (p *paymentScreen) goBack() {
	if p.busy || p.approved() > 0 {
		return
	}
	p.t.show(p.t.sale)
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
		if p.entry != "" {
			p.entry = p.entry[:len(p.entry)-1]
		} else {
			p.notes = 0
		}
		p.refresh()
	case fyne.KeyReturn, fyne.KeyEnter:
		if p.method == "" && p.dueNow > 0 {
			p.choose(fiscal.Cash)
			return
		}
		p.doConfirm()
	case fyne.KeyEscape:
		p.goBack()
	}
}
