package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
// tendered with quick buttons for the common notes, or the part paid on a terminal. A sale
// with a payment whose outcome is unknown offers no way to pay: it shows that payment, and a
// manager may settle it from the terminal's slip.
type paymentScreen struct {
	t        *Till
	root     fyne.CanvasObject
	due      *widget.Label
	paid     *widget.Label
	openInfo *widget.Label // the payment whose outcome is unknown
	methods  *fyne.Container
	docs     fyne.CanvasObject
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
	handBtn  *widget.Button
	actions  *fyne.Container

	method   fiscal.PaymentMethod // "" until chosen
	entry    string               // digits typed, read as cents
	notes    money.Cents
	busy     bool
	loading  bool   // the sale's payments are being read: nothing can be confirmed yet
	docKind  string // "receipt" or "invoice"
	customer *checkout.Customer
	dueNow   money.Cents
	attempts []checkout.Attempt
	avail    config.Availability
	doc      *config.Document // the configuration shown: a payment uses its devices
	cards    []config.Device  // terminals enabled for this till, for card payments
	merchant string
	hand     *handForm // the open "resolve by hand" dialog, if any
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
	p.openInfo = widget.NewLabel("")
	p.openInfo.Wrapping = fyne.TextWrapWord
	p.openInfo.Importance = widget.WarningImportance
	p.openInfo.TextStyle = fyne.TextStyle{Bold: true}

	p.cashBtn = bigButton(tr("method.cash"), widget.HighImportance, func() { p.choose(fiscal.Cash) })
	p.cardBtn = bigButton(tr("method.card"), widget.HighImportance, func() { p.choose(fiscal.Card) })
	p.cfBtn = bigButton(tr("method.coverflex"), widget.HighImportance, func() { p.choose(fiscal.Coverflex) })
	p.methods = container.NewGridWithColumns(3, tall(withKey(p.cashBtn, methodKeyNames[string(fiscal.Cash)]), 72),
		tall(withKey(p.cardBtn, methodKeyNames[string(fiscal.Card)]), 72), tall(withKey(p.cfBtn, methodKeyNames[string(fiscal.Coverflex)]), 72))
	p.receipt = bigButton(tr("doc.receipt"), widget.MediumImportance, func() { p.chooseDoc("receipt") })
	p.invoice = bigButton(tr("doc.invoice"), widget.MediumImportance, func() { p.chooseDoc("invoice") })
	p.custBtn = bigButton(tr("doc.customer"), widget.MediumImportance, p.pickCustomer)
	p.docs = tall(container.NewGridWithColumns(3, withKey(p.receipt, methodKeyNames["receipt"]),
		withKey(p.invoice, methodKeyNames["invoice"]), p.custBtn), 48)

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
	p.cancel = bigButton(tr("cancel.sale.reverse"), widget.DangerImportance, func() {
		t.asManager("cancel.sale.reverse", func(checkout.Operator) { p.confirmCancel() })
	})
	p.confirm = bigButton(tr("confirm"), widget.SuccessImportance, p.doConfirm)
	p.handBtn = bigButton(tr("hand.button"), widget.WarningImportance, p.resolveByHand)
	p.actions = container.NewGridWithColumns(2, p.back, p.confirm)
	bottom := container.NewVBox(p.message, tall(p.actions, 64))
	top := container.NewVBox(container.NewGridWithColumns(2,
		container.NewVBox(widget.NewLabelWithStyle(tr("due"), fyne.TextAlignCenter, fyne.TextStyle{}), p.due), p.paid),
		p.openInfo, p.methods, p.docs, p.cashBox, p.elecBox)
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
	p.method, p.entry, p.notes, p.busy, p.loading = "", "", 0, false, true
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
			p.loading = false
			if err != nil {
				p.setMessage(errorText(err), true)
				p.refresh()
				return
			}
			p.dueNow, p.attempts = due, attempts
			p.avail, p.doc = config.Coverflex(doc), doc
			p.cards, p.merchant = nil, ""
			if doc != nil {
				p.cards, p.merchant = doc.TerminalsFor(doc.Till.ID), doc.SalesPoint.CoverflexMerchantID
			}
			switch a := p.unresolved(); {
			case cerr != nil:
				p.setMessage(errorText(cerr), true)
			case a != nil && p.method == "":
				p.setMessage(tr("payment.open.hint"), true)
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
	wasCash, wasElec, wasOpen := p.cashBox.Visible(), p.elecBox.Visible(), p.openInfo.Visible()
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
		// A third of the screen's width: the documents' row has three buttons.
		p.custBtn.SetText(fitButton(tr("doc.customer")+": "+customerSummary(*p.customer), (p.t.room().Width-2*theme.Padding())/3))
	} else {
		p.custBtn.SetText(tr("doc.customer.choose"))
	}
	open := p.unresolved()
	p.due.SetText(dueText(p.dueNow, p.waiting()))
	var paid []string
	for _, a := range p.attempts {
		switch {
		case a.State == checkout.AttemptApproved:
			paid = append(paid, fmt.Sprintf("%s %s ✓", methodName(a.Method), a.Authorized))
		case a.State.Unresolved():
			paid = append(paid, tr("payment.waiting.line", map[string]any{"Method": methodName(a.Method),
				"Amount": a.Requested.String(), "Device": p.deviceName(a)}))
		}
	}
	p.paid.SetText(keepEuroAttached(strings.Join(paid, "\n")))
	showIf(p.methods, open == nil)
	showIf(p.docs, open == nil)
	showIf(p.openInfo, open != nil)
	if open != nil {
		p.openInfo.SetText(keepEuroAttached(tr("payment.open", map[string]any{"Method": methodName(open.Method), "Amount": open.Requested.String(),
			"Device": p.deviceName(*open)})))
	}
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
	// With an unknown payment nothing may be paid: only a manager's settlement, or Indietro,
	// which sets the sale aside in the journal.
	showIf(p.confirm, open == nil)
	enable(p.confirm, p.canConfirm())
	showIf(p.handBtn, open != nil)
	enable(p.handBtn, !p.busy)
	locked := p.approved() > 0
	enable(p.back, !p.busy && (!locked || open != nil))
	showIf(p.cancel, locked && open == nil)
	enable(p.cancel, !p.busy)
	p.layoutActions()
	if wasCash != p.cashBox.Visible() || wasElec != p.elecBox.Visible() || wasOpen != p.openInfo.Visible() {
		p.root.Refresh() // lay the panels out again: they had no size while hidden
	}
}

// layoutActions puts only the visible action buttons in the bottom row, each as wide as the
// others: a grid with hidden buttons would leave holes.
func (p *paymentScreen) layoutActions() {
	var shown []fyne.CanvasObject
	for _, b := range []*widget.Button{p.back, p.handBtn, p.cancel, p.confirm} {
		if b.Visible() {
			shown = append(shown, b)
		}
	}
	p.actions.Objects = shown
	p.actions.Layout = layout.NewGridLayoutWithColumns(len(shown))
	p.actions.Refresh()
}

// canConfirm tells whether CONFERMA may start a payment or issue the document now.
func (p *paymentScreen) canConfirm() bool {
	return !p.busy && !p.loading && p.unresolved() == nil && !p.t.printUnknown && (p.method != "" || p.dueNow == 0)
}

// unresolved returns the sale's first attempt whose outcome is not known.
func (p *paymentScreen) unresolved() *checkout.Attempt {
	for i := range p.attempts {
		if p.attempts[i].State.Unresolved() {
			return &p.attempts[i]
		}
	}
	return nil
}

// waiting is what the sale's terminals may have taken without the till knowing yet.
func (p *paymentScreen) waiting() money.Cents { return checkout.Waiting(p.attempts) }

// dueText is DA PAGARE: what is left once the unknown payments are set apart, and those named
// as waiting, so the screen never suggests paying again what a terminal may have charged.
func dueText(due, waiting money.Cents) string {
	if waiting <= 0 {
		return due.String()
	}
	rest := max(due-waiting, 0)
	if rest == 0 {
		return tr("due.waiting.only", map[string]any{"Waiting": waiting.String()})
	}
	return tr("due.waiting", map[string]any{"Rest": rest.String(), "Waiting": waiting.String()})
}

// deviceName is the name people know an attempt's terminal by, from the configuration shown.
func (p *paymentScreen) deviceName(a checkout.Attempt) string {
	return deviceName(p.doc, a)
}

func deviceName(doc *config.Document, a checkout.Attempt) string {
	if doc != nil {
		for _, d := range doc.PaymentDevices {
			if d.ID == a.DeviceID && d.Name != "" {
				return d.Name
			}
		}
	}
	return tr("device.unnamed", map[string]any{"Terminal": a.TerminalID})
}

// errorText is errorText with the names this screen knows: a payment refused because an
// unknown payment holds the sale or the terminal says which terminal, for how much, and why.
func (p *paymentScreen) errorText(err error) string {
	var be *checkout.BlockedError
	if errors.As(err, &be) {
		data := map[string]any{"Method": methodName(be.Attempt.Method), "Amount": be.Attempt.Requested.String(),
			"Device": p.deviceName(be.Attempt)}
		if be.SameSale {
			return tr("err.blocked.sale", data)
		}
		return tr("err.blocked.terminal", data)
	}
	return errorText(err)
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
	p.message.SetText(keepEuroAttached(text))
	p.message.Importance = widget.MediumImportance
	if isError {
		p.message.Importance = widget.DangerImportance
	}
	p.message.Refresh()
}

// hasOpenAttempts tells whether the sale has a payment that is approved or not settled yet.
func (p *paymentScreen) hasOpenAttempts() bool {
	for _, a := range p.attempts {
		if a.State.Open() {
			return true
		}
	}
	return false
}
