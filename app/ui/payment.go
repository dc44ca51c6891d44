package ui

import (
	"context"
	"errors"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/money"
)

// paymentScreen shows the amount due and the payment methods; for cash, the amount tendered
// with quick buttons for the common notes, and the change.
type paymentScreen struct {
	t        *Till
	root     fyne.CanvasObject
	due      *widget.Label
	cashBtn  *widget.Button
	cashBox  *fyne.Container
	tendered *widget.Label
	change   *widget.Label
	message  *widget.Label
	confirm  *widget.Button
	back     *widget.Button

	method string // "" until chosen, then "cash"
	entry  string // digits typed for the tendered amount, read as cents
	notes  money.Cents
	busy   bool
}

func newPaymentScreen(t *Till) *paymentScreen {
	p := &paymentScreen{t: t}
	p.due = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.due.SizeName = theme.SizeNameHeadingText
	p.tendered = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true, Monospace: true})
	p.tendered.SizeName = theme.SizeNameHeadingText
	p.change = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	p.change.SizeName = theme.SizeNameHeadingText
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord

	p.cashBtn = bigButton(tr("method.cash"), widget.HighImportance, p.chooseCash)
	methods := container.NewGridWithColumns(3, tall(p.cashBtn, 80))

	quick := container.NewGridWithColumns(5)
	for _, euros := range []money.Cents{500, 1000, 2000, 5000} {
		euros := euros
		quick.Add(bigButton(euros.String(), widget.MediumImportance, func() { p.addNote(euros) }))
	}
	quick.Add(bigButton(tr("cash.exact"), widget.MediumImportance, p.exact))
	keys := keypad(p.digit, bigButton("C", widget.MediumImportance, p.clearTender))
	amounts := container.NewGridWithColumns(2,
		widget.NewLabel(tr("cash.tendered")), p.tendered,
		widget.NewLabel(tr("cash.change")), p.change)
	p.cashBox = container.NewBorder(container.NewVBox(amounts, tall(quick, minTouch)), nil, nil, nil, keys)

	p.back = bigButton(tr("back"), widget.MediumImportance, p.goBack)
	p.confirm = bigButton(tr("confirm"), widget.SuccessImportance, p.doConfirm)
	bottom := container.NewVBox(p.message, tall(container.NewGridWithColumns(2, p.back, p.confirm), 72))
	top := container.NewVBox(widget.NewLabelWithStyle(tr("due"), fyne.TextAlignCenter, fyne.TextStyle{}), p.due, methods)
	p.root = container.NewBorder(top, bottom, nil, nil, p.cashBox)
	return p
}

func (p *paymentScreen) content() fyne.CanvasObject { return p.root }

// open resets the screen for the current sale.
func (p *paymentScreen) open() {
	p.method, p.entry, p.notes, p.busy = "", "", 0, false
	p.due.SetText(p.t.register.Sale().Total().String())
	p.setMessage(tr("choose.method"), false)
	p.refresh()
}

func (p *paymentScreen) tenderedAmount() money.Cents {
	v, _ := strconv.ParseInt(p.entry, 10, 64)
	return money.Cents(v) + p.notes
}

func (p *paymentScreen) refresh() {
	wasVisible := p.cashBox.Visible()
	if p.method == "cash" {
		p.cashBox.Show()
		p.cashBtn.Importance = widget.SuccessImportance
	} else {
		p.cashBox.Hide()
		p.cashBtn.Importance = widget.HighImportance
	}
	if wasVisible != p.cashBox.Visible() {
		p.root.Refresh() // lay the cash panel out again: it had no size while hidden
	}
	p.cashBtn.Refresh()
	total := p.t.register.Sale().Total()
	tendered := p.tenderedAmount()
	if tendered == 0 {
		p.tendered.SetText(total.Plain() + " " + tr("cash.exact.short"))
		p.change.SetText(money.Cents(0).String())
	} else {
		p.tendered.SetText(tendered.String())
		if change, err := checkout.CashChange(total, tendered); err == nil {
			p.change.SetText(change.String())
		} else {
			p.change.SetText("—")
		}
	}
	if p.busy || p.method == "" || p.t.printUnknown {
		p.confirm.Disable()
	} else {
		p.confirm.Enable()
	}
	if p.busy {
		p.back.Disable()
	} else {
		p.back.Enable()
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

func (p *paymentScreen) chooseCash() {
	if p.busy {
		return
	}
	p.method = "cash"
	p.setMessage(tr("cash.hint"), false)
	p.refresh()
}

func (p *paymentScreen) digit(d string) {
	if p.busy || p.method == "" {
		return
	}
	next := p.entry + d
	for len(next) > 0 && next[0] == '0' {
		next = next[1:]
	}
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
	if p.method == "" {
		p.method = "cash"
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
	p.method, p.entry, p.notes = "cash", "", 0
	p.refresh()
}

func (p *paymentScreen) clearTender() {
	p.entry, p.notes = "", 0
	p.refresh()
}

func (p *paymentScreen) goBack() {
	if p.busy {
		return
	}
	p.t.show(p.t.sale)
}

// doConfirm pays in cash: nothing typed means the exact amount. Printing and recording run in
// the background; the screen stays until they are done.
func (p *paymentScreen) doConfirm() {
	if p.busy || p.method != "cash" {
		return
	}
	sale := p.t.register.Sale()
	tendered := p.tenderedAmount()
	if tendered == 0 {
		tendered = sale.Total()
	}
	if _, err := checkout.CashChange(sale.Total(), tendered); err != nil {
		p.setMessage(errorText(err), true)
		return
	}
	p.busy = true
	p.setMessage(tr("printing"), false)
	p.refresh()
	p.t.bridge.run(func() func() {
		done, err := p.t.deps.Checkout.PayCash(context.Background(), sale, tendered)
		return func() {
			p.busy = false
			if err != nil {
				p.t.savedPending = true
				p.t.printUnknown = p.t.printUnknown || errors.Is(err, checkout.ErrPrintUnknown)
				p.setMessage(errorText(err), true)
				p.refresh()
				return
			}
			p.t.finishSale(done)
		}
	})
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
		if p.method == "" {
			p.chooseCash()
			return
		}
		p.doConfirm()
	case fyne.KeyEscape:
		p.goBack()
	}
}

// startPayment opens the payment screen, unless the sale is empty.
func (t *Till) startPayment() {
	if len(t.register.Sale().Lines) == 0 {
		t.sale.setMessage(errorText(checkout.ErrEmptySale), true)
		return
	}
	t.register.ClearEntry()
	t.sale.refreshDisplay()
	t.payment.open()
	t.show(t.payment)
}

// finishSale starts a new sale and tells the cashier the receipt number and the change.
func (t *Till) finishSale(done checkout.Completed) {
	t.register.Clear()
	t.savedPending, t.printUnknown = false, false
	t.sale.apply(nil)
	msg := tr("sale.done", map[string]any{"Number": done.Document.ID(), "Total": done.Total.String()})
	if done.Change > 0 {
		msg += " · " + tr("sale.change", map[string]any{"Change": done.Change.String()})
	}
	t.sale.setMessage(msg, false)
	t.show(t.sale)
}
