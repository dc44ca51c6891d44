package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	"till/money"
)

// The quick choices of the discount keypad, per kind.
var (
	quickPercents = []int64{5, 10, 20, 50}
	quickAmounts  = []money.Cents{50, 100, 200, 500}
)

// maxPercentDigits: a percentage is typed whole, 1 to 99.
const maxPercentDigits = 2

// discountDialog asks for a discount on a line or on the whole sale with an on-screen keypad,
// like the payment screen's: a whole percentage, or an amount typed in cents as on the sale
// keypad (150 = 1,50 €). The register decides whether it is allowed; a discount over half of
// what it applies to is applied only once the cashier confirms it.
type discountDialog struct {
	s       *saleScreen
	line    int  // the line discounted; -1 for the whole sale
	percent bool // the kind typed: a percentage or an amount
	entry   string
	fresh   bool // entry is the discount already set: the first digit replaces it

	display      *widget.Label
	pct, eur     *widget.Button
	quick        []*widget.Button
	message      *widget.Label
	dlg          *modal
	confirming   *modal // the "over 50 %" question, while it is open
	confirmLabel *widget.Label
}

// discountLine opens the discount of the selected line, or of the last one when none is.
func (s *saleScreen) discountLine() {
	lines := s.t.register.Sale().Lines
	if len(lines) == 0 {
		s.setMessage(tr("err.discount.no.line"), true)
		return
	}
	line := s.selected
	if line < 0 || line >= len(lines) {
		line = len(lines) - 1
	}
	s.openDiscount(line)
}

// discountSale opens the discount of the whole sale.
func (s *saleScreen) discountSale() {
	if len(s.t.register.Sale().Lines) == 0 {
		s.setMessage(tr("err.discount.no.line"), true)
		return
	}
	s.openDiscount(-1)
}

func (s *saleScreen) openDiscount(line int) {
	s.scan.reset()
	sale := s.t.register.Sale()
	d := &discountDialog{s: s, line: line, percent: true}
	current := sale.Discount
	// The base, not the subtotal: stamp duty and deposits (N1) take no part of a sale discount.
	title := tr("discount.title.sale", map[string]any{"Subtotal": sale.DiscountBase().String()})
	if line >= 0 {
		l := sale.Lines[line]
		current = l.Discount
		title = tr("discount.title.line", map[string]any{"N": line + 1, "Description": l.Description, "Amount": l.Gross().String()})
	}
	switch {
	case current.Percent > 0 && current.Percent%100 == 0:
		d.entry = strconv.FormatInt(int64(current.Percent)/100, 10)
	case current.Amount > 0:
		d.percent, d.entry = false, strconv.FormatInt(int64(current.Amount), 10)
	}
	d.fresh = d.entry != ""
	d.build(title)
	s.discount = d
	d.dlg.show()
}

func (d *discountDialog) build(title string) {
	d.display = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true, Monospace: true})
	d.display.SizeName = theme.SizeNameHeadingText
	d.message = widget.NewLabel("")
	d.message.Wrapping = fyne.TextWrapWord
	d.message.Importance = widget.DangerImportance
	d.pct = bigButton(tr("discount.kind.percent"), widget.MediumImportance, func() { d.setKind(true) })
	d.eur = bigButton(tr("discount.kind.amount"), widget.MediumImportance, func() { d.setKind(false) })
	quick := container.NewGridWithColumns(len(quickPercents))
	for i := range quickPercents {
		b := bigButton("", widget.MediumImportance, func() { d.quickTapped(i) })
		d.quick = append(d.quick, b)
		quick.Add(b)
	}
	keys := keypad(d.digit, bigButton("⌫", widget.MediumImportance, d.backspace))
	actions := container.NewGridWithColumns(3,
		withKey(bigButton(tr("discount.cancel"), widget.MediumImportance, d.close), tr("keys.esc")),
		bigButton(tr("discount.remove"), widget.WarningImportance, d.remove),
		withKey(bigButton(tr("discount.apply"), widget.SuccessImportance, func() { d.apply(false) }), tr("keys.enter")))
	content := container.NewVBox(minWidth(440), // room for the texts of the kinds and the actions
		tall(container.NewGridWithColumns(2, d.pct, d.eur), minTouch),
		d.display,
		tall(quick, minTouch),
		tall(keys, 4*minTouch),
		d.message,
		tall(actions, minTouch))
	d.dlg = d.s.t.newModal(title, content, modalKeys{enter: func() { d.apply(false) }, escape: d.close,
		char: d.typedRune, key: d.typedKey})
	d.refresh()
}

func (d *discountDialog) refresh() {
	d.pct.Importance, d.eur.Importance = widget.MediumImportance, widget.MediumImportance
	if d.percent {
		d.pct.Importance = widget.HighImportance
		d.display.SetText(d.entryText() + " %")
		for i, b := range d.quick {
			b.SetText(strconv.FormatInt(quickPercents[i], 10) + " %")
		}
	} else {
		d.eur.Importance = widget.HighImportance
		d.display.SetText(d.value().Amount.String())
		for i, b := range d.quick {
			b.SetText(quickAmounts[i].String())
		}
	}
	d.pct.Refresh()
	d.eur.Refresh()
}

func (d *discountDialog) entryText() string {
	if d.entry == "" {
		return "0"
	}
	return d.entry
}

// value is the discount typed.
func (d *discountDialog) value() checkout.Discount {
	n, _ := strconv.ParseInt(d.entry, 10, 64)
	if d.percent {
		return checkout.Discount{Percent: money.Rate(n * 100)}
	}
	return checkout.Discount{Amount: money.Cents(n)}
}

func (d *discountDialog) setKind(percent bool) {
	if d.percent != percent {
		d.percent, d.entry = percent, ""
	}
	d.message.SetText("")
	d.refresh()
}

func (d *discountDialog) digit(k string) {
	if d.fresh {
		d.entry, d.fresh = "", false
	}
	next := strings.TrimLeft(d.entry+k, "0")
	limit := maxEntryDigits
	if d.percent {
		limit = maxPercentDigits
	}
	if len(next) > limit {
		return // the display shows what was kept; a longer number cannot be a discount
	}
	d.entry = next
	d.message.SetText("")
	d.refresh()
}

func (d *discountDialog) backspace() {
	d.fresh = false
	if d.entry != "" {
		d.entry = d.entry[:len(d.entry)-1]
	}
	d.refresh()
}

func (d *discountDialog) quickTapped(i int) {
	if d.percent {
		d.entry = strconv.FormatInt(quickPercents[i], 10)
	} else {
		d.entry = strconv.FormatInt(int64(quickAmounts[i]), 10)
	}
	d.message.SetText("")
	d.refresh()
}

func (d *discountDialog) remove() {
	d.entry = ""
	d.set(checkout.Discount{}, true)
}

// apply sets the discount typed; one over half of what it applies to asks first.
func (d *discountDialog) apply(confirmed bool) {
	if d.entry == "" {
		d.message.SetText(tr("discount.type"))
		return
	}
	d.set(d.value(), confirmed)
}

func (d *discountDialog) set(v checkout.Discount, confirmed bool) {
	r := d.s.t.register
	var err error
	if d.line >= 0 {
		err = r.DiscountLine(d.line, v, confirmed)
	} else {
		err = r.DiscountSale(v, confirmed)
	}
	switch {
	case errors.Is(err, checkout.ErrDiscountNeedsConfirm) && d.s.t.operator.IsManager():
		d.askConfirm(v)
	case errors.Is(err, checkout.ErrDiscountNeedsConfirm):
		// Over the threshold a manager decides: their PIN is the confirmation.
		d.s.t.asManager("operator.action.discount", func(checkout.Operator) { d.set(v, true) })
	case err != nil:
		d.message.SetText(errorText(err))
	default:
		d.close()
		d.s.apply(nil)
	}
}

// askConfirm asks over the dialog whether to apply a discount over half; Enter applies it (the
// cashier typed it and asked for it), Esc or No goes back to the dialog.
func (d *discountDialog) askConfirm(v checkout.Discount) {
	d.confirming = d.s.t.ask(question{title: tr("discount.confirm.title"),
		text: tr("discount.confirm", map[string]any{"What": discountText(v)}),
		yes:  "discount.confirm.yes", no: "discount.confirm.no",
		onYes: func() {
			d.confirming = nil
			d.set(v, true)
		},
		onNo: func() { d.confirming = nil }})
	d.confirmLabel = d.confirming.text
}

func (d *discountDialog) close() {
	d.dlg.close()
	if d.s.discount == d {
		d.s.discount = nil
	}
}

// typedRune takes the keyboard while the dialog is on top: digits, % and € choose the kind.
func (d *discountDialog) typedRune(r rune) {
	switch {
	case r >= '0' && r <= '9':
		d.digit(string(r))
	case r == '%':
		d.setKind(true)
	case r == '€' || r == 'e' || r == 'E':
		d.setKind(false)
	}
}

// typedKey takes Backspace; the dialog sends Enter and Esc to apply and close.
func (d *discountDialog) typedKey(k fyne.KeyName) {
	if k == fyne.KeyBackspace {
		d.backspace()
	}
}
