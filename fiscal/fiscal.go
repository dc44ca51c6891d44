// Package fiscal is what the till needs from a fiscal device: the Printer interface, the
// receipt it prints, the reference it returns, and the errors a caller must tell apart. It knows
// no wire format (see fiscal/epson) and never decides about a sale; the checkout does.
package fiscal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"till/money"
)

// PaymentMethod is how a share of a receipt was paid, as the till knows it.
type PaymentMethod string

// The methods the till offers.
const (
	Cash      PaymentMethod = "cash"
	Card      PaymentMethod = "card"
	Coverflex PaymentMethod = "coverflex"
)

// Line is one sold item. Its gross is UnitPrice × Quantity rounded to the cent; Amount is the
// gross less Discount, and the receipt total is the sum of line amounts. The till puts on each
// line all that discounts take off it (its own and its share of a discount on the whole sale),
// so every VAT rate's total is exact whatever the printer would do with a subtotal discount.
type Line struct {
	Description string
	QtyMilli    int64       // quantity in thousandths: 1000 is one piece
	UnitPrice   money.Cents // VAT included
	Department  int         // the department number the till and the printer share
	VATRate     money.Rate  // 0 with a Nature code
	Nature      string      // N1…N7 when VATRate is 0
	Discount    money.Cents // a positive amount taken off this line, VAT included; 0 for none
	// DiscountText is the discount's printed text ("SCONTO 10%"); empty means the driver's
	// default. Drivers cut it to their printer's length.
	DiscountText string
}

// Gross is what the line costs before its discount.
func (l Line) Gross() money.Cents { return l.UnitPrice.Mul(l.QtyMilli) }

// Amount is what the line costs after its discount.
func (l Line) Amount() money.Cents { return l.Gross() - l.Discount }

// Payment is one share of the total, printed as one total line.
type Payment struct {
	Method      PaymentMethod
	Amount      money.Cents
	Description string // printed text; empty means the driver's default for the method
}

// Receipt is a documento commerciale to print.
type Receipt struct {
	Lines         []Line
	Payments      []Payment
	LotteryCode   string // 8 alphanumerics, only with electronic payments; empty for none
	CustomerTaxID string // optional codice fiscale / P.IVA line
	Operator      int    // cashier number on the printer, 1 when unset
}

// Total is the sum of the line amounts.
func (r Receipt) Total() money.Cents {
	var t money.Cents
	for _, l := range r.Lines {
		t += l.Amount()
	}
	return t
}

// Paid is the sum of the payments.
func (r Receipt) Paid() money.Cents {
	var t money.Cents
	for _, p := range r.Payments {
		t += p.Amount
	}
	return t
}

// DocumentRef identifies a printed document: the printer's Z number and document number within
// it (printed as ZZZZ-NNNN), when, how much, and which printer.
type DocumentRef struct {
	ZNumber       int
	Number        int
	IssuedAt      time.Time
	Amount        money.Cents
	PrinterSerial string
	// AmountReported is true when the printer's answer stated the amount (fiscalReceiptAmount),
	// so an Amount of 0 can be told from an amount the printer did not say.
	AmountReported bool
}

// ID is the number printed on the document: "0245-0012".
func (d DocumentRef) ID() string { return fmt.Sprintf("%04d-%04d", d.ZNumber, d.Number) }

// Closure is the result of a daily closure (Z report).
type Closure struct {
	ZNumber  int
	DayTotal money.Cents
}

// Status is the printer's state, including the RT part that talks to the tax agency.
type Status struct {
	Ready         bool
	PaperLow      bool
	Detail        string // the printer's own words when not ready
	Serial        string // "" when the printer did not say it
	LastZ         int    // from counters the printer reported, 0 otherwise: decide nothing from it
	LastDocument  int    // likewise; LastDocumentReader says when the printer can tell its last document
	DailyOpen     bool
	FilesToSend   int
	FilesRejected int
	TrainingMode  bool
}

// Printer issues fiscal documents. Every method may block on I/O: never call it on the UI goroutine.
type Printer interface {
	PrintReceipt(ctx context.Context, r Receipt) (DocumentRef, error)
	Void(ctx context.Context, original DocumentRef) (DocumentRef, error)
	Refund(ctx context.Context, original DocumentRef, lines []Line, payments []Payment) (DocumentRef, error)
	DailyClosure(ctx context.Context) (Closure, error)
	XReport(ctx context.Context) error
	Status(ctx context.Context) (Status, error)
}

// The three ways printing fails, which callers must tell apart, and ErrCannotTell.
var (
	// ErrRefused: the printer refused the document before printing anything; nothing was issued.
	ErrRefused = errors.New("document refused by the printer")
	// ErrNotReady: paper out, cover open, offline; nothing was issued, retry when fixed.
	ErrNotReady = errors.New("printer not ready")
	// ErrOutcomeUnknown: the request left but no answer came back; the document may have been
	// issued. Reconcile by a documented answer of the printer before printing again; when the
	// printer cannot tell (ErrCannotTell), a person decides from the paper or its journal.
	ErrOutcomeUnknown = errors.New("printer outcome unknown")
	// ErrCannotTell: the printer cannot say its last document by a documented means, so an
	// unknown outcome cannot be reconciled with it: a person must look at the paper or at the
	// printer's electronic journal. Never read it as "nothing was issued".
	ErrCannotTell = errors.New("the printer cannot say its last document by a documented means")
	// ErrNotSupported: this printer (or its install) does not offer the operation; nothing was
	// sent. Not a failure of the printer: the caller offers something else or says why not.
	ErrNotSupported = errors.New("not supported by this printer")
)

// Error carries the printer's own code and status with one of the sentinel errors above, so
// the UI can explain what happened (errors.Is(err, ErrNotReady)) and a log keeps the detail.
type Error struct {
	Kind   error  // ErrRefused, ErrNotReady or ErrOutcomeUnknown
	Code   string // the printer's code, e.g. "EPTR_REC_EMPTY", "PRINTER ERROR"
	Status int    // the printer's native status, 0 when none
	Detail string // a short English explanation for logs
}

func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Code != "" {
		s += ": " + e.Code
	}
	if e.Status != 0 {
		s += fmt.Sprintf(" (status %d)", e.Status)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *Error) Unwrap() error { return e.Kind }
