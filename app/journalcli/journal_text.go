package journalcli

import (
	"fmt"
	"time"

	"till/internal/i18n"
	"till/money"
	"till/storage"
)

// word says a state, a document kind or a payment method; one this version has no text for
// is shown as stored.
func word(w string) string {
	if key := "tool.journal.word." + w; i18n.Has(key) {
		return i18n.T(key)
	}
	return w
}

// paymentState says a payment's state: Italian puts the states it shares with a sale in the
// masculine.
func paymentState(w string) string {
	if key := "tool.journal.payment." + w; i18n.Has(key) {
		return i18n.T(key)
	}
	return word(w)
}

// rate shows a VAT rate, or the nature of an exemption.
func rate(r money.Rate, nature string) string {
	if r == 0 && nature != "" {
		return nature
	}
	return r.String()
}

func writeJournal(p printer, j storage.DayJournal) {
	p.say("tool.journal.title", map[string]any{"Day": j.Day})
	if len(j.Sales) == 0 {
		p.say("tool.journal.none", nil)
	}
	for _, s := range j.Sales {
		writeSale(p, s)
	}
	fmt.Fprintln(p.out)
	p.say("tool.journal.totals", map[string]any{"Documented": j.Documented, "Total": j.TotalCents, "Pending": j.Pending,
		"Cancelled": j.Cancelled})
	p.say("tool.journal.by.method", nil)
	for _, m := range j.ByMethod {
		fmt.Fprintf(p.out, "  %s  %s\n", word(m.Method), m.AmountCents)
	}
	p.say("tool.journal.by.department", nil)
	for _, d := range j.ByDepartment {
		fmt.Fprintf(p.out, "  %d %s (%s)  %s\n", d.Number, d.Name, rate(d.VATRate, d.Nature), d.AmountCents)
	}
	p.say("tool.journal.by.vat", nil)
	for _, v := range j.VAT {
		p.say("tool.journal.vat", map[string]any{"Rate": rate(v.Rate, v.Nature), "Taxable": v.TaxableCents, "Tax": v.TaxCents})
	}
}

func writeSale(p printer, s storage.JournalSale) {
	at := s.CreatedAt
	if t, err := timeOf(s.CreatedAt); err == nil {
		at = t
	}
	fmt.Fprintln(p.out)
	p.say("tool.journal.sale", map[string]any{"Time": at, "ID": s.ID, "State": word(s.State), "Operator": s.Operator,
		"Total": s.TotalCents})
	if d := s.Document; d != nil {
		p.say("tool.journal.document", map[string]any{"Kind": word(d.Kind), "Number": d.Number, "Z": d.ZNumber,
			"Doc": d.DocNumber, "Printer": d.PrinterSerial, "Amount": d.AmountCents})
	}
	for _, l := range s.Lines {
		p.say("tool.journal.line", map[string]any{"Qty": money.Qty(l.QtyMilli), "Description": l.Description,
			"Unit": l.UnitCents, "Amount": l.AmountCents, "Department": l.Department, "DepartmentName": l.DepartmentName,
			"Rate": rate(l.VATRate, l.Nature)})
	}
	for _, pay := range s.Payments {
		text := i18n.T("tool.journal.payment", map[string]any{"Method": word(pay.Method), "Amount": pay.AmountCents,
			"State": paymentState(pay.State)})
		if pay.Method != "cash" {
			text += i18n.T("tool.journal.terminal", map[string]any{"Terminal": dash(pay.TerminalID), "STAN": dash(pay.STAN),
				"Auth": dash(pay.AuthCode)})
		}
		fmt.Fprintln(p.out, text)
	}
	for _, v := range s.VAT {
		p.say("tool.journal.vat", map[string]any{"Rate": rate(v.Rate, v.Nature), "Taxable": v.TaxableCents, "Tax": v.TaxCents})
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// timeOf shows a stored time as the shop's local clock time.
func timeOf(stored string) (string, error) {
	t, err := time.Parse(time.RFC3339Nano, stored)
	if err != nil {
		return "", err
	}
	return t.Local().Format("15:04:05"), nil
}
