package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/money"
)

// linesPerPage is how many rows of the sale fit beside the catalogue in the till's window.
const linesPerPage = 6

// saleScreen is where the cashier rings up a sale, in three columns that keep their size
// whatever the catalogue holds: the sale's lines and what can be done to them; the catalogue
// (search, categories, products); the departments, the keypad and PAGA.
type saleScreen struct {
	t        *Till
	root     fyne.CanvasObject
	left     *fyne.Container // the lines and the total
	lines    *tw.Pager
	rows     []lineRow // what each row of the pager shows
	selected int       // selected line of the sale, -1 for none
	discRow  *fyne.Container
	discText *widget.Label // the sale's discount, above the total
	discOff  *widget.Label
	total    *widget.Label
	display  *widget.Label
	message  *widget.Label
	syncLine *widget.Label
	depts    *tw.Slots
	products *productPanel
	digits   fyne.CanvasObject // the numeric keypad
	letters  fyne.CanvasObject // the letter keypad that types into the search
	payBtn   *widget.Button
	operator *widget.Label  // who works the till, on a till with operators
	switchOp *widget.Button // "Cambia operatore"
	header   *fyne.Container
	opBox    *fyne.Container // the operator and the switch, laid out again when they appear
	title    *widget.Label   // the sales point and the till, from the configuration
	demo     *widget.Label   // DEMO, on a demo till
	clock    *widget.Label   // HH:MM
	// changeBox shows the change of the last cash sale large over the lines, until the
	// cashier's next key or tap.
	changeBox     *fyne.Container
	changeText    *canvas.Text
	configVersion int64 // the configuration whose names the header shows

	scan     scanRun         // digits typed on the keyboard since its last other key
	discount *discountDialog // the discount being typed, if any
}

// lineRow is one row of the lines list: a line of the sale, or the discount under it.
type lineRow struct {
	line     int
	discount bool
}

func newSaleScreen(t *Till) *saleScreen {
	s := &saleScreen{t: t, selected: -1}
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.message.TextStyle = fyne.TextStyle{Bold: true} // the change due must catch the eye
	s.message.SizeName = theme.SizeNameSubHeadingText
	s.products = newProductPanel(s)

	s.title = widget.NewLabelWithStyle(t.deps.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.title.Truncation = fyne.TextTruncateEllipsis // the title holds the database's path
	s.demo = widget.NewLabelWithStyle(tr("header.demo"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.demo.Importance = widget.WarningImportance
	showIf(s.demo, t.deps.Demo)
	s.clock = widget.NewLabelWithStyle(t.deps.Now().Format(clockLayout), fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	s.syncLine = widget.NewLabel("")
	s.syncLine.Truncation = fyne.TextTruncateEllipsis
	journalBtn := widget.NewButtonWithIcon(tr("journal"), theme.ListIcon(), t.openJournal)
	s.operator = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	s.switchOp = widget.NewButtonWithIcon(tr("operator.switch"), theme.AccountIcon(), func() { t.signIn(true) })
	s.operator.Hide()
	s.switchOp.Hide()
	s.opBox = container.NewHBox(s.operator, s.switchOp)
	buttons := container.NewHBox(s.opBox, journalBtn)
	if t.settings != nil {
		buttons.Add(widget.NewButtonWithIcon(tr("settings.open"), theme.SettingsIcon(), func() {
			t.asManager("settings.open", func(checkout.Operator) { t.settings.open() })
		}))
	}
	buttons.Add(t.helpButton())
	// The title and the portal's state share the room the buttons leave and are cut short: a
	// long title (it holds the database's path) pushed the buttons off the screen.
	title := container.NewBorder(nil, nil, nil, container.NewHBox(s.demo, s.clock), s.title)
	top := container.NewBorder(nil, nil, nil, tall(buttons, tw.MinTarget), container.NewGridWithColumns(2, title, s.syncLine))
	s.header = top

	inner := container.NewHSplit(s.products.content(), s.keysColumn())
	inner.Offset = 0.52
	split := container.NewHSplit(s.linesColumn(), inner)
	split.Offset = 0.34
	s.root = container.NewBorder(top, s.message, nil, nil, split)
	s.refresh()
	return s
}

// showOperator shows who works the till in the header, with the button to switch.
func (s *saleScreen) showOperator() {
	op := s.t.operator
	switch {
	case op.Number == 0:
		s.operator.SetText(tr("operator.none"))
	default:
		s.operator.SetText(tr("operator.header", map[string]any{"Name": op.Name, "Number": op.Number}))
	}
	s.operator.Show()
	s.switchOp.Show()
	// Hidden at first, they took no room: the header makes room for them now.
	s.opBox.Refresh()
	for _, o := range s.header.Objects {
		o.Refresh()
	}
	s.header.Refresh()
}

// linesColumn is the sale's lines, its discount and total, and what can be done to them.
func (s *saleScreen) linesColumn() fyne.CanvasObject {
	s.lines = newPager(linesPerPage, s.renderLine, s.selectLine)
	s.total = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	s.total.SizeName = theme.SizeNameHeadingText
	s.discText = widget.NewLabel("")
	s.discOff = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
	s.discRow = container.NewBorder(nil, nil, s.discText, nil, s.discOff)
	totalRow := container.NewBorder(nil, nil, widget.NewLabelWithStyle(tr("total"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, s.total)
	actions := container.NewVBox(
		tall(container.NewGridWithColumns(2,
			bigButton(tr("discount.line"), widget.HighImportance, s.discountLine),
			bigButton(tr("discount.sale"), widget.HighImportance, s.discountSale)), minTouch),
		tall(container.NewGridWithColumns(2,
			bigButton(tr("void.line"), widget.WarningImportance, s.voidSelected),
			bigButton(tr("void.last"), widget.WarningImportance, s.voidLast)), minTouch),
		tall(bigButton(tr("clear.sale"), widget.DangerImportance, s.confirmClear), minTouch))
	s.left = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), s.discRow, totalRow, actions),
		nil, nil, container.NewStack(s.lines.Content(), s.newChangeBox()))
	return s.left
}

// keysColumn is the departments, the display, the keypad (numbers, or letters for the search)
// and PAGA.
func (s *saleScreen) keysColumn() fyne.CanvasObject {
	s.depts = tw.NewSlots(4, 2, fyne.NewSize(0, minTouch), widget.HighImportance, s.deptLabel, nil, s.deptTapped, moreText)
	s.display = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true, Monospace: true})
	s.display.SizeName = theme.SizeNameHeadingText
	s.payBtn = bigButton(tr("pay"), widget.SuccessImportance, s.t.startPayment)
	s.digits = keypad(s.digit,
		bigButton("⌫", widget.MediumImportance, s.backspace),
		bigButton("X", widget.MediumImportance, s.multiply),
		bigButton("C", widget.MediumImportance, s.clearEntry),
		bigButton("ABC", widget.MediumImportance, s.showLetters))
	s.letters = letterPad(s.products.typeRune, s.products.backspace, s.showDigits)
	s.letters.Hide()
	return container.NewBorder(container.NewVBox(s.depts.Content(), s.display), tall(s.payBtn, 72), nil, nil,
		container.NewStack(s.digits, s.letters))
}

func (s *saleScreen) content() fyne.CanvasObject { return s.root }

// moreText words the tile that turns a page of choices.
func moreText(page, pages int) string {
	return tr("slots.more", map[string]any{"Page": page, "Pages": pages})
}

// setDepartments shows the departments on their tiles.
func (s *saleScreen) setDepartments() { s.depts.SetCount(len(s.t.depts)) }

func (s *saleScreen) deptLabel(i int) string {
	d := s.t.depts[i]
	if d.VATRate == 0 {
		return fmt.Sprintf("%s\n%s", d.Name, d.Nature)
	}
	return fmt.Sprintf("%s\n%s", d.Name, d.VATRate)
}

func (s *saleScreen) deptTapped(i int) { s.apply(s.t.register.Department(s.t.depts[i])) }

// addProduct adds a line of product p, at the price typed if any.
func (s *saleScreen) addProduct(p *checkout.Product) {
	d, ok := s.t.department(p.DepartmentID)
	if !ok {
		s.setMessage(tr("err.product.department"), true)
		return
	}
	s.apply(s.t.register.Product(*p, d))
}

func (s *saleScreen) renderLine(i int, r *tw.Row) {
	row := s.rows[i]
	l := s.t.register.Sale().Lines[row.line]
	if row.discount {
		r.Set("      "+tr("discount.row", map[string]any{"What": discountText(l.Discount)}),
			"−"+l.LineDiscount().Plain(), row.line == s.selected)
		return
	}
	left := l.Description
	if l.QtyMilli != 1000 {
		left = fmt.Sprintf("%s × %s  %s", money.Qty(l.QtyMilli), l.UnitPrice.Plain(), l.Description)
	}
	r.Set(fmt.Sprintf("%d. %s", row.line+1, left), l.Gross().Plain(), row.line == s.selected)
}

// discountText words a discount as the cashier typed it: "10%" or "0,50 €".
func discountText(d checkout.Discount) string {
	if d.Percent > 0 {
		return d.Percent.String()
	}
	return d.Amount.String()
}

func (s *saleScreen) selectLine(i int) {
	line := s.rows[i].line
	if s.selected == line {
		s.selected = -1
	} else {
		s.selected = line
	}
	s.lines.Show(s.lines.Page())
}

// apply shows the outcome of a register operation: an error message, or the new state.
func (s *saleScreen) apply(err error) {
	s.dismissChange()
	s.scan.reset()
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
	s.rows = s.rows[:0]
	for i, l := range sale.Lines {
		s.rows = append(s.rows, lineRow{line: i})
		if !l.Discount.IsZero() {
			s.rows = append(s.rows, lineRow{line: i, discount: true})
		}
	}
	focus := len(s.rows) - 1
	if s.selected >= 0 {
		focus = s.rowOf(s.selected)
	}
	s.lines.SetCount(len(s.rows), focus)
	if shown := !s.discRow.Hidden; sale.Discount.IsZero() {
		s.discRow.Hide()
		if shown {
			s.left.Refresh() // the lines take the row back
		}
	} else {
		s.discText.SetText(tr("discount.sale.row", map[string]any{"What": discountText(sale.Discount),
			"Subtotal": sale.Subtotal().Plain()}))
		s.discOff.SetText("−" + sale.SaleDiscount().Plain())
		s.discRow.Show()
		if !shown {
			s.left.Refresh()
		}
	}
	s.total.SetText(sale.Total().String())
	s.refreshDisplay()
}

// rowOf is the first row of line i.
func (s *saleScreen) rowOf(line int) int {
	for r, row := range s.rows {
		if row.line == line {
			return r
		}
	}
	return -1
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
	text = keepEuroAttached(text)
	imp := widget.MediumImportance
	if isError {
		imp = widget.DangerImportance
	}
	if s.message.Text == text && s.message.Importance == imp {
		return // a scanner's digits repeat the same message: wrapping it again costs a shaping
	}
	s.message.Text, s.message.Importance = text, imp
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
	s.dismissChange()
	if err := s.t.register.Digit(d); err != nil {
		s.setMessage(errorText(err), true)
	}
	s.refreshDisplay()
}

func (s *saleScreen) backspace()  { s.dismissChange(); s.t.register.Backspace(); s.refreshDisplay() }
func (s *saleScreen) clearEntry() { s.dismissChange(); s.t.register.ClearEntry(); s.refreshDisplay() }
func (s *saleScreen) multiply()   { s.apply(s.t.register.Multiply()) }
func (s *saleScreen) voidLast()   { s.apply(s.t.register.VoidLast()) }

func (s *saleScreen) voidSelected() {
	if s.selected < 0 {
		s.setMessage(tr("err.select.line"), true)
		return
	}
	s.apply(s.t.register.VoidLine(s.selected))
}

// showLetters swaps the numeric keypad for the letters that type into the search: desktop
// Fyne has no on-screen keyboard, and a touch till has no other.
func (s *saleScreen) showLetters() {
	s.dismissChange()
	s.digits.Hide()
	s.letters.Show()
	s.letters.Refresh()
}

func (s *saleScreen) showDigits() {
	s.letters.Hide()
	s.digits.Show()
	s.digits.Refresh()
}

func (s *saleScreen) confirmClear() {
	if len(s.t.register.Sale().Lines) == 0 {
		s.clearSale()
		return
	}
	s.t.ask(question{title: tr("clear.sale"), text: tr("clear.sale.confirm"), destructive: true, onYes: s.clearSale})
}

func (s *saleScreen) clearSale() {
	t := s.t
	// A sale whose receipt may be on paper, or with a payment the terminal may have taken,
	// stays in the journal: only a sale that provably left no trace is forgotten.
	// A sale that reached a terminal was saved with its attempts even when it never printed:
	// the core records it cancelled (a declined payment) or discards it, never leaves it pending.
	kept := t.savedPending && (t.printUnknown || t.payment.hasOpenAttempts())
	if !kept && (t.savedPending || len(t.register.Sale().Lines) > 0) {
		id := t.register.Sale().ID
		t.bridge.run(func() func() {
			if err := t.deps.Checkout.Abandon(context.Background(), id); err != nil {
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

// typedRune handles keys typed with no field focused: digits go to the keypad entry and to the
// scanner's run, X multiplies. An open dialog (the discount's) takes them before they get here.
func (s *saleScreen) typedRune(r rune) {
	s.dismissChange()
	switch {
	case r >= '0' && r <= '9':
		s.scan.digit(byte(r), s.t.register)
		s.digit(string(r))
	case r == 'x' || r == 'X' || r == '*':
		s.multiply()
	default:
		s.scan.reset()
	}
}

// typedKey: F1–F12 ring the first twelve departments with the amount typed, as a tap on their
// tile does; Enter pays (or ends a scanned barcode); Esc clears the amount typed, never the
// sale, which only Annulla vendita and its question do.
func (s *saleScreen) typedKey(k fyne.KeyName) {
	s.dismissChange()
	if i, ok := functionKey(k); ok {
		s.scan.reset()
		if i < len(s.t.depts) {
			s.deptTapped(i)
		}
		return
	}
	switch k {
	case fyne.KeyReturn, fyne.KeyEnter:
		if code, ok := s.scan.end(s.t.register); ok {
			s.scanned(code)
			return
		}
		s.t.startPayment()
	case fyne.KeyBackspace:
		s.scan.reset()
		s.backspace()
	case fyne.KeyEscape:
		s.scan.reset()
		s.clearEntry()
	default:
		// A printable key ("8", "X") also arrives as its rune, after this event: the rune
		// decides. Resetting here broke every scan in the real window, where each digit of a
		// barcode comes as a key event first.
		if len(k) != 1 {
			s.scan.reset()
		}
	}
}
