package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/money"
)

const linesPerPage = 8

// saleScreen is where the cashier rings up a sale: lines on the left, departments, products
// and the keypad on the right, PAGA at the bottom.
type saleScreen struct {
	t        *Till
	root     fyne.CanvasObject
	lines    *tw.Pager
	selected int // selected line, -1 for none
	total    *widget.Label
	display  *widget.Label
	message  *widget.Label
	syncLine *widget.Label
	deptBox  *fyne.Container
	prodBox  *fyne.Container
	payBtn   *widget.Button
}

func newSaleScreen(t *Till) *saleScreen {
	s := &saleScreen{t: t, selected: -1}
	s.lines = newPager(linesPerPage, s.renderLine, s.selectLine)
	s.total = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	s.total.SizeName = theme.SizeNameHeadingText
	s.display = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true, Monospace: true})
	s.display.SizeName = theme.SizeNameHeadingText
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.TextStyle = fyne.TextStyle{Bold: true} // the change due must catch the eye
	s.message.SizeName = theme.SizeNameSubHeadingText
	s.deptBox = container.NewGridWithColumns(4)
	s.prodBox = container.NewGridWithColumns(4)

	title := widget.NewLabelWithStyle(t.deps.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.syncLine = widget.NewLabel("")
	journalBtn := widget.NewButtonWithIcon(tr("journal"), theme.ListIcon(), t.openJournal)
	buttons := container.NewHBox(journalBtn)
	if t.settings != nil {
		buttons.Add(widget.NewButtonWithIcon(tr("settings.open"), theme.SettingsIcon(), t.settings.open))
	}
	top := container.NewBorder(nil, nil, nil, buttons, container.NewHBox(title, s.syncLine))

	totalRow := container.NewBorder(nil, nil, widget.NewLabelWithStyle(tr("total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, s.total)
	left := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), totalRow, s.message), nil, nil, s.lines.Content())

	s.payBtn = bigButton(tr("pay"), widget.SuccessImportance, t.startPayment)
	keys := keypad(s.digit,
		bigButton("⌫", widget.MediumImportance, s.backspace))
	actions := container.NewGridWithColumns(1,
		bigButton("X", widget.MediumImportance, s.multiply),
		bigButton("C", widget.MediumImportance, s.clearEntry),
		bigButton(tr("void.last"), widget.WarningImportance, s.voidLast),
		bigButton(tr("void.line"), widget.WarningImportance, s.voidSelected),
		bigButton(tr("clear.sale"), widget.DangerImportance, s.confirmClear),
	)
	pad := container.NewGridWithColumns(2, keys, actions)
	right := container.NewBorder(
		container.NewVBox(tall(s.deptBox, minTouch), tall(s.prodBox, 2*minTouch), s.display), tall(s.payBtn, 72), nil, nil, pad)
	split := container.NewHSplit(left, right)
	split.Offset = 0.42
	s.root = container.NewBorder(top, nil, nil, nil, split)
	s.refresh()
	return s
}

func (s *saleScreen) content() fyne.CanvasObject { return s.root }

func (s *saleScreen) setCatalogue(deps []checkout.Department, prods []checkout.Product) {
	s.deptBox.RemoveAll()
	for _, d := range deps {
		d := d
		label := fmt.Sprintf("%s\n%s", d.Name, d.VATRate)
		if d.VATRate == 0 {
			label = fmt.Sprintf("%s\n%s", d.Name, d.Nature)
		}
		s.deptBox.Add(bigButton(label, widget.HighImportance, func() { s.apply(s.t.register.Department(d)) }))
	}
	s.prodBox.RemoveAll()
	for _, p := range prods {
		p := p
		s.prodBox.Add(bigButton(fmt.Sprintf("%s\n%s", p.Name, p.Price.Plain()), widget.MediumImportance, func() {
			d, ok := s.t.department(p.DepartmentID)
			if !ok {
				s.setMessage(tr("err.product.department"), true)
				return
			}
			s.apply(s.t.register.Product(p, d))
		}))
	}
	s.deptBox.Refresh()
	s.prodBox.Refresh()
}

func (s *saleScreen) renderLine(i int, r *tw.Row) {
	l := s.t.register.Sale().Lines[i]
	left := l.Description
	if l.QtyMilli != 1000 {
		left = fmt.Sprintf("%s × %s  %s", money.Qty(l.QtyMilli), l.UnitPrice.Plain(), l.Description)
	}
	r.Set(fmt.Sprintf("%d. %s", i+1, left), l.Amount().Plain(), i == s.selected)
}

func (s *saleScreen) selectLine(i int) {
	if s.selected == i {
		s.selected = -1
	} else {
		s.selected = i
	}
	s.lines.Show(s.lines.Page())
}

// apply shows the outcome of a register operation: an error message, or the new state.
func (s *saleScreen) apply(err error) {
	if err != nil {
		s.setMessage(errorText(err), true)
		s.refreshDisplay()
		return
	}
	s.setMessage("", false)
	s.selected = -1
	s.refresh()
}

func (s *saleScreen) refresh() {
	sale := s.t.register.Sale()
	s.lines.SetCount(len(sale.Lines), len(sale.Lines)-1)
	s.total.SetText(sale.Total().String())
	s.refreshDisplay()
}

func (s *saleScreen) refreshDisplay() {
	r := s.t.register
	text := r.Entry().Plain()
	if r.HasQuantity() {
		text = money.Qty(r.Quantity()) + " ×  " + text
	}
	s.display.SetText(text)
}

func (s *saleScreen) setMessage(text string, isError bool) {
	s.message.SetText(text)
	s.message.Importance = widget.MediumImportance
	if isError {
		s.message.Importance = widget.DangerImportance
	}
	s.message.Refresh()
}

// setSync shows the back office link's one-line state, in red when offline.
func (s *saleScreen) setSync(text string, offline bool) {
	s.syncLine.SetText(text)
	s.syncLine.Importance = widget.LowImportance
	if offline {
		s.syncLine.Importance = widget.DangerImportance
	}
	s.syncLine.Refresh()
}

func (s *saleScreen) digit(d string) {
	if err := s.t.register.Digit(d); err != nil {
		s.setMessage(errorText(err), true)
	}
	s.refreshDisplay()
}

func (s *saleScreen) backspace()  { s.t.register.Backspace(); s.refreshDisplay() }
func (s *saleScreen) clearEntry() { s.t.register.ClearEntry(); s.refreshDisplay() }
func (s *saleScreen) multiply()   { s.apply(s.t.register.Multiply()) }
func (s *saleScreen) voidLast()   { s.apply(s.t.register.VoidLast()) }

func (s *saleScreen) voidSelected() {
	if s.selected < 0 {
		s.setMessage(tr("err.select.line"), true)
		return
	}
	s.apply(s.t.register.VoidLine(s.selected))
}

func (s *saleScreen) confirmClear() {
	if len(s.t.register.Sale().Lines) == 0 {
		s.clearSale()
		return
	}
	dialog.ShowConfirm(tr("clear.sale"), tr("clear.sale.confirm"), func(ok bool) {
		if ok {
			s.clearSale()
		}
	}, s.t.win)
}

func (s *saleScreen) clearSale() {
	t := s.t
	// A sale whose receipt may be on paper, or with a payment the terminal may have taken,
	// stays in the journal: only a sale that provably left no trace is forgotten.
	kept := t.savedPending && (t.printUnknown || t.payment.hasOpenAttempts())
	if t.savedPending && !kept {
		id := t.register.Sale().ID
		t.bridge.run(func() func() {
			if err := t.deps.Checkout.Discard(context.Background(), id); err != nil {
				return func() { s.setMessage(errorText(err), true) }
			}
			return nil
		})
	}
	uncertain := t.printUnknown
	t.register.Clear()
	t.savedPending, t.printUnknown = false, false
	s.apply(nil)
	switch {
	case kept && uncertain:
		s.setMessage(tr("sale.kept.pending"), true)
	case kept:
		s.setMessage(tr("sale.kept.paid"), true)
	}
}

func (s *saleScreen) typedRune(r rune) {
	switch {
	case r >= '0' && r <= '9':
		s.digit(string(r))
	case r == 'x' || r == 'X' || r == '*':
		s.multiply()
	}
}

func (s *saleScreen) typedKey(k fyne.KeyName) {
	switch k {
	case fyne.KeyBackspace:
		s.backspace()
	case fyne.KeyReturn, fyne.KeyEnter:
		s.t.startPayment()
	case fyne.KeyEscape:
		s.clearEntry()
	}
}
