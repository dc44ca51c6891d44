package journalcli

import (
	"fmt"
	"strings"
	"time"

	"till/money"
	"till/storage"
)

// journalText are the journal's words: Italian first, English second.
var journalText = map[string][2]string{
	"title":      {"Giornale del %s", "Journal of %s"},
	"none":       {"Nessuna vendita in questo giorno.", "No sales on this day."},
	"sale":       {"%s  vendita %s  %s  operatore %d  totale %s", "%s  sale %s  %s  operator %d  total %s"},
	"document":   {"  %s %s (Z %d, n. %d, stampante %s) %s", "  %s %s (Z %d, no. %d, printer %s) %s"},
	"line":       {"  %s x %s a %s = %s  reparto %d %s, %s", "  %s x %s at %s = %s  department %d %s, %s"},
	"payment":    {"  pagamento %s %s (%s)", "  payment %s %s (%s)"},
	"terminal":   {" terminale %s STAN %s autorizzazione %s", " terminal %s STAN %s auth code %s"},
	"vat":        {"  IVA %s: imponibile %s, imposta %s", "  VAT %s: taxable %s, tax %s"},
	"totals":     {"Totali: %d documentate (%s), %d in attesa, %d annullate", "Totals: %d documented (%s), %d pending, %d cancelled"},
	"by-method":  {"Per metodo di pagamento:", "By payment method:"},
	"by-dep":     {"Per reparto:", "By department:"},
	"by-vat":     {"IVA per aliquota:", "VAT by rate:"},
	"total-line": {"  %s  %s", "  %s  %s"},
	"dep-line":   {"  %d %s (%s)  %s", "  %d %s (%s)  %s"},
}

// words for states, document kinds and methods.
var journalWords = map[string][2]string{
	"pending":    {"in attesa", "pending"},
	"documented": {"documentata", "documented"},
	"cancelled":  {"annullata", "cancelled"},
	"receipt":    {"scontrino", "receipt"},
	"invoice":    {"fattura", "invoice"},
	"cash":       {"contanti", "cash"},
	"card":       {"carta", "card"},
	"coverflex":  {"Coverflex", "Coverflex"},
	"created":    {"creato", "created"},
	"sent":       {"inviato", "sent"},
	"approved":   {"approvato", "approved"},
	"declined":   {"rifiutato", "declined"},
	"unknown":    {"esito sconosciuto", "outcome unknown"},
	"reversed":   {"stornato", "reversed"},
}

func (p printer) line(key string, args ...any) {
	fmt.Fprintf(p.out, p.text(journalText[key])+"\n", args...)
}

// paymentWords are the states a payment shares with a sale, in the masculine.
var paymentWords = map[string][2]string{
	"documented": {"documentato", "documented"},
	"cancelled":  {"annullato", "cancelled"},
}

func (p printer) paymentState(w string) string {
	if t, ok := paymentWords[w]; ok {
		return p.text(t)
	}
	return p.word(w)
}

func (p printer) word(w string) string {
	if t, ok := journalWords[w]; ok {
		return p.text(t)
	}
	return w
}

// rate shows a VAT rate, or the nature of an exemption.
func rate(r money.Rate, nature string) string {
	if r == 0 && nature != "" {
		return nature
	}
	return r.String()
}

func writeJournal(p printer, j storage.DayJournal) {
	p.line("title", j.Day)
	if len(j.Sales) == 0 {
		fmt.Fprintln(p.out, p.text(journalText["none"]))
	}
	for _, s := range j.Sales {
		writeSale(p, s)
	}
	fmt.Fprintln(p.out)
	p.line("totals", j.Documented, j.TotalCents, j.Pending, j.Cancelled)
	p.line("by-method")
	for _, m := range j.ByMethod {
		p.line("total-line", p.word(m.Method), m.AmountCents)
	}
	p.line("by-dep")
	for _, d := range j.ByDepartment {
		p.line("dep-line", d.Number, d.Name, rate(d.VATRate, d.Nature), d.AmountCents)
	}
	p.line("by-vat")
	for _, v := range j.VAT {
		p.line("vat", rate(v.Rate, v.Nature), v.TaxableCents, v.TaxCents)
	}
}

func writeSale(p printer, s storage.JournalSale) {
	at := s.CreatedAt
	if t, err := timeOf(s.CreatedAt); err == nil {
		at = t
	}
	fmt.Fprintln(p.out)
	p.line("sale", at, s.ID, p.word(s.State), s.Operator, s.TotalCents)
	if d := s.Document; d != nil {
		p.line("document", p.word(d.Kind), d.Number, d.ZNumber, d.DocNumber, d.PrinterSerial, d.AmountCents)
	}
	for _, l := range s.Lines {
		p.line("line", money.Qty(l.QtyMilli), l.Description, l.UnitCents, l.AmountCents, l.Department, l.DepartmentName,
			rate(l.VATRate, l.Nature))
	}
	for _, pay := range s.Payments {
		var b strings.Builder
		fmt.Fprintf(&b, p.text(journalText["payment"]), p.word(pay.Method), pay.AmountCents, p.paymentState(pay.State))
		if pay.Method != "cash" {
			fmt.Fprintf(&b, p.text(journalText["terminal"]), dash(pay.TerminalID), dash(pay.STAN), dash(pay.AuthCode))
		}
		fmt.Fprintln(p.out, b.String())
	}
	for _, v := range s.VAT {
		p.line("vat", rate(v.Rate, v.Nature), v.TaxableCents, v.TaxCents)
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
