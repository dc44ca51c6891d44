package checkout

import (
	"context"
	"errors"
	"fmt"

	"till/fiscal"
	"till/money"
	"till/pos"
)

// Errors of an electronic payment the cashier must act on.
var (
	// ErrDeclined: the terminal refused the payment; nothing was taken.
	ErrDeclined = errors.New("payment declined by the terminal")
	// ErrUnresolved: the terminal's answer is unknown and the terminal cannot be asked now; the
	// sale is parked and the resolution retried.
	ErrUnresolved = errors.New("payment outcome not known yet")
	// ErrOverDue: the amount is more than what is left to pay.
	ErrOverDue = errors.New("amount over what is left to pay")
	// ErrReversalFailed: an approved payment could not be reversed; the sale stays as it is.
	ErrReversalFailed = errors.New("reversal failed")
)

// ElectronicRequest is one payment on a terminal.
type ElectronicRequest struct {
	Method     fiscal.PaymentMethod // fiscal.Card or fiscal.Coverflex
	Amount     money.Cents
	DeviceID   string
	TerminalID string
	MerchantID string
	Terminal   pos.Terminal
	Progress   func(pos.Event) // the terminal's own texts, as they arrive
}

// Due is what is left to pay on a sale after its approved electronic payments.
func (c *Checkout) Due(ctx context.Context, s *Sale) (money.Cents, []Attempt, error) {
	attempts, err := c.Journal.SaleAttempts(ctx, s.ID)
	if err != nil {
		return 0, nil, err
	}
	return s.Total() - Approved(attempts), attempts, nil
}

// PayElectronic sends an amount to a terminal for the sale, writing the attempt before each
// step: created, then sent (the request may arrive from now on), then the outcome. A lost link
// or a timeout is resolved at once with the terminal's last result; the request itself is
// never sent again. It returns the attempt with ErrDeclined or ErrUnresolved when it was not
// approved.
func (c *Checkout) PayElectronic(ctx context.Context, s *Sale, req ElectronicRequest) (*Attempt, error) {
	if len(s.Lines) == 0 {
		return nil, ErrEmptySale
	}
	due, _, err := c.Due(ctx, s)
	if err != nil {
		return nil, err
	}
	if req.Amount <= 0 {
		return nil, ErrZeroPrice
	}
	if req.Amount > due {
		return nil, ErrOverDue
	}
	_, lastSTAN, err := c.Journal.TerminalSTANs(ctx, req.TerminalID)
	if err != nil {
		return nil, err
	}
	now := c.Now()
	a := &Attempt{ID: c.NewID(), SaleID: s.ID, Method: req.Method, State: AttemptCreated, Requested: req.Amount,
		DeviceID: req.DeviceID, TerminalID: req.TerminalID, MerchantID: req.MerchantID, PrevSTAN: lastSTAN,
		CreatedAt: now, UpdatedAt: now}
	if err := c.Journal.RecordAttempt(ctx, s, a); err != nil {
		return nil, fmt.Errorf("record attempt: %w", err)
	}
	c.step("attempt-created")
	if err := c.save(ctx, a, a.Send(c.Now())); err != nil {
		return a, err
	}
	c.step("attempt-sent")
	opts := pos.PayOptions{Type: pos.PayAuto, Progress: req.Progress}
	res, err := req.Terminal.Pay(ctx, req.Amount, a.ID, opts)
	// From here the outcome must be written whatever the caller does: a cashier's cancel
	// stops the wait at the terminal, never the recording of what the terminal did.
	ctx = context.WithoutCancel(ctx)
	switch {
	case err == nil && res.Outcome == pos.Approved:
		if err := c.save(ctx, a, a.Approve(res, c.Now())); err != nil {
			return a, err
		}
		c.step("approved")
		return a, nil
	case err == nil && res.Outcome == pos.Declined:
		if err := c.save(ctx, a, a.Decline(res, c.Now())); err != nil {
			return a, err
		}
		return a, ErrDeclined
	case errors.Is(err, pos.ErrNotDelivered):
		// Certainly never reached the terminal: nothing was taken.
		if err2 := c.save(ctx, a, a.Decline(pos.Result{Text: err.Error()}, c.Now())); err2 != nil {
			return a, err2
		}
		return a, fmt.Errorf("%w: %w", ErrDeclined, err)
	}
	if err := c.save(ctx, a, a.LoseTrack(c.Now())); err != nil {
		return a, err
	}
	c.step("unknown")
	// Ask even when the cashier cancelled: the terminal may have taken the money, and the
	// answer must be known before anything else is tried.
	return a, c.Resolve(ctx, a, req.Terminal)
}

// Resolve asks the terminal for its last result and settles an attempt in sent or unknown:
// approved when the result is this attempt's, declined when the terminal's last transaction
// is an older one (this request was never processed). If the terminal cannot answer, the
// attempt stays unknown and ErrUnresolved is returned.
func (c *Checkout) Resolve(ctx context.Context, a *Attempt, t pos.Terminal) error {
	if a.State == AttemptSent {
		if err := c.save(ctx, a, a.LoseTrack(c.Now())); err != nil {
			return err
		}
	}
	if a.State != AttemptUnknown {
		return nil
	}
	res, err := t.LastResult(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnresolved, err)
	}
	known, _, err := c.Journal.TerminalSTANs(ctx, a.TerminalID)
	if err != nil {
		return err
	}
	switch {
	case a.MatchesLastResult(res, known) && res.Outcome == pos.Approved:
		return c.save(ctx, a, a.Approve(res, c.Now()))
	case a.MatchesLastResult(res, known) && res.Outcome == pos.Declined:
		if err := c.save(ctx, a, a.Decline(res, c.Now())); err != nil {
			return err
		}
		return ErrDeclined
	case res.Outcome == pos.Unknown:
		return fmt.Errorf("%w: the terminal's last result is unclear (%s)", ErrUnresolved, res.ResultCode)
	default:
		// The terminal's last transaction is not this one: the request never got processed.
		if err := c.save(ctx, a, a.Decline(pos.Result{Text: "not processed by the terminal"}, c.Now())); err != nil {
			return err
		}
		return ErrDeclined
	}
}

// CancelSale reverses the sale's approved electronic payments on their terminals (last payment
// only, with the STAN check, as ECR17 allows), records each reversal, and marks the sale
// cancelled. terminalFor gives the terminal of a device.
func (c *Checkout) CancelSale(ctx context.Context, s *Sale, terminalFor func(deviceID string) (pos.Terminal, error)) error {
	attempts, err := c.Journal.SaleAttempts(ctx, s.ID)
	if err != nil {
		return err
	}
	for i := len(attempts) - 1; i >= 0; i-- {
		a := &attempts[i]
		switch a.State {
		case AttemptCreated:
			if err := c.save(ctx, a, a.Cancel(c.Now())); err != nil {
				return err
			}
		case AttemptSent, AttemptUnknown:
			return ErrUnresolved
		case AttemptApproved:
			t, err := terminalFor(a.DeviceID)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrReversalFailed, err)
			}
			res, err := t.Reverse(ctx, a.STAN)
			if err != nil || res.Outcome != pos.Approved {
				if err == nil {
					err = fmt.Errorf("terminal says %q", res.Text)
				}
				return fmt.Errorf("%w: %w", ErrReversalFailed, err)
			}
			a.ReversalSTAN = res.STAN
			if err := c.save(ctx, a, a.Reverse(c.Now())); err != nil {
				return err
			}
			c.step("reversed")
		}
	}
	return c.Journal.CancelSale(ctx, s.ID, "cancelled by the cashier")
}

// save writes the attempt after a transition; a refused transition is returned as is.
func (c *Checkout) save(ctx context.Context, a *Attempt, transition error) error {
	if transition != nil {
		return transition
	}
	if err := c.Journal.UpdateAttempt(ctx, a); err != nil {
		return fmt.Errorf("record attempt %s as %s: %w", a.ID, a.State, err)
	}
	return nil
}
