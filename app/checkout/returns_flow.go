package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"till/fiscal"
	"till/pos"
)

// ReturnPrinter is what a return needs from the printer: the question, before anything is
// printed, whether the original can be voided or refunded, and the documents themselves with
// the operator's number on them. Errors are fiscal's (ErrRefused, ErrNotReady,
// ErrOutcomeUnknown).
type ReturnPrinter interface {
	CanReturn(ctx context.Context, void bool, original fiscal.DocumentRef) error
	VoidAs(ctx context.Context, operator int, original fiscal.DocumentRef) (fiscal.DocumentRef, error)
	RefundAs(ctx context.Context, operator int, original fiscal.DocumentRef, lines []fiscal.Line, payments []fiscal.Payment) (fiscal.DocumentRef, error)
}

// CreditNoteWriter builds the FatturaPA credit note (TD04) of a refunded invoice, with the
// invoice's own parties (src.InvoiceXML).
type CreditNoteWriter interface {
	CreditNote(r *Return, src Returnable, number string) ([]byte, error)
}

// Returns does refunds and voids of documented sales for one till. Every step is recorded
// before the next side effect: the return (state printing) before its document is sent, the
// document before any money moves, a reversal (reversing) before it leaves for the terminal.
type Returns struct {
	Checkout *Checkout // the terminals, ids, the clock and the step hook
	Journal  ReturnJournal
	Printer  ReturnPrinter
	// CreditNotes builds credit notes; nil: refunds of invoices are refused.
	CreditNotes CreditNoteWriter
}

// ReturnRequest is what a manager asks: a refund of some lines, or a void of the whole
// same-day receipt.
type ReturnRequest struct {
	Kind     ReturnKind
	Number   string   // the original: ZZZZ-NNNN, or an invoice number
	Lines    []Wanted // a refund's lines; empty with a void
	Operator Operator
}

// Do checks everything before any side effect (a manager asks, the original is a documented
// receipt or invoice of this till, the lines are not over what is left, a void is of today,
// the serial is known, the printer says it can be done), records the return, issues its
// document and gives the money back. A lost printer answer leaves the return uncertain
// (ErrReturnUncertain) and it is never printed again by the till: a person says.
func (rs *Returns) Do(ctx context.Context, req ReturnRequest) (*Return, error) {
	c := rs.Checkout
	if !req.Operator.IsManager() {
		return nil, ErrNotManager
	}
	src, err := rs.Journal.Returnable(ctx, req.Number)
	if err != nil {
		return nil, err
	}
	if src.Open > 0 {
		return nil, fmt.Errorf("document %s: a return of it is uncertain: %w", src.Document.Label, ErrReturnUncertain)
	}
	lines, err := ReturnLines(src, req.Kind, req.Lines)
	if err != nil {
		return nil, err
	}
	r := &Return{ID: c.NewID(), Kind: req.Kind, SaleID: src.Sale.ID, Original: src.Document, Lines: lines,
		Operator: req.Operator, State: ReturnPrinting, Created: c.Now()}
	for _, l := range lines {
		r.Amount += l.Amount
	}
	if r.Amount <= 0 {
		return nil, fmt.Errorf("nothing to give back: %w", ErrNotReturnable)
	}
	r.Money = PlanMoney(r.Amount, src.Cash, src.Attempts, src.Given)
	for i := range r.Money {
		r.Money[i].ID = c.NewID()
	}
	if src.Document.Kind == "invoice" {
		return rs.creditNote(ctx, r, src)
	}
	if err := rs.checkReceipt(ctx, r, src); err != nil {
		return nil, err
	}
	if err := rs.Journal.BeginReturn(ctx, r); err != nil {
		return nil, err
	}
	c.step("return-recorded")
	if err := rs.print(ctx, r); err != nil {
		return r, err
	}
	return r, rs.giveBack(context.WithoutCancel(ctx), r)
}

// checkReceipt is every check a receipt's return passes before it is recorded.
func (rs *Returns) checkReceipt(ctx context.Context, r *Return, src Returnable) error {
	orig := src.Document.DocumentRef
	if r.Kind == KindVoid && !sameDay(orig, rs.Checkout.Now()) {
		return fmt.Errorf("annullo solo in giornata: usa un reso / void only on the same day: use a refund: %w", ErrNotReturnable)
	}
	if orig.PrinterSerial == "" {
		return fmt.Errorf("document %s: %w", src.Document.Label, ErrSerialUnknown)
	}
	if err := rs.Printer.CanReturn(ctx, r.Kind == KindVoid, orig); err != nil {
		return err
	}
	return nil
}

func sameDay(ref fiscal.DocumentRef, now time.Time) bool {
	y1, m1, d1 := ref.IssuedAt.Local().Date()
	y2, m2, d2 := now.Local().Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// print issues the return's document and records what the printer said: documented,
// refused (nothing issued) or uncertain (it may have been issued).
func (rs *Returns) print(ctx context.Context, r *Return) error {
	c := rs.Checkout
	var ref fiscal.DocumentRef
	var err error
	if r.Kind == KindVoid {
		ref, err = rs.Printer.VoidAs(ctx, r.Operator.Number, r.Original.DocumentRef)
	} else {
		lines := make([]fiscal.Line, len(r.Lines))
		for i, l := range r.Lines {
			lines[i] = l.Line
		}
		ref, err = rs.Printer.RefundAs(ctx, r.Operator.Number, r.Original.DocumentRef, lines, r.Payments())
	}
	ctx = context.WithoutCancel(ctx) // a cancel stops waiting, never recording
	switch {
	case err == nil:
		c.step("return-printed")
		r.Document = ref
		if err := rs.move(ctx, r, ReturnDocumented); err != nil {
			return err
		}
		c.step("return-documented")
		return nil
	case errors.Is(err, fiscal.ErrRefused), errors.Is(err, fiscal.ErrNotReady):
		if merr := rs.move(ctx, r, ReturnRefused); merr != nil {
			return fmt.Errorf("%w; record: %w", err, merr)
		}
		return err
	default:
		if merr := rs.move(ctx, r, ReturnUncertain); merr != nil {
			return fmt.Errorf("%w; record: %w", err, merr)
		}
		return fmt.Errorf("%w: %w", ErrReturnUncertain, err)
	}
}

func (rs *Returns) move(ctx context.Context, r *Return, to ReturnState) error {
	from := r.State
	if !from.CanMove(to) {
		return fmt.Errorf("return %s: %s → %s not allowed", r.ID, from, to)
	}
	r.State = to
	if err := rs.Journal.MoveReturn(ctx, r, from); err != nil {
		r.State = from
		return err
	}
	return nil
}

// giveBack settles each planned share: cash is recorded as handed out; an electronic payment
// is reversed on its terminal only when it is still that terminal's last transaction (its
// last result carries the payment's STAN), and otherwise left to a person with what to do.
func (rs *Returns) giveBack(ctx context.Context, r *Return) error {
	for i := range r.Money {
		m := &r.Money[i]
		if m.State != MoneyPlanned {
			continue
		}
		if m.Method == fiscal.Cash {
			if err := rs.moveMoney(ctx, r, m, MoneyDone, ""); err != nil {
				return err
			}
			continue
		}
		if err := rs.reverse(ctx, r, m); err != nil {
			return err
		}
		if m.State == MoneyUnknown {
			return fmt.Errorf("%s %s (STAN %s): %w", m.Method, m.Amount, m.STAN, ErrMoneyUnknown)
		}
	}
	return nil
}

func (rs *Returns) moveMoney(ctx context.Context, r *Return, m *MoneyBack, to MoneyState, detail string) error {
	from := m.State
	m.State, m.Detail = to, detail
	if err := rs.Journal.MoveMoney(ctx, r.ID, m, from); err != nil {
		m.State = from
		return err
	}
	return nil
}

// reverse reverses one electronic payment. The reversal is a financial command: written as
// reversing before it leaves, and never sent again once it may have arrived.
func (rs *Returns) reverse(ctx context.Context, r *Return, m *MoneyBack) error {
	c := rs.Checkout
	dev, err := c.Devices.Device(ctx, m.DeviceID)
	if err != nil {
		return rs.moveMoney(ctx, r, m, MoneyManual, notLastDetail(*m, "POS non configurato / terminal not configured"))
	}
	unlock, err := c.own.lockTerminal(ctx, dev.TerminalID)
	if err != nil {
		return err
	}
	defer unlock()
	last, err := dev.Terminal.LastResult(ctx)
	switch {
	case err != nil:
		return rs.moveMoney(ctx, r, m, MoneyManual, notLastDetail(*m, "POS non raggiungibile / terminal unreachable"))
	case last.TerminalID != dev.TerminalID || last.STAN != m.STAN || last.Outcome != pos.Approved:
		return rs.moveMoney(ctx, r, m, MoneyManual,
			notLastDetail(*m, "non è più l'ultima operazione del POS / no longer the terminal's last transaction"))
	}
	if err := rs.moveMoney(ctx, r, m, MoneyReversing, ""); err != nil {
		return err
	}
	c.step("reversal-recorded")
	res, err := dev.Terminal.Reverse(ctx, m.STAN)
	switch {
	case err == nil && res.Outcome == pos.Approved && res.TerminalID == dev.TerminalID:
		m.ReversalSTAN = res.STAN
		return rs.moveMoney(ctx, r, m, MoneyDone, "")
	case errors.Is(err, pos.ErrNotDelivered):
		return rs.moveMoney(ctx, r, m, MoneyManual, notLastDetail(*m, "lo storno non è partito / the reversal was not sent"))
	case err == nil:
		return rs.moveMoney(ctx, r, m, MoneyManual, notLastDetail(*m, "storno rifiutato: "+res.Text+" / reversal declined"))
	default:
		return rs.moveMoney(ctx, r, m, MoneyUnknown, fmt.Sprintf(
			"controlla sul POS se lo storno di %s (STAN %s) è avvenuto; se no, rimborsa in contanti o con uno storno manuale"+
				" / check on the terminal whether the reversal of %s (STAN %s) went through; if not, refund in cash or manually",
			m.Amount, m.STAN, m.Amount, m.STAN))
	}
}

// Recover is run before a new return: a return left printing by a crash or a lost answer may
// have been issued, and the printer cannot say by a documented means, so it becomes uncertain
// (never printed again by the till), and a reversal left reversing becomes unknown.
func (rs *Returns) Recover(ctx context.Context) ([]Return, error) {
	open, err := rs.Journal.OpenReturns(ctx)
	if err != nil {
		return nil, err
	}
	for i := range open {
		r := &open[i]
		if r.State == ReturnPrinting {
			if err := rs.move(ctx, r, ReturnUncertain); err != nil {
				return open, err
			}
		}
		for j := range r.Money {
			if m := &r.Money[j]; m.State == MoneyReversing {
				if err := rs.moveMoney(ctx, r, m, MoneyUnknown, "controlla sul POS se lo storno è avvenuto / check on the terminal whether the reversal went through"); err != nil {
					return open, err
				}
			}
		}
	}
	return open, nil
}
