// Package opauth is how the till's commands learn who runs them: `--operator PIN` checked
// against the till's operators. A till with no operators works as before, as operator 1. It
// only checks and explains; what an operator may do is the caller's to ask (manager or not).
package opauth

import (
	"context"
	"errors"
	"fmt"
	"till/internal/i18n"
	"time"

	"till/app/checkout"
	"till/storage"
)

// Error is a refused PIN: Error is the text for the person (Italian, then English), Unwrap the
// storage error (storage.ErrWrongPIN, storage.ErrNotManager…) for a caller that must branch.
type Error struct {
	Text string
	Err  error
}

func (e *Error) Error() string { return e.Text }
func (e *Error) Unwrap() error { return e.Err }

// Check returns the operator whose PIN is pin, who must be a manager when manager is set. With
// no operators on the till, an empty pin gives checkout.ImplicitOperator. A wrong, missing or
// insufficient PIN is an *Error whose text (in the run's language) says what to do; the caller
// exits 2 and changes nothing. Wrong PINs are counted and checks logged (storage.CheckPIN).
func Check(ctx context.Context, db *storage.DB, pin string, manager bool) (checkout.Operator, error) {
	op, err := db.CheckPIN(ctx, pin, manager, time.Now())
	if err != nil {
		return checkout.Operator{}, explain(err)
	}
	return op, nil
}

// explain turns a refused check into what the person reads.
func explain(err error) error {
	var locked *storage.PINLockedError
	var text string
	switch {
	case errors.As(err, &locked):
		text = i18n.T("cli.err.pin.locked", map[string]any{"Until": locked.Until.Local().Format("15:04:05")})
	case errors.Is(err, storage.ErrPINRequired):
		text = i18n.T("cli.err.pin.required")
	case errors.Is(err, storage.ErrWrongPIN):
		text = i18n.T("cli.err.pin.wrong")
	case errors.Is(err, storage.ErrNotManager):
		text = i18n.T("cli.err.pin.not.manager")
	case errors.Is(err, storage.ErrNoOperators):
		text = i18n.T("cli.err.pin.no.operators")
	default:
		return fmt.Errorf("%s: %w", i18n.T("cli.err.pin.failed"), err)
	}
	return &Error{Text: text, Err: err}
}
