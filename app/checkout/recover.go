package checkout

import (
	"context"
	"errors"
	"fmt"

	"till/fiscal"
	"till/pos"
)

// PendingSale is a sale waiting for its document, with what is known of its printing.
type PendingSale struct {
	ID           string
	PrintStarted bool
	Before       fiscal.DocumentRef // the printer's last document when printing started
}

// RecoveryJournal is what recovery reads besides the Journal.
type RecoveryJournal interface {
	UnresolvedAttempts(ctx context.Context) ([]Attempt, error)
	PendingSales(ctx context.Context) ([]PendingSale, error)
	LoadSale(ctx context.Context, id string) (*Sale, error)
	// ClearPrintIntent notes that a sale's interrupted printing produced no document.
	ClearPrintIntent(ctx context.Context, saleID string) error
}

// Recovery says what start-up recovery found and did.
type Recovery struct {
	Resolved   []Attempt // settled now (approved or declined)
	Unresolved []Attempt // the terminal could not tell: retry later, or a manager settles it
	Documented []string  // sales found printed before the crash and now recorded
	Pending    []string  // sales waiting for the cashier (document still to issue)
	Problems   []error   // sales the printer could not account for: a person must look
}

// Recover runs before the till takes a new sale: attempts never sent are cancelled, attempts
// that may have reached a terminal are resolved with its last result, and sales whose printing
// had started are reconciled with the printer, so nothing is lost or done twice.
func (c *Checkout) Recover(ctx context.Context, rj RecoveryJournal, terminalFor func(deviceID string) (pos.Terminal, error)) (Recovery, error) {
	var r Recovery
	attempts, err := rj.UnresolvedAttempts(ctx)
	if err != nil {
		return r, err
	}
	for i := range attempts {
		a := &attempts[i]
		if a.State == AttemptCreated {
			// Written before sending and never marked sent: the request never left.
			if err := c.save(ctx, a, a.Cancel(c.Now())); err != nil {
				return r, err
			}
			continue
		}
		t, err := terminalFor(a.DeviceID)
		if err == nil {
			err = c.Resolve(ctx, a, t)
		}
		switch {
		case err == nil, errors.Is(err, ErrDeclined):
			r.Resolved = append(r.Resolved, *a)
		case errors.Is(err, ErrUnresolved) || a.State == AttemptUnknown:
			r.Unresolved = append(r.Unresolved, *a)
		default:
			return r, fmt.Errorf("resolve attempt %s: %w", a.ID, err)
		}
	}
	pending, err := rj.PendingSales(ctx)
	if err != nil {
		return r, err
	}
	for _, p := range pending {
		if p.PrintStarted {
			s, err := rj.LoadSale(ctx, p.ID)
			if err != nil {
				return r, err
			}
			done, err := c.RecoverPrinted(ctx, s, p.Before)
			switch {
			case err != nil:
				// Another document than expected, or no printer: keep the sale pending, and
				// its intent, for a person to check; the till goes on.
				r.Problems = append(r.Problems, fmt.Errorf("reconcile sale %s with the printer: %w", p.ID, err))
			case done:
				r.Documented = append(r.Documented, p.ID)
				continue
			default:
				// Established: nothing was printed. Later documents must not be matched to it.
				if err := rj.ClearPrintIntent(ctx, p.ID); err != nil {
					return r, err
				}
			}
		}
		r.Pending = append(r.Pending, p.ID)
	}
	return r, nil
}

// HandResolver records a manager's settlement of an attempt and its audit entry together.
type HandResolver interface {
	ResolveAttemptByHand(ctx context.Context, a *Attempt, actor, detail string) error
}

// ErrBadSlip means the data typed from the terminal's slip is not usable.
var ErrBadSlip = errors.New("the slip data is incomplete")

// ResolveByHand settles an attempt the terminal cannot be asked about, from the terminal's own
// slip read by a manager: approved with its STAN and authorisation code, or declined. It is
// written with an audit entry naming the manager.
func (c *Checkout) ResolveByHand(ctx context.Context, a *Attempt, approved bool, stan, authCode, manager string) error {
	hr, ok := c.Journal.(HandResolver)
	if !ok {
		return errors.New("this till cannot record a manual resolution")
	}
	if manager == "" || (approved && (len(stan) != 6 || authCode == "")) {
		return ErrBadSlip
	}
	if a.State == AttemptSent {
		if err := a.LoseTrack(c.Now()); err != nil {
			return err
		}
	}
	var err error
	detail := fmt.Sprintf("declined by hand, amount %s", a.Requested)
	if approved {
		err = a.Approve(pos.Result{Outcome: pos.Approved, STAN: stan, AuthCode: authCode}, c.Now())
		detail = fmt.Sprintf("approved by hand from the slip: STAN %s, auth %s, amount %s", stan, authCode, a.Requested)
	} else {
		err = a.Decline(pos.Result{Text: "declined by hand from the slip"}, c.Now())
	}
	if err != nil {
		return err
	}
	return hr.ResolveAttemptByHand(ctx, a, manager, detail)
}
