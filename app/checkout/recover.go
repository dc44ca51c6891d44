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

// PendingSale is a sale waiting for its document, with what is known of its printing.
type PendingSale struct {
	ID             string
	PrintStarted   bool
	PrintUncertain bool
	Before         fiscal.DocumentRef // the printer's last document when printing started
}

// Recovery says what a recovery pass found and did.
type Recovery struct {
	Resolved   []Attempt // settled now (approved or declined)
	Unresolved []Attempt // still unknown: asked again later, or a manager settles them
	Documented []string  // sales found printed and now recorded
	Uncertain  []string  // sales whose receipt may have been issued: a person must say
	Pending    []string  // sales waiting for the cashier (document still to issue)
	Problems   []error   // what could not be checked
}

// Recover runs before the till takes a new sale (desktop and headless alike): attempts never
// sent are cancelled, attempts that may have reached a terminal are asked to it and settled
// on evidence, and sales whose printing had started are reconciled with a printer that can tell
// its last document, or else left uncertain for a person. Attempts and sales this process is
// working on are left alone.
func (c *Checkout) Recover(ctx context.Context) (Recovery, error) {
	r, err := c.ResolveOpen(ctx)
	if err != nil {
		return r, err
	}
	pending, err := c.Journal.PendingSales(ctx)
	if err != nil {
		return r, err
	}
	for _, p := range pending {
		if c.own.claimed(saleKey(p.ID)) {
			continue
		}
		switch {
		case p.PrintUncertain:
			r.Uncertain = append(r.Uncertain, p.ID)
			continue
		case p.PrintStarted:
			done, err := c.recoverPrinted(ctx, p)
			switch {
			case done:
				r.Documented = append(r.Documented, p.ID)
				continue
			case errors.Is(err, ErrPrintUncertain):
				r.Uncertain = append(r.Uncertain, p.ID)
				continue
			case err != nil:
				r.Problems = append(r.Problems, fmt.Errorf("sale %s: %w", p.ID, err))
			}
		}
		r.Pending = append(r.Pending, p.ID)
	}
	return r, nil
}

// recoverPrinted settles a sale whose printing had started before a crash: only a printer that
// tells its last document can say whether the receipt came out; otherwise the sale is marked
// uncertain for a person.
func (c *Checkout) recoverPrinted(ctx context.Context, p PendingSale) (bool, error) {
	if !c.own.claim(saleKey(p.ID)) {
		return false, nil
	}
	defer c.own.release(saleKey(p.ID))
	s, err := c.Journal.LoadSale(ctx, p.ID)
	if err != nil {
		return false, err
	}
	reader, _, err := c.lastDocument(ctx)
	if err != nil {
		return false, err
	}
	var (
		ref     fiscal.DocumentRef
		printed bool
	)
	if reader != nil {
		ref, printed, err = fiscal.Reconcile(ctx, reader, s.Total(), p.Before)
	}
	switch {
	case reader == nil || err != nil:
		if merr := c.Journal.MarkPrintUncertain(ctx, p.ID); merr != nil {
			return false, merr
		}
		return false, fmt.Errorf("%w: %v", ErrPrintUncertain, err)
	case !printed:
		// Established: nothing was printed. Later documents must not be matched to it.
		return false, c.Journal.ClearPrintIntent(ctx, p.ID)
	}
	attempts, err := c.Journal.SaleAttempts(ctx, p.ID)
	if err != nil {
		return false, err
	}
	var electronic []Payment
	for _, a := range attempts {
		if a.State == AttemptApproved {
			electronic = append(electronic, Payment{ID: a.ID, Method: a.Method, Amount: a.Authorized})
		}
	}
	_, err = c.documented(ctx, s, ref, electronic, 0, "")
	return err == nil, err
}

// ResolveOpen settles what it can of the attempts whose outcome is not known: created ones
// never left and are cancelled; sent and unknown ones are asked to their terminals. Attempts
// running in this process, and terminals busy with an exchange, are skipped this time.
func (c *Checkout) ResolveOpen(ctx context.Context) (Recovery, error) {
	var r Recovery
	attempts, err := c.Journal.UnresolvedAttempts(ctx)
	if err != nil {
		return r, err
	}
	for i := range attempts {
		a := &attempts[i]
		key := attemptKey(a.ID)
		if !c.own.claim(key) {
			continue // its exchange is running here
		}
		err := c.resolveOne(ctx, a)
		c.own.release(key)
		switch {
		case err == nil && a.State.Unresolved():
			r.Unresolved = append(r.Unresolved, *a)
		case err == nil, errors.Is(err, ErrDeclined):
			if a.State != AttemptCancelled {
				r.Resolved = append(r.Resolved, *a)
			}
		case errors.Is(err, ErrUnresolved), errors.Is(err, ErrStale):
			r.Unresolved = append(r.Unresolved, *a)
		default:
			return r, fmt.Errorf("resolve attempt %s: %w", a.ID, err)
		}
	}
	return r, nil
}

func (c *Checkout) resolveOne(ctx context.Context, a *Attempt) error {
	if a.State == AttemptCreated {
		// Written before sending and never marked sent: the request never left. If another
		// process is about to send it, its compare-and-set to "sent" now fails and it stops.
		err := c.move(ctx, a, func() error { return a.Cancel(c.Now()) }, "", nil)
		if errors.Is(err, ErrStale) {
			return nil
		}
		return err
	}
	dev, err := c.Devices.Device(ctx, a.DeviceID)
	if err != nil {
		return &UnresolvedError{Attempt: *a, Reason: fmt.Sprintf("payment device %s: %v", a.DeviceID, err)}
	}
	unlock, ok := c.own.tryLockTerminal(dev.TerminalID)
	if !ok {
		return nil // an exchange runs on the terminal: next time
	}
	defer unlock()
	return c.resolveLocked(ctx, a, dev)
}

// Kick asks Watch to run a pass now.
func (c *Checkout) Kick() {
	c.own.init()
	select {
	case c.own.kick <- struct{}{}:
	default:
	}
}

// Watch keeps asking the terminals about unknown attempts until ctx ends: at once when kicked,
// and every interval while some stay unknown. report receives every pass that changed or
// still holds something. Watch owns its timer; it returns when ctx is done.
func (c *Checkout) Watch(ctx context.Context, every time.Duration, report func(Recovery, error)) {
	c.own.init()
	timer := time.NewTimer(every)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.own.kick:
		case <-timer.C:
		}
		r, err := c.ResolveOpen(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil || len(r.Resolved)+len(r.Unresolved) > 0 {
			report(r, err)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(every)
	}
}

// Slip is what a manager reads on the terminal's own slip (or its journal) to settle an
// attempt the terminal cannot be asked about.
type Slip struct {
	Approved bool
	STAN     string      // 6 digits, on an approval
	Amount   money.Cents // what the slip says was charged, on an approval
	AuthCode string      // optional
}

// ResolveByHand settles an unknown attempt from the terminal's slip, read by a manager: an
// approval for at most the amount requested and never more than the sale still owes, or a
// decline. It is written with an audit entry naming the manager, as a compare-and-set.
func (c *Checkout) ResolveByHand(ctx context.Context, attemptID string, slip Slip, manager string) (*Attempt, error) {
	if manager == "" || (slip.Approved && (!sixDigits(slip.STAN) || slip.Amount <= 0)) {
		return nil, ErrBadSlip
	}
	if !c.own.claim(attemptKey(attemptID)) {
		return nil, ErrInFlight
	}
	defer c.own.release(attemptKey(attemptID))
	fresh, err := c.Journal.Attempt(ctx, attemptID)
	if err != nil {
		return nil, err
	}
	a := &fresh
	if !a.State.Unresolved() || a.State == AttemptCreated {
		return a, &StaleError{ID: a.ID, Want: AttemptUnknown, Found: a.State}
	}
	from := a.State
	if a.State == AttemptSent {
		if err := a.LoseTrack(c.Now()); err != nil {
			return a, err
		}
	}
	detail := fmt.Sprintf("declined by hand, requested %s on terminal %s", a.Requested, a.TerminalID)
	if slip.Approved {
		s, err := c.Journal.LoadSale(ctx, a.SaleID)
		if err != nil {
			return a, err
		}
		due, _, err := c.Due(ctx, s)
		if err != nil {
			return a, err
		}
		if slip.Amount > a.Requested || slip.Amount > due {
			return a, fmt.Errorf("%w: %s on the slip, %s requested, %s still due", ErrOverpay, slip.Amount, a.Requested, due)
		}
		err = a.Approve(pos.Result{Outcome: pos.Approved, STAN: slip.STAN, AuthCode: slip.AuthCode, Authorized: slip.Amount}, c.Now())
		if err != nil {
			return a, err
		}
		detail = fmt.Sprintf("approved by hand from the slip: STAN %s, auth %q, amount %s (requested %s) on terminal %s",
			slip.STAN, slip.AuthCode, slip.Amount, a.Requested, a.TerminalID)
	} else if err := a.Decline(pos.Result{}, c.Now()); err != nil {
		return a, err
	}
	a.Evidence = EvidenceByHand
	if err := c.Journal.ResolveAttemptByHand(ctx, a, from, manager, detail); err != nil {
		return a, err
	}
	return a, nil
}
