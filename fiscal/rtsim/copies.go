package rtsim

import (
	"unicode/utf8"
)

// Journal kinds of the documents this file adds.
const (
	KindInvoice = "invoice" // a courtesy paper invoice (printerFiscalDocument directInvoice)
	KindCopy    = "copy"    // a reprint (printDuplicateReceipt): no number, no day total
)

// checkInvoice validates a printerFiscalDocument the way checkReceipt validates a receipt: the
// customer lines (printRecMessage type 6) come before beginFiscalDocument directInvoice, then
// items, totals and endFiscalDocument under the receipt rules (items before totals, payments
// covering the total, known departments, text lengths). Receipt-only commands (lottery code,
// refund lines, the receipt's own begin/end) are out of sequence in an invoice. Nothing changes
// until the whole request passed.
func (s *Server) checkInvoice(cmds []Command) (Entry, *response) {
	d := draft{e: Entry{Kind: KindInvoice}}
	for i, c := range cmds {
		if d.ended {
			return Entry{}, printerError(stSequence)
		}
		attr := func(n string) string { v, _ := c.Attr(n); return v }
		switch c.Name {
		case "printRecMessage":
			if d.begun || attr("messageType") != "6" {
				return Entry{}, printerError(stSequence)
			}
			msg := attr("message")
			if n := utf8.RuneCountInString(msg); n == 0 || n > maxMsgText {
				return Entry{}, printerError(stBadValue)
			}
			d.e.Messages = append(d.e.Messages, msg)
			continue
		case "beginFiscalDocument":
			if attr("documentType") != "directInvoice" {
				return Entry{}, printerError(stBadValue)
			}
			c = Command{Name: "beginFiscalReceipt", Attrs: c.Attrs}
		case "endFiscalDocument":
			c = Command{Name: "endFiscalReceipt", Attrs: c.Attrs}
		case "printRecItem", "printRecItemAdjustment", "printRecSubtotal", "printRecTotal":
		case "beginFiscalReceipt", "endFiscalReceipt", "printRecRefund", "printRecLotteryID":
			return Entry{}, printerError(stSequence)
		default:
			r := failure("Non valid XML command", 0)
			return Entry{}, &r
		}
		if fail := s.step(&d, i, c); fail != nil {
			return Entry{}, fail
		}
	}
	if !d.ended || len(d.e.Messages) == 0 {
		return Entry{}, printerError(stSequence) // an invoice without a customer is not an invoice
	}
	return d.e, nil
}

// duplicate reprints the last document of the open day as a copy: it is journaled (kind "copy",
// Original the reprinted document) but takes no number and books nothing, because a copy is not
// a fiscal document. With no document in the day there is nothing to reprint (status 17).
func (s *Server) duplicate() response {
	last := s.st.last
	if last.Number == 0 {
		return failure("PRINTER ERROR", stNotPossib)
	}
	e := Entry{Kind: KindCopy, Z: last.Z, IssuedAt: s.cfg.Now(), Amount: last.Amount,
		Items: last.Items, Payments: last.Payments, Messages: last.Messages, Original: last.ID}
	s.st.journal = append(s.st.journal, e)
	s.writeJournal(e)
	return response{success: true, status: 2}
}

// class is what a request does, which decides the faults that apply to it.
type class int

const (
	asks   class = iota // the status query and the printerCommands that print nothing
	prints              // reports, printDuplicateReceipt, and what cannot be parsed
	issues              // fiscal documents: receipts, voids, refunds, courtesy invoices
)

// classOf sorts a request: paper and printer faults apply to everything that prints, every
// document and report, and printDuplicateReceipt and printContentByNumbers among the printerCommands (the status query and
// the others are answered even with paper out).
func classOf(req Request) class {
	switch req.Root {
	case "printerFiscalReceipt", "printerFiscalDocument":
		return issues
	case "printerCommand":
		for _, c := range req.Commands {
			if c.Name == "printDuplicateReceipt" || c.Name == "printContentByNumbers" {
				return prints
			}
		}
		return asks
	}
	return prints
}
