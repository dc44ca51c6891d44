package checkout

import (
	"context"
	"errors"
	"fmt"
	"time"

	"till/fiscal"
	"till/money"
	"till/pos"
)

// Device is a payment terminal as the checkout uses it, from the cached configuration.
type Device struct {
	ID         string // the configuration's device id
	Name       string // shown to people: "POS banco"
	TerminalID string
	// Exclusive: the terminal is enabled on this till only. Only then can a last result be
	// this till's (a result carries no amount and no till).
	Exclusive bool
	// WorkTimeout is the longest the terminal works on a request (its own timeout): past it,
	// a terminal whose last result has not changed did nothing with the request.
	WorkTimeout time.Duration
	Terminal    pos.Terminal
}

// Devices gives the payment devices of the cached configuration by id.
type Devices interface {
	Device(ctx context.Context, deviceID string) (Device, error)
}

// ElectronicRequest is one payment on a terminal.
type ElectronicRequest struct {
	Method     fiscal.PaymentMethod // fiscal.Card or fiscal.Coverflex
	Amount     money.Cents
	Device     Device
	MerchantID string
	// Plan is how the sale will be finished; it is checked before the request leaves. Its
	// Electronic list may be empty: then it is this amount alone.
	Plan     Plan
	Progress func(pos.Event) // the terminal's own texts, as they arrive
}

// Due is what is left to pay on a sale after its approved electronic payments.
func (c *Checkout) Due(ctx context.Context, s *Sale) (money.Cents, []Attempt, error) {
	attempts, err := c.Journal.SaleAttempts(ctx, s.ID)
	if err != nil {
		return 0, nil, err
	}
	return s.Total() - Approved(attempts), attempts, nil
}

// PayElectronic sends an amount to a terminal for the sale. Everything the sale needs is
// checked first; then the attempt is written before each step: created, sent (the request
// may arrive from now on), then the outcome. The request is never sent again: a lost answer
// is asked to the terminal with its last result and settled only on evidence (see
// JudgeLastResult); otherwise the attempt stays unknown and ErrUnresolved is returned. While
// it is unknown, no new electronic payment starts on the sale or on the terminal.
func (c *Checkout) PayElectronic(ctx context.Context, s *Sale, req ElectronicRequest) (*Attempt, error) {
	plan := req.Plan
	if len(plan.Electronic) == 0 {
		plan.Electronic = []money.Cents{req.Amount}
	}
	if req.Amount <= 0 {
		return nil, ErrZeroPrice
	}
	if err := c.Preflight(ctx, s, plan); err != nil {
		return nil, err
	}
	dev := req.Device
	unlock, err := c.own.lockTerminal(ctx, dev.TerminalID)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if blocking, err := c.Journal.BlockingAttempt(ctx, s.ID, dev.TerminalID); err != nil || blocking != nil {
		if err != nil {
			return nil, err
		}
		return nil, &BlockedError{Attempt: *blocking, SameSale: blocking.SaleID == s.ID}
	}
	base, err := c.baseline(ctx, dev)
	if err != nil {
		return nil, err
	}
	now := c.Now()
	a := &Attempt{ID: c.NewID(), SaleID: s.ID, Method: req.Method, State: AttemptCreated, Requested: req.Amount,
		DeviceID: dev.ID, TerminalID: dev.TerminalID, MerchantID: req.MerchantID, PrevSTAN: base.STAN, PrevRaw: base.Raw,
		Exclusive: dev.Exclusive, WorkTimeout: dev.WorkTimeout, CreatedAt: now, UpdatedAt: now}
	c.own.claim(attemptKey(a.ID))
	defer c.own.release(attemptKey(a.ID))
	// The journal checks again, in the same transaction, that nothing unresolved holds the sale
	// or the terminal: another process may have started one since.
	if err := c.Journal.RecordAttempt(ctx, s, a); err != nil {
		return nil, fmt.Errorf("record attempt: %w", err)
	}
	c.step("attempt-created")
	if err := c.move(ctx, a, func() error { return a.Send(c.Now()) }, "", nil); err != nil {
		return a, err
	}
	c.step("attempt-sent")
	opts := pos.PayOptions{Type: pos.PayAuto, Progress: req.Progress}
	res, err := dev.Terminal.Pay(ctx, req.Amount, a.ID, opts)
	// From here the outcome must be written whatever the caller does: a cashier's cancel
	// stops the wait at the terminal, never the recording of what the terminal did.
	ctx = context.WithoutCancel(ctx)
	own := err == nil && (res.TerminalID == dev.TerminalID || dev.TerminalID == "00000000")
	switch {
	case own && res.Outcome == pos.Approved:
		if err := c.move(ctx, a, func() error { return a.Approve(res, c.Now()) }, EvidenceResult, seenOf(res)); err != nil {
			return a, err
		}
		c.step("approved")
		return a, nil
	case own && res.Outcome == pos.Declined:
		if err := c.move(ctx, a, func() error { return a.Decline(res, c.Now()) }, EvidenceResult, seenOf(res)); err != nil {
			return a, err
		}
		return a, ErrDeclined
	case errors.Is(err, pos.ErrNotDelivered):
		// Refused connection, or every transmission NAKed: the terminal never took the request.
		if err2 := c.move(ctx, a, func() error { return a.Decline(pos.Result{}, c.Now()) }, EvidenceNotDelivered, nil); err2 != nil {
			return a, err2
		}
		return a, fmt.Errorf("%w: %w", ErrDeclined, err)
	}
	if err := c.move(ctx, a, func() error { return a.LoseTrack(c.Now()) }, "", nil); err != nil && !errors.Is(err, ErrStale) {
		return a, err
	}
	c.step("unknown")
	// Ask at once, even when the cashier cancelled: the terminal may have taken the money.
	return a, c.resolveLocked(ctx, a, dev)
}

// baseline is the terminal's last result as this till knows it. A terminal this till has never
// seen is asked (G changes nothing); if it cannot answer, the payment goes ahead without a
// reference and an unknown outcome will need a person.
func (c *Checkout) baseline(ctx context.Context, dev Device) (Baseline, error) {
	b, ok, err := c.Journal.TerminalBaseline(ctx, dev.TerminalID)
	if err != nil || ok {
		return b, err
	}
	res, err := dev.Terminal.LastResult(ctx)
	if err != nil || res.TerminalID != dev.TerminalID || !sixDigits(res.STAN) {
		return Baseline{}, nil
	}
	b = Baseline{STAN: res.STAN, Raw: string(res.Raw), At: c.Now()}
	return b, c.Journal.SaveBaseline(ctx, dev.TerminalID, b)
}

// seenOf is the baseline a well-formed result gives its terminal.
func seenOf(r pos.Result) *Baseline {
	if !sixDigits(r.STAN) {
		return nil
	}
	return &Baseline{STAN: r.STAN, Raw: string(r.Raw), At: time.Now()}
}

// Resolve asks the attempt's terminal for its last result and settles the attempt on evidence
// (JudgeLastResult). It waits for the terminal to be free of other exchanges in this till and
// refuses an attempt whose own exchange is still running here (ErrInFlight). It returns nil
// when settled as approved, ErrDeclined when settled as declined, an *UnresolvedError otherwise.
func (c *Checkout) Resolve(ctx context.Context, attemptID string) (*Attempt, error) {
	if c.own.claimed(attemptKey(attemptID)) {
		return nil, ErrInFlight
	}
	fresh, err := c.Journal.Attempt(ctx, attemptID)
	if err != nil {
		return nil, err
	}
	a := &fresh
	dev, err := c.Devices.Device(ctx, a.DeviceID)
	if err != nil {
		return a, &UnresolvedError{Attempt: *a, Reason: fmt.Sprintf("payment device %s: %v", a.DeviceID, err)}
	}
	unlock, err := c.own.lockTerminal(ctx, dev.TerminalID)
	if err != nil {
		return a, err
	}
	defer unlock()
	if !c.own.claim(attemptKey(a.ID)) {
		return a, ErrInFlight
	}
	defer c.own.release(attemptKey(a.ID))
	if fresh, err = c.Journal.Attempt(ctx, attemptID); err != nil {
		return a, err
	}
	*a = fresh
	return a, c.resolveLocked(ctx, a, dev)
}

// resolveLocked settles an attempt in sent or unknown with the terminal's last result; the
// caller holds the terminal and owns the attempt.
func (c *Checkout) resolveLocked(ctx context.Context, a *Attempt, dev Device) error {
	if a.State == AttemptSent {
		if err := c.move(ctx, a, func() error { return a.LoseTrack(c.Now()) }, "", nil); err != nil && !errors.Is(err, ErrStale) {
			return err
		}
	}
	switch a.State {
	case AttemptApproved, AttemptDocumented:
		return nil
	case AttemptDeclined:
		return ErrDeclined
	case AttemptUnknown:
	default:
		return fmt.Errorf("resolve attempt %s: it is %s", a.ID, a.State)
	}
	res, err := dev.Terminal.LastResult(ctx)
	if err != nil {
		return &UnresolvedError{Attempt: *a, Reason: "the terminal could not be asked: " + err.Error()}
	}
	if res.TerminalID == dev.TerminalID {
		if seen := seenOf(res); seen != nil {
			if err := c.Journal.SaveBaseline(ctx, dev.TerminalID, *seen); err != nil {
				return err
			}
		}
	}
	reading := JudgeLastResult(a, res, dev.Exclusive, c.Now())
	switch reading.Verdict {
	case ItsApproval:
		return c.move(ctx, a, func() error { return a.Approve(res, c.Now()) }, EvidenceLastResult, nil)
	case ItsDecline:
		if err := c.move(ctx, a, func() error { return a.Decline(res, c.Now()) }, EvidenceLastResult, nil); err != nil {
			return err
		}
		return ErrDeclined
	case NotProcessed:
		if err := c.move(ctx, a, func() error { return a.Decline(pos.Result{}, c.Now()) }, EvidenceNotProcessed, nil); err != nil {
			return err
		}
		return ErrDeclined
	}
	return &UnresolvedError{Attempt: *a, Reason: reading.Reason}
}

// move applies a transition and writes it as a compare-and-set on the state the attempt had.
// When another writer moved the attempt first, the transition is tried again on the state
// found, with the same evidence: an approval seen in the attempt's own result may follow a
// crash recovery's "unknown", but a stale "unknown" never overwrites an approval. Finding the
// outcome this transition leads to already written (same state, same STAN) is success. When
// the state found does not allow the transition, a holds that state and a *StaleError is
// returned.
func (c *Checkout) move(ctx context.Context, a *Attempt, transition func() error, evidence string, seen *Baseline) error {
	want := a.State
	for try := 0; try < 4; try++ {
		from, before := a.State, *a
		if err := transition(); err != nil {
			*a = before
			if try > 0 {
				return &StaleError{ID: a.ID, Want: want, Found: a.State}
			}
			return err
		}
		target, stan := a.State, a.STAN
		if evidence != "" {
			a.Evidence = evidence
		}
		err := c.Journal.UpdateAttempt(ctx, a, from, seen)
		if err == nil {
			return nil
		}
		*a = before
		if !errors.Is(err, ErrStale) {
			return fmt.Errorf("record attempt %s: %w", a.ID, err)
		}
		fresh, rerr := c.Journal.Attempt(ctx, a.ID)
		if rerr != nil {
			return rerr
		}
		*a = fresh
		if fresh.State == target && fresh.STAN == stan {
			return nil
		}
	}
	return &StaleError{ID: a.ID, Want: want, Found: a.State}
}

// CancelSale reverses the sale's approved electronic payments on their terminals (last payment
// only, with the STAN check, as ECR17 allows), records each reversal, and marks the sale
// cancelled. An attempt whose outcome is unknown stops it: nothing proves what to reverse.
func (c *Checkout) CancelSale(ctx context.Context, s *Sale) error {
	attempts, err := c.Journal.SaleAttempts(ctx, s.ID)
	if err != nil {
		return err
	}
	for i := len(attempts) - 1; i >= 0; i-- {
		a := &attempts[i]
		switch a.State {
		case AttemptCreated, AttemptSent, AttemptUnknown:
			return &BlockedError{Attempt: *a, SameSale: true}
		case AttemptApproved:
			if err := c.reverse(ctx, a); err != nil {
				return err
			}
		}
	}
	return c.Journal.CancelSale(ctx, s.ID, "cancelled by the cashier")
}

func (c *Checkout) reverse(ctx context.Context, a *Attempt) error {
	dev, err := c.Devices.Device(ctx, a.DeviceID)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrReversalFailed, err)
	}
	unlock, err := c.own.lockTerminal(ctx, dev.TerminalID)
	if err != nil {
		return err
	}
	defer unlock()
	res, err := dev.Terminal.Reverse(ctx, a.STAN)
	if err != nil || res.Outcome != pos.Approved || res.TerminalID != dev.TerminalID {
		if err == nil {
			err = fmt.Errorf("terminal says %q", res.Text)
		}
		return fmt.Errorf("%w: %w", ErrReversalFailed, err)
	}
	ctx = context.WithoutCancel(ctx)
	a.ReversalSTAN = res.STAN
	if err := c.move(ctx, a, func() error { return a.Reverse(c.Now()) }, "", seenOf(res)); err != nil {
		return err
	}
	c.step("reversed")
	return nil
}
