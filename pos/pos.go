// Package pos is the till's view of a card payment terminal: the Terminal interface the
// checkout calls, the results it gets back and the per-model profiles. It imports no
// protocol, network or serial code; drivers such as till/pos/ecr17 implement it.
//
// The one rule every implementation must keep: a payment request is never sent twice
// automatically. When the outcome cannot be known, Pay returns ErrOutcomeUnknown and the
// caller resolves it with LastResult.
package pos

import (
	"context"
	"errors"
	"time"

	"till/money"
)

// Terminal is a payment terminal as the checkout sees it. Every method blocks until the
// terminal answers, a timeout from the profile expires or ctx is done.
type Terminal interface {
	// Pay asks the terminal to charge amount. attemptID is the checkout's id for the
	// attempt; it is only used for logs, the terminal never sees it.
	Pay(ctx context.Context, amount money.Cents, attemptID string, opts PayOptions) (Result, error)
	// Reverse cancels the last payment. stan "000000" (or "") skips the STAN check.
	Reverse(ctx context.Context, stan string) (Result, error)
	// LastResult returns the terminal's last financial result, byte for byte as it was sent.
	LastResult(ctx context.Context) (Result, error)
	Status(ctx context.Context) (Status, error)
	Totals(ctx context.Context) (Totals, error)
	// CloseSession closes the terminal's accounting day. Like Pay, it is never re-sent.
	CloseSession(ctx context.Context) (Closure, error)
}

// ErrOutcomeUnknown means a financial request may have reached the terminal but its result
// was not received (link lost, timeout, cancellation). Resolve it with LastResult; never
// send the request again.
var ErrOutcomeUnknown = errors.New("pos: outcome unknown")

// ErrNotDelivered means the request certainly never reached the terminal (connection
// refused, every transmission NAKed). It is safe to try again.
var ErrNotDelivered = errors.New("pos: request not delivered")

// ErrForeignTerminal means a result came from a terminal id other than the configured
// one: it says nothing about this till's request, so the outcome stays unknown. It is
// always wrapped together with ErrOutcomeUnknown.
var ErrForeignTerminal = errors.New("pos: result from another terminal")

// ErrMalformedResult means a result could not be trusted as an approval or a decline: it
// is cut short, or a field that identifies the operation (STAN, authorisation code) is
// missing or not what the protocol allows. It is always wrapped together with
// ErrOutcomeUnknown.
var ErrMalformedResult = errors.New("pos: malformed result")

// ErrDeclined is what Result.Err reports for a declined result. Pay itself returns a nil
// error on a decline: the terminal answered, and the Outcome says what it decided.
var ErrDeclined = errors.New("pos: declined")

// Outcome is what the terminal decided about a financial request.
type Outcome int

const (
	Unknown Outcome = iota
	Approved
	Declined
)

func (o Outcome) String() string {
	switch o {
	case Approved:
		return "approved"
	case Declined:
		return "declined"
	}
	return "unknown"
}

// PaymentType is the card function the terminal should use.
type PaymentType int

const (
	PayAuto PaymentType = iota
	PayDebit
	PayCredit
	PayOther
)

// PayOptions are the per-payment choices of the checkout.
type PayOptions struct {
	Type PaymentType
	// ReceiptFoot is printed at the foot of the terminal's receipt (at most 128 characters).
	ReceiptFoot string
	// CardInserted tells the terminal the card is already in the reader.
	CardInserted bool
	// Progress receives the terminal's progress messages and receipt lines as they arrive.
	// It is called from the goroutine running Pay and must not block.
	Progress func(Event)
}

// EventKind tells progress text from receipt lines.
type EventKind int

const (
	EventProgress EventKind = iota
	EventReceiptLine
	EventReceiptEnd
)

// Event is one message from the terminal during an exchange.
type Event struct {
	Kind EventKind
	Text string
}

// Result is the terminal's answer to a financial request (payment, reversal, last result).
// A driver reports Approved or Declined only for a well-formed result from the configured
// terminal; otherwise the Outcome is Unknown and the fields hold what could be read, for
// the logs (see ErrForeignTerminal, ErrMalformedResult).
type Result struct {
	Outcome Outcome
	// Text is the terminal's reason on a decline.
	Text string
	// Requested is the amount the till asked for; Authorized what the terminal approved.
	// ECR17 carries no amount in its result, so for Pay both equal the request on approval,
	// and for LastResult and Reverse both are zero: match those by STAN and Raw.
	Requested  money.Cents
	Authorized money.Cents
	MaskedPAN  string
	EntryMode  string
	AuthCode   string
	// CardType is "1" debit, "2" credit, "3" other, as the terminal sent it.
	CardType        string
	AcquirerID      string
	STAN            string
	OperationNumber string
	TerminalID      string
	// HostDateTime is the raw DDDHHMM (day of year, hour, minute) from the host;
	// HostTime its reading in the local year of the result (zero if it does not parse).
	HostDateTime string
	HostTime     time.Time
	// ResultCode is the terminal's two-digit result ("00" approved, "01" declined).
	ResultCode string
	// Raw is the result payload exactly as received, to compare with LastResult.
	Raw []byte
}

// Err is nil for an approval, ErrDeclined for a decline and ErrOutcomeUnknown otherwise.
func (r Result) Err() error {
	switch r.Outcome {
	case Approved:
		return nil
	case Declined:
		return ErrDeclined
	}
	return ErrOutcomeUnknown
}

// Status is the terminal's state.
type Status struct {
	TerminalID string
	// Code is the terminal's status digit, 0–6; only 2 means it can take payments.
	Code      int
	Operative bool
	// DateTime is the terminal's clock, raw DDMMYYhhmm and parsed.
	DateTime string
	Time     time.Time
	Release  string
}

// StatusText names a status code in English for logs and JSON.
func StatusText(code int) string {
	texts := []string{"not configured", "configured, no keys", "operative", "not aligned",
		"keys corrupted", "download pending", "update pending"}
	if code >= 0 && code < len(texts) {
		return texts[code]
	}
	return "unknown"
}

// Totals are the terminal's running totals for the open accounting day.
type Totals struct {
	TerminalID string
	ResultCode string
	Terminal   money.Cents
}

// Closure is the answer to CloseSession.
type Closure struct {
	TerminalID  string
	OK          bool
	ResultCode  string
	Terminal    money.Cents
	Host        money.Cents
	Description string
	ActionCode  string
}
