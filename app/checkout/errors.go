package checkout

import (
	"errors"
	"fmt"

	"till/money"
)

// Input errors: each is shown to the cashier with what to do, and changes nothing.
var (
	ErrAmountTooLarge = errors.New("amount over 99.999,99 €")
	ErrZeroPrice      = errors.New("line with zero price")
	ErrLineTooSmall   = errors.New("line amount under one cent")
	ErrNoPrice        = errors.New("type a price before the department")
	ErrEmptySale      = errors.New("the sale has no lines")
	ErrTenderTooLow   = errors.New("cash tendered is below the amount due")
	ErrBadQuantity    = errors.New("quantity must be between 1 and 9999")
	ErrNoLine         = errors.New("no such line")
	ErrBusy           = errors.New("a payment is in progress")
)

// Errors of the payment flow the cashier or a manager must act on.
var (
	// ErrDeclined: the terminal refused the payment, or it provably never processed it; nothing
	// was taken.
	ErrDeclined = errors.New("payment declined by the terminal")
	// ErrUnresolved: the terminal's answer is not known and nothing proves it yet; the attempt
	// stays unknown, blocks new electronic payments on its sale and terminal, and is asked again.
	ErrUnresolved = errors.New("payment outcome not known yet")
	// ErrOverDue: the amount is more than what is left to pay.
	ErrOverDue = errors.New("amount over what is left to pay")
	// ErrReversalFailed: an approved payment could not be reversed; the sale stays as it is.
	ErrReversalFailed = errors.New("reversal failed")
	// ErrBlocked: an attempt whose outcome is unknown holds the sale or the terminal.
	ErrBlocked = errors.New("an unknown payment holds this sale or terminal")
	// ErrInFlight: the attempt's exchange is running in this till right now.
	ErrInFlight = errors.New("the payment is still running")
	// ErrPrintUncertain: the receipt may have been issued; a person must say whether it was.
	ErrPrintUncertain = errors.New("receipt outcome uncertain")
	// ErrNotUncertain: a person answered about a receipt that is not waiting for an answer.
	ErrNotUncertain = errors.New("the sale is not waiting for a print confirmation")
	// ErrPrinterNotReady: the printer cannot issue the document now; nothing was charged.
	ErrPrinterNotReady = errors.New("the printer is not ready")
	// ErrBadSlip means the data typed from the terminal's slip is not usable.
	ErrBadSlip = errors.New("the slip data is incomplete")
	// ErrOverpay: a settlement by hand would pay more than the sale's total.
	ErrOverpay = errors.New("the amount would pay more than the sale")
	// ErrBadDocumentNumber: a receipt number typed by a person is not ZZZZ-NNNN.
	ErrBadDocumentNumber = errors.New("the receipt number must be ZZZZ-NNNN")
)

// BlockedError names the attempt that holds a sale or a terminal.
type BlockedError struct {
	Attempt Attempt
	// SameSale: the attempt is on the sale being paid; otherwise on the terminal asked for.
	SameSale bool
}

func (e *BlockedError) Error() string {
	where := "terminal " + e.Attempt.TerminalID
	if e.SameSale {
		where = "this sale"
	}
	return fmt.Sprintf("%s: attempt %s of %s on %s is %s", ErrBlocked, e.Attempt.ID, e.Attempt.Requested, where, e.Attempt.State)
}

func (e *BlockedError) Unwrap() error { return ErrBlocked }

// UnresolvedError says why an attempt's outcome is still unknown.
type UnresolvedError struct {
	Attempt Attempt
	Reason  string // English, for logs and the audit trail
}

func (e *UnresolvedError) Error() string {
	return fmt.Sprintf("%s: attempt %s: %s", ErrUnresolved, e.Attempt.ID, e.Reason)
}

func (e *UnresolvedError) Unwrap() error { return ErrUnresolved }

// AmountMismatch is the warning when the printer's receipt total differs from the sale's.
type AmountMismatch struct {
	Document      string
	Sale, Printed money.Cents
}

func (e *AmountMismatch) Error() string {
	return fmt.Sprintf("receipt %s: the printer totals %s, the sale %s", e.Document, e.Printed, e.Sale)
}
