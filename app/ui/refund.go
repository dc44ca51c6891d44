package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/fiscal"
	"till/storage"
)

const refundPerPage = 9

// refundScreen returns a documented receipt from the journal: a refund of the lines and
// quantities chosen, or the void of the whole receipt (the same day only). The manager's gate,
// then app/checkout's Returns decides and prints; the screen then says how the money goes back.
type refundScreen struct {
	t       *Till
	root    fyne.CanvasObject
	title   *widget.Label
	list    *tw.Pager
	message *widget.Label
	confirm *widget.Button
	all     *widget.Button

	sale  storage.JournalSale
	today bool
	qty   []int64 // milli, per line: what is to be refunded
	done  bool    // the outcome is shown: the list says how the money goes back
	out   []closeLine
	busy  bool
}

func newRefundScreen(t *Till) *refundScreen {
	r := &refundScreen{t: t}
	r.list = newPager(refundPerPage, r.render, r.tapped)
	r.message = widget.NewLabel("")
	r.message.Wrapping = fyne.TextWrapWord
	r.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.SizeName = "subHeadingText"
	back := bigButton(tr("back"), widget.MediumImportance, r.leave)
	r.all = bigButton(tr("refund.all"), widget.MediumImportance, r.chooseAll)
	r.confirm = bigButton(tr("refund.confirm"), widget.HighImportance, r.ask)
	r.root = container.NewBorder(r.title, container.NewVBox(r.message, tall(container.NewGridWithColumns(3, back, r.all, r.confirm), minTouch)),
		nil, nil, r.list.Content())
	return r
}

func (r *refundScreen) content() fyne.CanvasObject { return r.root }

func (r *refundScreen) render(i int, row *tw.Row) {
	if r.done {
		l := r.out[i]
		row.Set(l.text, l.amount, l.strong)
		return
	}
	l := r.sale.Lines[i]
	text := fmt.Sprintf("%s  %s × %s", l.Description, qtyText(l.QtyMilli), l.UnitCents.Plain())
	right := ""
	if r.qty[i] > 0 {
		right = tr("refund.qty", map[string]any{"Qty": qtyText(r.qty[i])})
	}
	row.Set(text, right, r.qty[i] > 0)
}

// tapped adds one to a line's quantity to refund, back to none after all of it; a line sold by
// weight goes back whole or not at all.
func (r *refundScreen) tapped(i int) {
	if r.done || i >= len(r.qty) {
		return
	}
	sold := r.sale.Lines[i].QtyMilli
	switch {
	case sold%1000 != 0 && r.qty[i] == 0:
		r.qty[i] = sold
	case sold%1000 != 0 || r.qty[i]+1000 > sold:
		r.qty[i] = 0
	default:
		r.qty[i] += 1000
	}
	r.list.SetCount(len(r.qty), -1)
}

func (r *refundScreen) chooseAll() {
	for i, l := range r.sale.Lines {
		r.qty[i] = l.QtyMilli
	}
	r.list.SetCount(len(r.qty), -1)
}

// openRefund shows the lines of a documented receipt to choose what goes back.
func (t *Till) openRefund(s storage.JournalSale) {
	if t.deps.Returns == nil {
		t.journal.message.SetText(tr("refund.unavailable"))
		return
	}
	t.journal.refund.choose(s)
}

// choose shows the lines of s to choose from.
func (r *refundScreen) choose(s storage.JournalSale) {
	t := r.t
	r.sale, r.done, r.busy, r.out = s, false, false, nil
	r.qty = make([]int64, len(s.Lines))
	r.title.SetText(tr("refund.title", map[string]any{"Number": s.Document.Number}))
	r.message.SetText(tr("refund.hint"))
	r.confirm.Show()
	r.all.Show()
	r.list.SetCount(len(s.Lines), 0)
	t.show(r)
}

// ask asks a manager, then returns the lines chosen.
func (r *refundScreen) ask() {
	var wanted []checkout.Wanted
	for i, q := range r.qty {
		if q > 0 {
			wanted = append(wanted, checkout.Wanted{Position: i, QtyMilli: q})
		}
	}
	if len(wanted) == 0 {
		r.message.SetText(tr("refund.nothing"))
		return
	}
	r.t.asManager("refund.button", func(op checkout.Operator) {
		r.do(checkout.ReturnRequest{Kind: checkout.KindRefund, Number: r.sale.Document.Number, Lines: wanted, Operator: op})
	})
}

// voidSale voids a whole receipt after a manager's word; the checkout refuses a receipt of
// another day.
func (t *Till) voidSale(s storage.JournalSale, today bool) {
	if t.deps.Returns == nil {
		t.journal.message.SetText(tr("refund.unavailable"))
		return
	}
	r := t.journal.refund
	r.sale, r.today, r.done, r.out = s, today, false, nil
	r.qty = make([]int64, len(s.Lines))
	t.asManager("void.button", func(op checkout.Operator) {
		r.title.SetText(tr("void.title", map[string]any{"Number": s.Document.Number}))
		r.chooseAll()
		r.all.Hide()
		r.confirm.Hide()
		t.show(r)
		r.do(checkout.ReturnRequest{Kind: checkout.KindVoid, Number: s.Document.Number, Operator: op})
	})
}

// do runs the return off the UI goroutine and shows its outcome.
func (r *refundScreen) do(req checkout.ReturnRequest) {
	if r.busy {
		return
	}
	r.busy = true
	r.confirm.Disable()
	r.message.SetText(tr("refund.running"))
	rs := r.t.deps.Returns
	r.t.bridge.run(func() func() {
		ret, err := rs.Do(context.Background(), req)
		return func() { r.outcome(ret, err, req.Operator) }
	})
}

// outcome says what was issued and how the money goes back; an uncertain document asks what
// the paper says.
func (r *refundScreen) outcome(ret *checkout.Return, err error, op checkout.Operator) {
	r.busy = false
	r.confirm.Enable()
	if ret == nil {
		r.message.SetText(returnErrorText(err))
		if errors.Is(err, checkout.ErrReturnUncertain) {
			r.askOpen(op)
		}
		return
	}
	r.done = true
	r.confirm.Hide()
	r.all.Hide()
	r.out = returnLines(ret)
	r.list.SetCount(len(r.out), 0)
	switch {
	case ret.State == checkout.ReturnUncertain:
		r.message.SetText(tr("refund.uncertain"))
		r.t.askReturnPrinted(ret, op)
	case err != nil:
		r.message.SetText(returnErrorText(err))
	default:
		r.message.SetText(tr("refund.done", map[string]any{"Number": documentLabel(ret.Document)}))
	}
}

// askOpen asks again about a return of this sale left uncertain ("Più tardi" or a crash), so
// a manager can settle it from the same screen.
func (r *refundScreen) askOpen(op checkout.Operator) {
	rs, saleID := r.t.deps.Returns, r.sale.ID
	r.t.bridge.run(func() func() {
		open, err := rs.Journal.OpenReturns(context.Background())
		return func() {
			if err != nil {
				r.message.SetText(returnErrorText(err))
				return
			}
			for i := range open {
				if open[i].SaleID == saleID && open[i].State == checkout.ReturnUncertain {
					r.t.askReturnPrinted(&open[i], op)
					return
				}
			}
		}
	})
}

func documentLabel(d fiscal.DocumentRef) string { return fmt.Sprintf("%04d-%04d", d.ZNumber, d.Number) }

// returnLines words a return: its document and each share of the money going back.
func returnLines(ret *checkout.Return) []closeLine {
	key := "refund.document"
	if ret.Kind == checkout.KindVoid {
		key = "void.document"
	}
	var lines []closeLine
	if ret.State == checkout.ReturnDocumented {
		lines = append(lines, closeLine{text: tr(key, map[string]any{"Number": documentLabel(ret.Document)}), amount: ret.Amount.Plain(), strong: true})
	} else {
		lines = append(lines, closeLine{text: tr("refund.state." + string(ret.State)), amount: ret.Amount.Plain(), strong: true})
	}
	for _, m := range ret.Money {
		lines = append(lines, closeLine{text: moneyBackText(m), amount: m.Amount.Plain()})
		if m.State == checkout.MoneyManual && m.Detail != "" {
			lines = append(lines, closeLine{text: "  " + oneLanguage(m.Detail)})
		}
	}
	return lines
}

// moneyBackText says how one share of the money goes back.
func moneyBackText(m checkout.MoneyBack) string {
	method := methodName(m.Method)
	switch {
	case m.Method == fiscal.Cash:
		return tr("refund.money.cash")
	case m.State == checkout.MoneyDone:
		return tr("refund.money.reversed", map[string]any{"Method": method, "STAN": m.STAN})
	case m.State == checkout.MoneyUnknown || m.State == checkout.MoneyReversing:
		return tr("refund.money.unknown", map[string]any{"Method": method, "STAN": m.STAN})
	case m.State == checkout.MoneyManual:
		return tr("refund.money.manual", map[string]any{"Method": method, "STAN": m.STAN})
	}
	return tr("refund.money.planned", map[string]any{"Method": method})
}

func returnErrorText(err error) string {
	switch {
	case errors.Is(err, checkout.ErrAlreadyReturned):
		return tr("refund.err.already")
	case errors.Is(err, checkout.ErrNotReturnable):
		return tr("refund.err.not.returnable")
	case errors.Is(err, checkout.ErrNotManager):
		return tr("refund.err.manager")
	case errors.Is(err, checkout.ErrReturnUncertain):
		return tr("refund.err.open")
	case errors.Is(err, checkout.ErrMoneyUnknown):
		return tr("refund.err.money.unknown")
	case errors.Is(err, checkout.ErrSerialUnknown):
		return tr("refund.err.serial")
	}
	return errorText(err)
}

func (r *refundScreen) leave() {
	if r.busy {
		return
	}
	r.t.journal.load()
	r.t.show(r.t.journal)
}

func (r *refundScreen) typedRune(rune) {}

func (r *refundScreen) typedKey(k fyne.KeyName) {
	if k == fyne.KeyEscape {
		r.leave()
	}
}

// oneLanguage is the part of a checkout text written "Italian / English" in the till's
// language: the checkout words its instructions in both, the cashier reads one.
func oneLanguage(text string) string {
	it, en, ok := strings.Cut(text, " / ")
	if !ok {
		return text
	}
	if tr("lang.code") == "en" {
		return en
	}
	return it
}
