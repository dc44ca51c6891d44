package checkout

import (
	"errors"
	"fmt"
	"time"

	"till/fiscal"
	"till/money"
	"till/pos"
)

// AttemptState is where an electronic payment attempt stands. Each state is written to the
// database before the side effect that follows it (README, "Never lose or double a payment";
// the rules that settle an attempt are in docs/terminal.md, "Rules of evidence").
type AttemptState string

// The states of an attempt.
const (
	AttemptCreated    AttemptState = "created"    // recorded, nothing sent yet
	AttemptSent       AttemptState = "sent"       // the request may have reached the terminal
	AttemptUnknown    AttemptState = "unknown"    // link lost or timeout: ask the terminal (G)
	AttemptApproved   AttemptState = "approved"   // money taken; the document is still due
	AttemptDeclined   AttemptState = "declined"   // nothing taken, on evidence
	AttemptCancelled  AttemptState = "cancelled"  // never sent
	AttemptDocumented AttemptState = "documented" // on an issued document
	AttemptReversed   AttemptState = "reversed"   // approved, then reversed on the terminal
)

// transitions is the attempt's diagram as data: from → allowed next states
//
//	created ──▶ sent ──▶ approved ──▶ documented | reversed
//	   │          ├────▶ declined
//	   ▼          └────▶ unknown ──▶ approved | declined
//	cancelled
//
// The same table decides the database write: every write is "UPDATE … WHERE id = ? AND
// state = <from>".
var transitions = map[AttemptState][]AttemptState{
	AttemptCreated:  {AttemptSent, AttemptCancelled},
	AttemptSent:     {AttemptApproved, AttemptDeclined, AttemptUnknown},
	AttemptUnknown:  {AttemptApproved, AttemptDeclined},
	AttemptApproved: {AttemptDocumented, AttemptReversed},
}

// Open tells whether the attempt still needs the terminal or a document.
func (s AttemptState) Open() bool {
	return s == AttemptCreated || s == AttemptSent || s == AttemptUnknown || s == AttemptApproved
}

// Unresolved tells whether the terminal's decision is not known: such an attempt blocks every
// new electronic payment on its sale and on its terminal.
func (s AttemptState) Unresolved() bool {
	return s == AttemptCreated || s == AttemptSent || s == AttemptUnknown
}

// Attempt is one electronic payment (card or Coverflex) on a terminal.
type Attempt struct {
	ID         string
	SaleID     string
	Method     fiscal.PaymentMethod
	State      AttemptState
	Requested  money.Cents
	Authorized money.Cents
	DeviceID   string
	TerminalID string
	MerchantID string
	// PrevSTAN and PrevRaw are the terminal's last result as this till knew it before sending:
	// a last-result answer is judged against them (see evidence.go).
	PrevSTAN string
	PrevRaw  string
	// Exclusive: the terminal was enabled on this till only when the request was sent.
	Exclusive bool
	// WorkTimeout is how long the terminal may work on the request (its own timeout).
	WorkTimeout     time.Duration
	SentAt          time.Time // when the request left; zero until sent
	MaskedPAN       string
	AuthCode        string
	STAN            string
	AcquirerID      string
	OperationNumber string
	EntryMode       string
	CardType        string
	HostDateTime    string
	TerminalText    string // the terminal's own text on a decline
	// Evidence is how the outcome was established (EvidenceResult, EvidenceLastResult…).
	Evidence     string
	ReversalSTAN string // the reversal's STAN once reversed
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ErrTransition is returned for a move the diagram does not allow.
type ErrTransition struct{ From, To AttemptState }

func (e ErrTransition) Error() string {
	return fmt.Sprintf("attempt cannot go from %s to %s", e.From, e.To)
}

// ErrStale means the attempt's state in the database is not the one its writer read: someone
// else moved it first. The write changed nothing.
var ErrStale = errors.New("attempt changed meanwhile")

// StaleError says which state the writer expected and which it found.
type StaleError struct {
	ID          string
	Want, Found AttemptState
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("attempt %s: expected %s, found %s", e.ID, e.Want, e.Found)
}

func (e *StaleError) Unwrap() error { return ErrStale }

// moveTo changes the state if the diagram allows it.
func (a *Attempt) moveTo(to AttemptState, at time.Time) error {
	for _, next := range transitions[a.State] {
		if next == to {
			a.State, a.UpdatedAt = to, at
			return nil
		}
	}
	return ErrTransition{a.State, to}
}

// Send marks that the request is about to leave: from now on it may have arrived.
func (a *Attempt) Send(at time.Time) error {
	if err := a.moveTo(AttemptSent, at); err != nil {
		return err
	}
	a.SentAt = at
	return nil
}

// Cancel drops an attempt that was never sent.
func (a *Attempt) Cancel(at time.Time) error { return a.moveTo(AttemptCancelled, at) }

// LoseTrack marks that the outcome is unknown (link lost, timeout, crash).
func (a *Attempt) LoseTrack(at time.Time) error { return a.moveTo(AttemptUnknown, at) }

// Approve records the terminal's approval. An approval for no amount approves what was asked.
func (a *Attempt) Approve(r pos.Result, at time.Time) error {
	if err := a.moveTo(AttemptApproved, at); err != nil {
		return err
	}
	a.Authorized = r.Authorized
	if a.Authorized <= 0 || a.Authorized > a.Requested {
		a.Authorized = a.Requested
	}
	a.MaskedPAN, a.AuthCode, a.STAN, a.AcquirerID = r.MaskedPAN, r.AuthCode, r.STAN, r.AcquirerID
	a.OperationNumber, a.EntryMode, a.CardType, a.HostDateTime = r.OperationNumber, r.EntryMode, r.CardType, r.HostDateTime
	return nil
}

// Decline records the terminal's refusal and its text.
func (a *Attempt) Decline(r pos.Result, at time.Time) error {
	if err := a.moveTo(AttemptDeclined, at); err != nil {
		return err
	}
	a.TerminalText, a.STAN, a.Authorized = r.Text, r.STAN, 0
	return nil
}

// Document marks the approved payment as printed on the sale's document.
func (a *Attempt) Document(at time.Time) error { return a.moveTo(AttemptDocumented, at) }

// Reverse marks the approved payment as reversed on the terminal.
func (a *Attempt) Reverse(at time.Time) error { return a.moveTo(AttemptReversed, at) }
