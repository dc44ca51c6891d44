package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"till/app/checkout"
	tw "till/app/ui/internal/widget"
	"till/fiscal"
	"till/money"
	"till/storage"
)

// dayLayout is how the day field shows and reads a day.
const dayLayout = "02/01/2006"

// dayPicker is the previous/next day arrows around the day field (typed on the keyboard and
// confirmed with Enter) and a button back to today.
func (j *journalScreen) dayPicker() fyne.CanvasObject {
	j.dayField = newField()
	j.dayField.OnSubmitted = func(s string) {
		d, err := parseDay(s)
		if err != nil || d.After(j.t.deps.Now()) {
			j.message.SetText(tr("journal.day.bad", map[string]any{"Example": j.t.deps.Now().Format(dayLayout)}))
			j.dayField.SetText(j.day.Format(dayLayout))
			return
		}
		j.goTo(d)
	}
	j.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { j.goTo(j.day.AddDate(0, 0, -1)) })
	j.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { j.goTo(j.day.AddDate(0, 0, 1)) })
	today := widget.NewButton(tr("journal.today"), func() { j.goTo(j.t.deps.Now()) })
	field := sized(j.dayField, 140, 0)
	return container.NewHBox(sized(j.prev, minTouch, minTouch), field, sized(j.next, minTouch, minTouch), sized(today, 0, minTouch))
}

// parseDay reads a day typed as the field shows it, also with one-digit day or month and with
// "-" or "." between them ("3/2/2026", "03-02-2026").
func parseDay(s string) (time.Time, error) {
	s = strings.NewReplacer("-", "/", ".", "/").Replace(strings.TrimSpace(s))
	return time.ParseInLocation("2/1/2006", s, time.Local)
}

// setDay makes day the one shown, without loading it.
func (j *journalScreen) setDay(day time.Time) {
	y, m, d := day.Local().Date()
	j.day = time.Date(y, m, d, 0, 0, 0, 0, time.Local)
	if j.dayField != nil {
		j.dayField.SetText(j.day.Format(dayLayout))
		showEnabled(j.next, !j.isToday())
	}
}

func (j *journalScreen) goTo(day time.Time) {
	if day.After(j.t.deps.Now()) {
		return
	}
	j.setDay(day)
	j.load()
}

func (j *journalScreen) isToday() bool {
	if j.day.IsZero() {
		return true
	}
	y, m, d := j.t.deps.Now().Local().Date()
	return j.day.Equal(time.Date(y, m, d, 0, 0, 0, 0, time.Local))
}

func showEnabled(b *widget.Button, enabled bool) {
	if enabled {
		b.Enable()
	} else {
		b.Disable()
	}
}

// loadPast reads a past day's whole journal off the UI goroutine.
func (j *journalScreen) loadPast(note ...string) {
	j.message.SetText(tr("loading"))
	j.title.SetText(tr("journal.title.day", map[string]any{"Day": j.day.Format(dayLayout)}))
	day := j.day.Format("2006-01-02")
	db := j.t.deps.DB
	j.loads++
	load := j.loads
	j.t.bridge.run(func() func() {
		dj, err := db.DayJournal(context.Background(), day)
		if err != nil {
			return func() { j.message.SetText(errorText(err)) }
		}
		return func() {
			if load != j.loads {
				return
			}
			j.past = &dj
			j.list.SetCount(len(dj.Sales), 0)
			j.totals.SetText(dayTotalsText(dj))
			text := strings.Join(note, " ")
			if len(dj.Sales) == 0 {
				text = strings.TrimSpace(tr("journal.day.empty") + " " + text)
			}
			j.message.SetText(text)
		}
	})
}

func (j *journalScreen) renderPast(i int, r *tw.Row) {
	s := j.past.Sales[i]
	r.Set(fmt.Sprintf("%s  %s  %s  %s", saleTime(s), saleDocument(s), tr("journal.operator.short", map[string]any{"Number": s.Operator}),
		strings.Join(salePayments(s), "+")), s.TotalCents.Plain(), false)
}

func saleTime(s storage.JournalSale) string {
	at, err := time.Parse(time.RFC3339, s.CreatedAt)
	if err != nil {
		return s.CreatedAt
	}
	return at.Local().Format("15:04")
}

func saleDocument(s storage.JournalSale) string {
	if s.Document != nil {
		return s.Document.Number
	}
	e := checkout.JournalEntry{Cancelled: s.State == "cancelled"}
	paid := false
	for _, p := range s.Payments {
		switch p.State {
		case "created", "sent", "unknown":
			e.PaymentUnknown = true
		case "declined":
			e.Declined = true
		case "approved", "documented":
			paid = true
		}
	}
	e.Declined = e.Declined && !paid
	return journalState(e)
}

func salePayments(s storage.JournalSale) []string {
	var out []string
	for _, p := range s.Payments {
		if p.State != "declined" && p.State != "cancelled" && p.State != "created" {
			out = append(out, methodName(fiscal.PaymentMethod(p.Method)))
		}
	}
	return out
}

// dayTotalsText is a day's totals per method, per department and VAT per rate.
func dayTotalsText(dj storage.DayJournal) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d\n%s: %s\n", tr("journal.sales"), dj.Documented, tr("total"), dj.TotalCents)
	if dj.Pending > 0 {
		fmt.Fprintf(&b, "%s: %d\n", tr("journal.pending.count"), dj.Pending)
	}
	if dj.Cancelled > 0 {
		fmt.Fprintf(&b, "%s: %d\n", tr("journal.cancelled.count"), dj.Cancelled)
	}
	fmt.Fprintf(&b, "\n%s\n", tr("journal.by.method"))
	for _, m := range dj.ByMethod {
		fmt.Fprintf(&b, "  %-21s %12s\n", methodName(fiscal.PaymentMethod(m.Method)), m.AmountCents.Plain())
	}
	fmt.Fprintf(&b, "\n%s\n", tr("journal.by.department"))
	for _, d := range dj.ByDepartment {
		fmt.Fprintf(&b, "  %-16s %4s %12s\n", d.Name, rateText(d.VATRate, d.Nature), d.AmountCents.Plain())
	}
	fmt.Fprintf(&b, "\n%s\n  %-6s %12s %12s\n", tr("journal.by.vat"), "", tr("journal.vat.taxable"), tr("journal.vat.tax"))
	for _, v := range dj.VAT {
		fmt.Fprintf(&b, "  %-6s %12s %12s\n", rateText(v.Rate, v.Nature), v.TaxableCents.Plain(), v.TaxCents.Plain())
	}
	return b.String()
}

func rateText(r money.Rate, nature string) string {
	if r == 0 && nature != "" {
		return nature
	}
	return r.String()
}

// saleText is one sale of the journal in full: document, operator, lines, payments with their
// terminal, STAN and authorisation code, VAT per rate.
func saleText(s storage.JournalSale) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s  %s\n", saleTime(s), saleDocument(s), tr("journal.operator", map[string]any{"Number": s.Operator}))
	for _, l := range s.Lines {
		fmt.Fprintf(&b, "  %-24s %12s %10s\n", l.Description, qtyText(l.QtyMilli)+" x "+l.UnitCents.Plain(), l.AmountCents.Plain())
	}
	fmt.Fprintf(&b, "  %-24s %12s %10s\n", tr("total"), "", s.TotalCents.Plain())
	for _, p := range s.Payments {
		fmt.Fprintf(&b, "  %s %s %s", methodName(fiscal.PaymentMethod(p.Method)), tr("journal.payment.state."+p.State), p.AmountCents.Plain())
		if p.TerminalID != "" {
			fmt.Fprintf(&b, "  %s STAN %s %s %s", tr("close.terminal.id", map[string]any{"ID": p.TerminalID}), p.STAN, tr("journal.auth"), p.AuthCode)
		}
		b.WriteString("\n")
	}
	for _, v := range s.VAT {
		fmt.Fprintf(&b, "  %s %s %s  %s %s\n", tr("journal.vat"), rateText(v.Rate, v.Nature), v.TaxableCents.Plain(), tr("journal.vat.tax"), v.TaxCents.Plain())
	}
	return b.String()
}

func qtyText(milli int64) string {
	if milli%1000 == 0 {
		return fmt.Sprint(milli / 1000)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", float64(milli)/1000), "0"), ".")
}

// showPast shows one sale of a past day in full, with the refund of a documented receipt.
func (j *journalScreen) showPast(i int) {
	if j.past == nil || i >= len(j.past.Sales) {
		return
	}
	j.showSale(j.past.Sales[i], false)
}

// showSale shows a sale in full; a documented receipt can be refunded, and voided the same day.
// Enter and Esc close it: its other actions print or give money back, and are only tapped.
func (j *journalScreen) showSale(s storage.JournalSale, today bool) *modal {
	text := widget.NewLabel(saleText(s))
	text.TextStyle = fyne.TextStyle{Monospace: true}
	var d *modal
	buttons := []fyne.CanvasObject{withKey(bigButton(tr("back"), widget.MediumImportance, func() { d.close() }), tr("keys.esc"))}
	if today && s.Document != nil {
		copyButton := bigButton(tr("journal.copy"), widget.MediumImportance, func() {
			d.close()
			j.reprint(s.ID)
		})
		buttons = append(buttons, copyButton)
		j.offerCopy(s.ID, copyButton)
	}
	if s.Document != nil && s.Document.Kind == "receipt" && j.t.deps.Returns != nil {
		buttons = append(buttons, bigButton(tr("refund.button"), widget.WarningImportance, func() {
			d.close()
			j.t.openRefund(s)
		}), bigButton(tr("void.button"), widget.DangerImportance, func() {
			d.close()
			j.t.voidSale(s, today)
		}))
	}
	// Two buttons a row: a disabled copy button says why, and four in a row overflowed 1024 px.
	content := container.NewBorder(nil, tall(container.NewGridWithColumns(min(len(buttons), 2), buttons...), minTouch), nil, nil, text)
	d = j.t.newModal(tr("journal.sale.title"), content, modalKeys{enter: func() { d.close() }})
	d.dlg.Resize(fyne.NewSize(WindowSize.Width*0.85, 0))
	d.show()
	return d
}

// showToday shows one of today's documented sales in full, read off the UI goroutine.
func (j *journalScreen) showToday(saleID string) {
	day := j.t.deps.Now().Format("2006-01-02")
	db := j.t.deps.DB
	j.t.bridge.run(func() func() {
		dj, err := db.DayJournal(context.Background(), day)
		return func() {
			if err != nil {
				j.message.SetText(errorText(err))
				return
			}
			for _, s := range dj.Sales {
				if s.ID == saleID {
					j.showSale(s, true)
					return
				}
			}
		}
	})
}
