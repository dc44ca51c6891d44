package epson

import (
	"context"
	"encoding/xml"
	"fmt"

	"till/fiscal"
)

// CodeOtherPrinter: the document to reprint was issued by another printer (by serial), whose
// electronic journal this one does not hold.
const CodeOtherPrinter = "TILL_OTHER_PRINTER"

// CodeNoReference: the document to reprint has no number or no issue date, and the journal is
// read by day and number.
const CodeNoReference = "TILL_DOCUMENT_WITHOUT_REFERENCE"

// CodePrinterUnknown: the serial of the printer that issued the document, or of this printer,
// is not known, so the driver cannot tell that this printer's journal holds that document:
// a reprint by number would print whatever this printer numbered so, so it is refused.
const CodePrinterUnknown = "TILL_DOCUMENT_PRINTER_UNKNOWN"

// printContentByNumbers prints the electronic journal's documents fromNumber..toNumber of a day.
// ASSUMPTION: the element is in Epson's ePOS Fiscal Print guide, not in our printer contract;
// the attribute names and dataType="1" (the journal's documents) are unverified.
type printContentByNumbers struct {
	XMLName    xml.Name `xml:"printContentByNumbers"`
	Operator   int      `xml:"operator,attr"`
	DataType   int      `xml:"dataType,attr"`
	Day        string   `xml:"day,attr"`
	Month      string   `xml:"month,attr"`
	Year       string   `xml:"year,attr"`
	FromNumber int      `xml:"fromNumber,attr"`
	ToNumber   int      `xml:"toNumber,attr"`
}

// BuildReprint returns the printerCommand that reprints one document of its day from the
// printer's electronic journal (printContentByNumbers, an assumption: see Config.ReprintByNumber).
// The day is the document's IssuedAt in the till's local time, which is the printer's.
func BuildReprint(of fiscal.DocumentRef) ([]byte, error) {
	if of.Number <= 0 {
		return nil, refuse(CodeNoReference, "document has no number")
	}
	if of.IssuedAt.IsZero() {
		return nil, refuse(CodeNoReference, "document has no issue date")
	}
	day := of.IssuedAt.Local()
	return marshal("printerCommand", []any{printContentByNumbers{Operator: 1, DataType: 1,
		Day: fmt.Sprintf("%02d", day.Day()), Month: fmt.Sprintf("%02d", int(day.Month())), Year: fmt.Sprintf("%04d", day.Year()),
		FromNumber: of.Number, ToNumber: of.Number}})
}

// CanReprintDocuments reports whether ReprintDocument is enabled (Config.ReprintByNumber).
func (d *Driver) CanReprintDocuments() bool { return d.cfg.ReprintByNumber }

// ReprintDocument reprints of, any document of the printer's journal, as a copy: never a new
// document, no number, no day total, so printing it twice harms no one. Without
// Config.ReprintByNumber it sends nothing and answers fiscal.ErrNotSupported. A document of
// another printer, or one whose printer cannot be told (its serial or this printer's unknown),
// is refused before any reprint is sent (the serial may be asked with a status query). After
// fiscal.ErrOutcomeUnknown the copy may or may not be on paper: the driver never resends it,
// the caller tells the cashier.
func (d *Driver) ReprintDocument(ctx context.Context, of fiscal.DocumentRef) error {
	what := "reprint " + of.ID()
	if !d.cfg.ReprintByNumber {
		return fmt.Errorf("%s: %w", what, fiscal.ErrNotSupported)
	}
	serial, err := d.Serial(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	switch {
	case of.PrinterSerial == "" || serial == "":
		// Without both serials the number may name another printer's document: never guess.
		return fmt.Errorf("%s: %w", what, refuse(CodePrinterUnknown, "printer serial of the document or of this printer unknown"))
	case serial != of.PrinterSerial:
		return fmt.Errorf("%s: %w", what, refuse(CodeOtherPrinter, "issued by printer "+of.PrinterSerial))
	}
	body, err := BuildReprint(of)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := d.post(ctx, body, d.cfg.Timeout); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
