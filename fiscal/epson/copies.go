package epson

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"till/fiscal"
)

// Codes of the driver's own refusals for invoices and copies, in *fiscal.Error.Code.
const (
	CodeBadInvoice      = "TILL_BAD_COURTESY_INVOICE" // no number, no customer, or too many customer lines
	CodeNotLastDocument = "TILL_NOT_LAST_DOCUMENT"    // printDuplicateReceipt reprints only the last document
)

// DetailNotLastDocument is the Detail of the CodeNotLastDocument refusal.
const DetailNotLastDocument = "only the last document can be reprinted"

// MessageTypeCustomer is the printRecMessage type of the customer lines before a direct invoice.
const MessageTypeCustomer = 6

var (
	_ fiscal.CourtesyInvoicePrinter = (*Driver)(nil)
	_ fiscal.DuplicatePrinter       = (*Driver)(nil)
)

type beginFiscalDocument struct {
	XMLName      xml.Name `xml:"beginFiscalDocument"`
	Operator     int      `xml:"operator,attr"`
	DocumentType string   `xml:"documentType,attr"`
}

type endFiscalDocument struct {
	XMLName  xml.Name `xml:"endFiscalDocument"`
	Operator int      `xml:"operator,attr"`
}

type printDuplicateReceipt struct {
	XMLName xml.Name `xml:"printDuplicateReceipt"`
}

// invoiceNumberLine is the first customer line. The spec names no attribute for the till's own
// invoice number, so it is printed as text above the customer; change it here if a printer
// model wants it elsewhere.
func invoiceNumberLine(number string) string { return "FATTURA N. " + number }

// BuildCourtesyInvoice returns the printerFiscalDocument request for a courtesy paper invoice:
// the invoice number and customer lines (printRecMessage type 6) first, then beginFiscalDocument
// directInvoice, the items as in a receipt, one printRecTotal per payment, endFiscalDocument.
// It refuses, before anything is sent, what BuildReceipt refuses, plus an invoice without a
// number or customer or with more than fiscal.MaxCourtesyCustomerLines customer lines. Invoices
// carry no lottery code: the lottery is for consumers who do not ask for an invoice.
func BuildCourtesyInvoice(inv fiscal.CourtesyInvoice, depts DepartmentMap, pays PaymentMap) ([]byte, error) {
	op := operator(inv.Operator)
	if strings.TrimSpace(inv.Number) == "" {
		return nil, refuse(CodeBadInvoice, "invoice has no number")
	}
	customer := 0
	for _, c := range inv.Customer {
		if strings.TrimSpace(c) != "" {
			customer++
		}
	}
	if customer == 0 || len(inv.Customer) > fiscal.MaxCourtesyCustomerLines {
		return nil, refuse(CodeBadInvoice, fmt.Sprintf("invoice needs 1 to %d customer lines, has %d",
			fiscal.MaxCourtesyCustomerLines, len(inv.Customer)))
	}
	if len(inv.Lines) == 0 {
		return nil, refuse(CodeEmptyReceipt, "invoice has no lines")
	}
	if inv.Paid() < inv.Total() {
		return nil, refuse(CodeUnderpaid, fmt.Sprintf("paid %s of %s", inv.Paid(), inv.Total()))
	}
	cmds := []any{printRecMessage{Operator: op, MessageType: MessageTypeCustomer, Index: 1, Font: 1,
		Message: Truncate(invoiceNumberLine(inv.Number), MaxMessageText)}}
	for _, c := range inv.Customer {
		if strings.TrimSpace(c) == "" {
			continue // an empty line would print a gap, and the printer refuses empty text
		}
		cmds = append(cmds, printRecMessage{Operator: op, MessageType: MessageTypeCustomer, Index: len(cmds) + 1,
			Font: 1, Message: Truncate(c, MaxMessageText)})
	}
	cmds = append(cmds, beginFiscalDocument{Operator: op, DocumentType: "directInvoice"})
	items, err := itemCommands(op, inv.Lines, depts)
	if err != nil {
		return nil, err
	}
	cmds = append(cmds, items...)
	totals, _, err := totalCommands(op, inv.Payments, pays)
	if err != nil {
		return nil, err
	}
	cmds = append(cmds, totals...)
	cmds = append(cmds, endFiscalDocument{Operator: op})
	return marshal("printerFiscalDocument", cmds)
}

// BuildDuplicate returns the printerCommand that reprints the printer's last document as a copy.
func BuildDuplicate() ([]byte, error) {
	return marshal("printerCommand", []any{printDuplicateReceipt{}})
}

// PrintCourtesyInvoice prints a courtesy paper invoice (fattura diretta). The printer numbers it
// in its document sequence like a receipt and answers the same fields, so the reference and
// every error mean what they mean for PrintReceipt (reconcile an unknown outcome with
// fiscal.Reconcile and inv.Total()).
func (d *Driver) PrintCourtesyInvoice(ctx context.Context, inv fiscal.CourtesyInvoice) (fiscal.DocumentRef, error) {
	body, err := BuildCourtesyInvoice(inv, d.cfg.Departments, d.cfg.Payments)
	return d.issue(ctx, "print courtesy invoice "+inv.Number, body, err)
}

// PrintDuplicate reprints of, marked as a copy by the printer. printDuplicateReceipt takes no
// document reference and always reprints the last document. When the printer can tell its last
// document (Config.StatusCounters and an answer carrying the counters) the driver first checks
// it and refuses (CodeNotLastDocument, nothing sent) when of is another one: otherwise the
// customer would get a copy of someone else's receipt.
//
// When the printer cannot tell (fiscal.ErrCannotTell) the copy is printed without the check:
// the caller (the checkout) only asks for the document it recorded last on this printer, and a
// copy is never a fiscal document, so refusing would only take the copy from the customer.
func (d *Driver) PrintDuplicate(ctx context.Context, of fiscal.DocumentRef) error {
	what := "duplicate " + of.ID()
	last, err := d.LastDocument(ctx)
	switch {
	case errors.Is(err, fiscal.ErrCannotTell):
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	default:
		sameSerial := of.PrinterSerial == "" || last.PrinterSerial == "" || of.PrinterSerial == last.PrinterSerial
		if last.Number == 0 || last.ZNumber != of.ZNumber || last.Number != of.Number || !sameSerial {
			return fmt.Errorf("%s: %w", what, refuse(CodeNotLastDocument, DetailNotLastDocument))
		}
	}
	body, err := BuildDuplicate()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := d.post(ctx, body, d.cfg.Timeout); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
