package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"till/fiscal"
	"till/money"
)

// ReturnKind is a refund (reso: some lines back) or a void (annullo: the whole document, the
// same day).
type ReturnKind string

// The kinds of return.
const (
	KindRefund ReturnKind = "refund"
	KindVoid   ReturnKind = "void"
)

// ReturnState is where a return's document stands. Each state is written before the side
// effect that follows it, as for a sale's receipt.
type ReturnState string

// The states of a return's document.
const (
	ReturnPrinting   ReturnState = "printing"   // recorded; the document may be on its way
	ReturnDocumented ReturnState = "documented" // issued and recorded
	ReturnRefused    ReturnState = "refused"    // the printer said no: nothing issued, lines free again
	ReturnUncertain  ReturnState = "uncertain"  // may have been issued: a person says, never reprinted alone
)

// returnTransitions is the return's diagram as data; storage writes each edge as
// "UPDATE … WHERE id = ? AND state = <from>".
//
//	printing ──▶ documented | refused | uncertain
//	uncertain ──▶ documented | refused   (a person's word)
var returnTransitions = map[ReturnState][]ReturnState{
	ReturnPrinting:  {ReturnDocumented, ReturnRefused, ReturnUncertain},
	ReturnUncertain: {ReturnDocumented, ReturnRefused},
}

// CanMove tells whether a return may go from one state to another.
func (s ReturnState) CanMove(to ReturnState) bool {
	for _, t := range returnTransitions[s] {
		if t == to {
			return true
		}
	}
	return false
}

// MoneyState is where one share of the money going back stands.
type MoneyState string

// The states of the money going back.
const (
	MoneyPlanned   MoneyState = "planned"   // nothing done yet
	MoneyReversing MoneyState = "reversing" // the reversal may have reached the terminal: never sent again
	MoneyDone      MoneyState = "done"      // cash handed out, or reversed on the terminal
	MoneyManual    MoneyState = "manual"    // a person does it; Detail says how
	MoneyUnknown   MoneyState = "unknown"   // the reversal's answer was lost: a person checks the terminal
)

// ReturnLine is one sale line (by its 0-based position) given back, in whole or in part.
type ReturnLine struct {
	Position int
	QtyMilli int64
	Amount   money.Cents // what the customer paid for this quantity, discounts included
	Line     fiscal.Line // as printed on the return document
}

// MoneyBack is one share of the money going back.
type MoneyBack struct {
	ID           string
	Method       fiscal.PaymentMethod
	Amount       money.Cents
	AttemptID    string // the original electronic payment, "" for cash
	DeviceID     string
	STAN         string // the original payment's STAN, checked by the terminal on reversal
	ReversalSTAN string
	State        MoneyState
	Detail       string // for a person: what to do, Italian then English
}

// Return is a refund or a void of a documented sale.
type Return struct {
	ID       string
	Kind     ReturnKind
	SaleID   string
	Original Document // the receipt (or invoice) it refers to
	Lines    []ReturnLine
	Amount   money.Cents
	Operator Operator
	State    ReturnState
	Document fiscal.DocumentRef // the return's own document, once issued
	Money    []MoneyBack
	Created  time.Time
	// CreditNote is the FatturaPA TD04 of a refunded invoice; CreditNoteNumber its number.
	CreditNote       []byte
	CreditNoteNumber string
}

// Returnable is what a return needs to know about the original sale, read in one go.
type Returnable struct {
	Sale     *Sale
	Document Document
	// Returned is the quantity of each line (by position) already in a return that is not
	// refused: documented, printing or uncertain ones all count, so nothing goes back twice.
	Returned map[int]int64
	Cash     money.Cents // cash the customer paid (after change)
	Open     int         // returns of the sale left printing or uncertain: a person must look first
	// Given is what returns of the sale that are not refused give back, by attempt id ("" for
	// cash), so the money plan never counts a payment twice.
	Given    map[string]money.Cents
	Attempts []Attempt // the sale's electronic payments
	// InvoiceXML is the stored electronic invoice when the document is one: its credit note
	// takes the parties and the reference from it.
	InvoiceXML []byte
}

// ReturnJournal is where returns are written, each state before the next side effect.
type ReturnJournal interface {
	// Returnable reads the documented sale whose document is number (ZZZZ-NNNN or an invoice
	// number).
	Returnable(ctx context.Context, number string) (Returnable, error)
	// BeginReturn records the return in state printing with its lines and money plan, in one
	// transaction, and refuses (ErrAlreadyReturned) when a line would go over what the sale
	// sold less what other returns that are not refused hold, or when the sale is voided.
	BeginReturn(ctx context.Context, r *Return) error
	// MoveReturn writes the return's new state where it is still from; with to documented it
	// also writes the document (and a credit note's XML).
	MoveReturn(ctx context.Context, r *Return, from ReturnState) error
	// MoveMoney writes a money share's new state where it is still from.
	MoveMoney(ctx context.Context, returnID string, m *MoneyBack, from MoneyState) error
	// RecordCreditNote numbers a refund of an invoice in the invoices' yearly sequence, builds
	// its XML with build (inside the transaction: it must not use the journal) and records the
	// return documented with its lines and money plan, in one transaction, with the same line
	// checks as BeginReturn.
	RecordCreditNote(ctx context.Context, r *Return, build func(number string) ([]byte, error)) error
	// LoadReturn reads one return with its money (not its lines).
	LoadReturn(ctx context.Context, id string) (*Return, error)
	// OpenReturns are returns in state printing (a crash or a lost answer) or uncertain, and
	// documented returns with a reversal left reversing (a crash while it was on its way).
	OpenReturns(ctx context.Context) ([]Return, error)
}

// Errors of returns the caller must tell apart.
var (
	// ErrAlreadyReturned: a line (or the whole document) was refunded or voided already, or a
	// return of it is uncertain.
	ErrAlreadyReturned = errors.New("already refunded or voided")
	// ErrNotReturnable: the original is not a documented receipt or invoice, or the request
	// does not fit it (no such line, quantity over the line's, a void on another day).
	ErrNotReturnable = errors.New("cannot be refunded or voided")
	// ErrNotManager: refunds and voids are a manager's.
	ErrNotManager = errors.New("refunds and voids need a manager")
	// ErrSerialUnknown: the original's printer serial is not recorded, so its reference line
	// cannot be printed right.
	ErrSerialUnknown = errors.New("the original's printer serial is not known")
	// ErrReturnUncertain: the return's document may have been issued; a person must say.
	ErrReturnUncertain = errors.New("return document outcome uncertain")
	// ErrMoneyUnknown: the document is issued and recorded, but a reversal's answer was lost:
	// a person checks the terminal (never sent again).
	ErrMoneyUnknown = errors.New("reversal outcome unknown")
)

// Wanted is one line asked back: 0-based position and quantity (0: what is left of it).
type Wanted struct {
	Position int
	QtyMilli int64
}

// ReturnLines works out the lines of a return from what is asked and what is left, with the
// amount of each: the customer's paid amount for the line (its discounts and its share of the
// sale's discount off) in proportion to the quantity, rounded so that the parts of a line
// given back in several refunds add up to exactly what was paid for it. A refund with no line
// asked takes what is left of every line. A void takes every line whole and refuses when
// anything was returned already.
func ReturnLines(src Returnable, kind ReturnKind, wanted []Wanted) ([]ReturnLine, error) {
	s := src.Sale
	if kind == KindVoid {
		for _, q := range src.Returned {
			if q > 0 {
				return nil, fmt.Errorf("void %s: %w", src.Document.Label, ErrAlreadyReturned)
			}
		}
		wanted = wanted[:0:0]
		for i := range s.Lines {
			wanted = append(wanted, Wanted{Position: i})
		}
	}
	if len(wanted) == 0 {
		for i, l := range s.Lines {
			if src.Returned[i] < l.QtyMilli {
				wanted = append(wanted, Wanted{Position: i})
			}
		}
	}
	if len(wanted) == 0 {
		return nil, fmt.Errorf("%s: nothing left: %w", src.Document.Label, ErrAlreadyReturned)
	}
	shares := s.DiscountShares()
	seen := map[int]bool{}
	var out []ReturnLine
	for _, w := range wanted {
		if w.Position < 0 || w.Position >= len(s.Lines) || seen[w.Position] {
			return nil, fmt.Errorf("line %d: %w", w.Position+1, ErrNotReturnable)
		}
		seen[w.Position] = true
		l := s.Lines[w.Position]
		done := src.Returned[w.Position]
		left := l.QtyMilli - done
		qty := w.QtyMilli
		if qty == 0 {
			qty = left
		}
		switch {
		case left <= 0:
			return nil, fmt.Errorf("line %d: %w", w.Position+1, ErrAlreadyReturned)
		case qty < 0 || qty > left:
			return nil, fmt.Errorf("line %d: %d of %d left: %w", w.Position+1, qty, left, ErrAlreadyReturned)
		}
		paid := l.Amount() - shares[w.Position]
		amount := part(paid, done+qty, l.QtyMilli) - part(paid, done, l.QtyMilli)
		gross := l.UnitPrice.Mul(qty)
		discount := gross - amount
		if discount < 0 {
			discount = 0
		}
		out = append(out, ReturnLine{Position: w.Position, QtyMilli: qty, Amount: amount, Line: fiscal.Line{
			Description: l.Description, QtyMilli: qty, UnitPrice: l.UnitPrice, Department: l.Department.Number,
			VATRate: l.Department.VATRate, Nature: l.Department.Nature, Discount: discount}})
	}
	return out, nil
}

// part is paid × num / den rounded half up, in integers.
func part(paid money.Cents, num, den int64) money.Cents {
	return money.Cents((int64(paid)*num*2 + den) / (den * 2))
}

// PlanMoney decides how amount goes back, as one pure rule: electronic payments whole, the
// last first, while the amount covers them (each is reversed on its terminal if it is still
// that terminal's last transaction); then cash, up to what was paid in cash; what remains is a
// part of an electronic payment, which a terminal cannot reverse in part, so a person does it.
// given is what earlier returns of the sale (not refused) already give back, by attempt id
// ("" for cash): a payment given back in part is never reversed whole, nor given back twice.
func PlanMoney(amount, cash money.Cents, attempts []Attempt, given map[string]money.Cents) []MoneyBack {
	var plan []MoneyBack
	left := amount
	var partial *Attempt
	for i := len(attempts) - 1; i >= 0 && left > 0; i-- {
		a := attempts[i]
		if a.State != AttemptDocumented || a.Authorized-given[a.ID] <= 0 {
			continue
		}
		if given[a.ID] == 0 && a.Authorized <= left {
			plan = append(plan, MoneyBack{Method: a.Method, Amount: a.Authorized, AttemptID: a.ID, DeviceID: a.DeviceID,
				STAN: a.STAN, State: MoneyPlanned})
			left -= a.Authorized
		} else if partial == nil {
			partial = &attempts[i]
		}
	}
	if c := min(left, cash-given[""]); c > 0 {
		plan = append(plan, MoneyBack{Method: fiscal.Cash, Amount: c, State: MoneyPlanned})
		left -= c
	}
	if left > 0 {
		m := MoneyBack{Method: fiscal.Cash, Amount: left, State: MoneyManual}
		if partial != nil {
			m = MoneyBack{Method: partial.Method, Amount: left, AttemptID: partial.ID, DeviceID: partial.DeviceID,
				STAN: partial.STAN, State: MoneyManual}
		}
		m.Detail = partialDetail(m)
		plan = append(plan, m)
	}
	return plan
}

func partialDetail(m MoneyBack) string {
	return fmt.Sprintf("rimborsa %s in contanti o con uno storno manuale sul POS (pagamento STAN %s): il POS non storna una parte di un pagamento"+
		" / refund %s in cash or by a manual refund on the POS (payment STAN %s): a terminal cannot reverse part of a payment",
		m.Amount, m.STAN, m.Amount, m.STAN)
}

// notLastDetail is what a person does when a payment is no longer the terminal's last.
func notLastDetail(m MoneyBack, why string) string {
	return fmt.Sprintf("rimborsa %s in contanti o con uno storno manuale sul POS (pagamento STAN %s, %s)"+
		" / refund %s in cash or by a manual refund on the POS (payment STAN %s, %s)",
		m.Amount, m.STAN, why, m.Amount, m.STAN, why)
}

// Payments are the return document's payment lines: how the money goes back.
func (r *Return) Payments() []fiscal.Payment {
	var out []fiscal.Payment
	for _, m := range r.Money {
		out = append(out, fiscal.Payment{Method: m.Method, Amount: m.Amount})
	}
	return out
}
