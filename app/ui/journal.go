package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/fiscal"
	"till/storage"
)

const journalPerPage = 10

// journalScreen lists today's sales and the day's totals per payment method and department.
type journalScreen struct {
	t       *Till
	root    fyne.CanvasObject
	title   *widget.Label
	list    *tw.Pager
	entries []checkout.JournalEntry
	totals  *widget.Label
	message *widget.Label

	// The day shown (midnight, local) and, when the till has its database, the whole journal
	// of that day: for a past day the list shows its sales.
	day      time.Time
	dayField *tw.EscEntry
	prev     *widget.Button
	next     *widget.Button
	past     *storage.DayJournal
	closing  *closeScreen
	refund   *refundScreen
	// loads counts the reads started: only the last one's answer is shown, so a day read
	// slowly cannot replace the one chosen after it.
	loads int
}

func newJournalScreen(t *Till) *journalScreen {
	j := &journalScreen{t: t}
	j.list = newPager(journalPerPage, j.renderEntry, j.resume)
	j.totals = widget.NewLabel("")
	j.totals.TextStyle = fyne.TextStyle{Monospace: true}
	j.message = widget.NewLabel("")
	j.title = widget.NewLabelWithStyle(tr("journal.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	j.title.SizeName = "subHeadingText"
	back := bigButton(tr("back"), widget.MediumImportance, func() { t.show(t.sale) })
	split := container.NewHSplit(j.list.Content(), container.NewVScroll(j.totals))
	split.Offset = 0.55
	bottom := tall(back, minTouch)
	top := fyne.CanvasObject(j.title)
	if t.deps.DB != nil {
		j.closing = newCloseScreen(t)
		j.refund = newRefundScreen(t)
		closeBtn := bigButton(tr("close.title"), widget.HighImportance, t.openClose)
		bottom = tall(container.NewGridWithColumns(2, back, closeBtn), minTouch)
		top = container.NewBorder(nil, nil, j.title, j.dayPicker())
	}
	j.root = container.NewBorder(top, container.NewVBox(j.message, bottom), nil, nil, split)
	return j
}

func (j *journalScreen) content() fyne.CanvasObject { return j.root }

func (j *journalScreen) renderEntry(i int, r *tw.Row) {
	if j.past != nil {
		j.renderPast(i, r)
		return
	}
	e := j.entries[i]
	doc := journalState(e)
	var methods []string
	for _, m := range e.Methods {
		methods = append(methods, methodName(m))
	}
	r.Set(fmt.Sprintf("%s  %s  %s", e.At.Local().Format("15:04"), doc, strings.Join(methods, "+")), e.Total.Plain(), false)
}

// journalState names a sale's state in the journal, each apart: its document; cancelled (and
// whether a terminal declined it, so no money was taken); an unknown payment, which blocks
// paying again; an uncertain receipt, which waits for a look at the printer; a declined
// payment with the sale still to pay; a sale merely waiting for its document.
func journalState(e checkout.JournalEntry) string {
	switch {
	case e.Cancelled && e.Declined:
		return tr("journal.cancelled.declined")
	case e.Cancelled:
		return tr("journal.cancelled")
	case e.Documented:
		return e.Document
	case e.PaymentUnknown:
		return tr("journal.payment.unknown")
	case e.PrintUncertain:
		return tr("journal.print.uncertain")
	case e.Declined:
		return tr("journal.declined")
	}
	return tr("journal.pending")
}

// load reads the day in the background and shows it, then note (if any).
func (j *journalScreen) load(note ...string) {
	if !j.isToday() {
		j.loadPast(note...)
		return
	}
	j.message.SetText(tr("loading"))
	j.title.SetText(tr("journal.title"))
	j.loads++
	load := j.loads
	j.t.bridge.run(func() func() {
		ctx := context.Background()
		day := j.t.deps.Now()
		entries, err := j.t.deps.Store.Journal(ctx, day)
		if err != nil {
			return func() { j.message.SetText(errorText(err)) }
		}
		totals, err := j.t.deps.Store.Totals(ctx, day)
		if err != nil {
			return func() { j.message.SetText(errorText(err)) }
		}
		return func() {
			if load != j.loads {
				return
			}
			j.past = nil
			j.entries = entries
			j.list.SetCount(len(entries), 0)
			j.totals.SetText(totalsText(totals))
			j.message.SetText(strings.Join(note, " "))
		}
	})
}

func totalsText(t checkout.DayTotals) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d\n%s: %s\n", tr("journal.sales"), t.Sales, tr("total"), t.Total)
	if t.Pending > 0 {
		fmt.Fprintf(&b, "%s: %d\n", tr("journal.pending.count"), t.Pending)
	}
	fmt.Fprintf(&b, "\n%s\n", tr("journal.by.method"))
	methods := make([]string, 0, len(t.ByMethod))
	for m := range t.ByMethod {
		methods = append(methods, string(m))
	}
	sort.Strings(methods)
	for _, m := range methods {
		fmt.Fprintf(&b, "  %-21s %12s\n", methodName(fiscal.PaymentMethod(m)), t.ByMethod[fiscal.PaymentMethod(m)].Plain())
	}
	fmt.Fprintf(&b, "\n%s\n", tr("journal.by.department"))
	for _, d := range t.ByDepartment {
		rate := d.VATRate.String()
		if d.VATRate == 0 {
			rate = d.Nature
		}
		fmt.Fprintf(&b, "  %-16s %4s %12s\n", d.Name, rate, d.Total.Plain())
	}
	return b.String()
}

func methodName(m fiscal.PaymentMethod) string { return tr("method." + string(m)) }

// resume takes a pending sale back to the payment screen (its approved payments stay, the
// rest is paid and the document issued; a payment whose outcome is unknown is shown there, for
// a manager); on a sale whose receipt is uncertain it asks what the paper says; on a documented
// sale it offers a copy of the receipt.
func (j *journalScreen) resume(i int) {
	if j.past != nil {
		j.showPast(i)
		return
	}
	if i >= len(j.entries) || j.entries[i].Cancelled {
		return
	}
	if e := j.entries[i]; !e.Documented && e.PrintUncertain && !e.PaymentUnknown {
		j.t.askPrinted(e.SaleID, e.Total)
		return
	}
	if j.entries[i].Documented && j.t.deps.DB != nil {
		j.showToday(j.entries[i].SaleID)
		return
	}
	if j.entries[i].Documented {
		id, number := j.entries[i].SaleID, j.entries[i].Document
		// A copy is offered only where it can print: the printer's last receipt, or any of its
		// day's when it reprints by number. Elsewhere the cashier reads why not.
		j.whenCopyOffered(id, func() {
			j.t.confirm(tr("journal.copy"), tr("journal.copy.confirm", map[string]any{"Number": number}), "modal.yes",
				func() { j.reprint(id) })
		})
		return
	}
	if j.t.recovering {
		j.message.SetText(tr("recovery.running"))
		return
	}
	if len(j.t.register.Sale().Lines) > 0 {
		j.message.SetText(tr("journal.resume.busy"))
		return
	}
	id := j.entries[i].SaleID
	j.t.bridge.run(func() func() {
		s, err := j.t.deps.Store.LoadSale(context.Background(), id)
		return func() {
			if err != nil {
				j.message.SetText(errorText(err))
				return
			}
			j.t.register.Resume(s)
			j.t.savedPending = true
			j.t.sale.apply(nil)
			j.t.startPayment()
		}
	})
}

// reprint prints a copy of a sale's receipt: a copy, never a new document. The last receipt
// is reprinted as the printer's duplicate, an earlier one of the day by number when the printer
// can (checkout.Copy). A copy whose outcome is unknown is reported, never re-sent on its own.
func (j *journalScreen) reprint(saleID string) {
	j.t.bridge.run(func() func() {
		err := j.t.deps.Checkout.Copy(context.Background(), saleID)
		return func() {
			if err != nil {
				j.message.SetText(copyErrorText(err))
				return
			}
			j.message.SetText(tr("journal.copy.done"))
		}
	})
}

// offerCopy asks the core, off the UI goroutine, whether a copy of the sale's receipt can be
// printed; when not, the button is disabled and says why.
// The button is disabled until the core says yes: a tap before the answer must not print.
func (j *journalScreen) offerCopy(saleID string, b *widget.Button) {
	b.Disable()
	j.t.bridge.run(func() func() {
		err := j.t.deps.Checkout.CopyOffered(context.Background(), saleID)
		return func() {
			if err != nil {
				b.SetText(copyErrorText(err))
				return
			}
			b.Enable()
		}
	})
}

// whenCopyOffered calls offer when a copy of the sale's receipt can be printed, and otherwise
// says why not in the journal's message line.
func (j *journalScreen) whenCopyOffered(saleID string, offer func()) {
	j.t.bridge.run(func() func() {
		err := j.t.deps.Checkout.CopyOffered(context.Background(), saleID)
		return func() {
			if err != nil {
				j.message.SetText(copyErrorText(err))
				return
			}
			offer()
		}
	})
}

// copyErrorText is what the cashier reads when a copy cannot be printed.
func copyErrorText(err error) string {
	switch {
	case errors.Is(err, checkout.ErrOnlyLastDocument):
		return tr("journal.copy.only.last")
	case errors.Is(err, checkout.ErrNotCurrentDay):
		return tr("journal.copy.not.today")
	}
	return errorText(err)
}

func (j *journalScreen) typedRune(rune) {}

func (j *journalScreen) typedKey(k fyne.KeyName) {
	if k == fyne.KeyEscape {
		j.t.show(j.t.sale)
	}
}

func (t *Till) openJournal() {
	t.sale.dismissChange()
	t.journal.setDay(t.deps.Now())
	t.journal.load()
	t.show(t.journal)
}
