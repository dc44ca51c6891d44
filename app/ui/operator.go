package ui

import (
	"context"
	"time"

	"till/app/checkout"
)

// OperatorStore is what the till asks about its operators; *storage.DB implements it.
type OperatorStore interface {
	// HasOperators tells whether the till has working operators: without, it works as one
	// implicit operator 1, a manager, and asks no PIN.
	HasOperators(ctx context.Context) (bool, error)
	// CheckPIN returns the working operator whose PIN is pin, a manager when manager is set;
	// it counts wrong PINs and writes the audit log.
	CheckPIN(ctx context.Context, pin string, manager bool, at time.Time) (checkout.Operator, error)
}

// loadOperators reads whether the till has operators: then the window asks who works it.
func (t *Till) loadOperators() {
	t.bridge.run(func() func() {
		has, err := t.deps.Store.HasOperators(context.Background())
		return func() {
			t.opsKnown = true
			if err != nil {
				// Without knowing, the till must not take everybody for a manager: it asks
				// a PIN, which the store will check again.
				t.sale.setMessage(errorText(err), true)
				has = true
			}
			t.hasOperators = has
			if !has {
				t.operator = checkout.ImplicitOperator
				return
			}
			t.sale.showOperator()
			t.signIn(false)
		}
	})
}

// signIn asks who works the till now. At start nobody may skip it; a switch ("Cambia
// operatore") may be cancelled and leaves the operator as it was. The sale being rung up
// stays: the receipt carries the operator who presses PAGA.
func (t *Till) signIn(canCancel bool) {
	if t.pin != nil {
		return
	}
	t.openPIN(tr("operator.signin.title"), tr("operator.signin.hint"), false, canCancel, func(op checkout.Operator) {
		t.operator = op
		t.sale.showOperator()
		t.sale.setMessage(tr("operator.signed.in", map[string]any{"Name": op.Name, "Number": op.Number}), false)
	})
}

// operatorNumber is the number printed on the receipt for the current operator: 0 (operator 1)
// on a till without operators.
func (t *Till) operatorNumber() int {
	if !t.hasOperators {
		return 0
	}
	return t.operator.Number
}
