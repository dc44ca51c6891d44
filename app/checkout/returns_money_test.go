package checkout_test

import (
	"context"
	"errors"
	"testing"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/memprinter"
	"till/pos"
)

// memReturns is the in-process printer as a ReturnPrinter: it says yes to every question and
// prints every operator as itself.
type memReturns struct{ *memprinter.Printer }

func (memReturns) CanReturn(context.Context, bool, fiscal.DocumentRef) error { return nil }
func (p memReturns) VoidAs(ctx context.Context, _ int, o fiscal.DocumentRef) (fiscal.DocumentRef, error) {
	return p.Void(ctx, o)
}
func (p memReturns) RefundAs(ctx context.Context, _ int, o fiscal.DocumentRef, l []fiscal.Line, pay []fiscal.Payment) (fiscal.DocumentRef, error) {
	return p.Refund(ctx, o, l, pay)
}

// lostReverse is a terminal whose reversal answer is lost after the terminal acted on it.
type lostReverse struct{ pos.Terminal }

func (t lostReverse) Reverse(ctx context.Context, stan string) (pos.Result, error) {
	if _, err := t.Terminal.Reverse(ctx, stan); err != nil {
		return pos.Result{}, err
	}
	return pos.Result{}, pos.ErrOutcomeUnknown
}

// TestLostReversalAnswerIsNeverSentAgain: the terminal reverses the voucher but its answer is
// lost: the refund is documented, the money stays unknown for a person, and neither recovery
// nor a second refund sends the reversal again.
func TestLostReversalAnswerIsNeverSentAgain(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 800)
	if _, err := r.co.PayElectronic(ctx, s, r.coverflex(800, nil)); err != nil {
		t.Fatal(err)
	}
	done, err := r.co.Complete(ctx, s, 0)
	if err != nil {
		t.Fatal(err)
	}
	dev := r.devices["dev-1"]
	dev.Terminal = lostReverse{r.term}
	r.devices["dev-1"] = dev
	rs := &checkout.Returns{Checkout: r.co, Journal: r.db, Printer: memReturns{r.printer}}
	ask := checkout.ReturnRequest{Kind: checkout.KindRefund, Number: done.Document.ID(), Operator: checkout.ImplicitOperator}

	ret, err := rs.Do(ctx, ask)
	if !errors.Is(err, checkout.ErrMoneyUnknown) || ret == nil || ret.State != checkout.ReturnDocumented ||
		len(ret.Money) != 1 || ret.Money[0].State != checkout.MoneyUnknown || ret.Money[0].Detail == "" {
		t.Fatalf("refund %+v, %v", ret, err)
	}
	if r.sim.Reversals() != 1 {
		t.Fatalf("terminal reversed %d times", r.sim.Reversals())
	}
	if _, err := rs.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Do(ctx, ask); !errors.Is(err, checkout.ErrAlreadyReturned) {
		t.Fatalf("second refund: %v", err)
	}
	if r.sim.Reversals() != 1 || len(r.printer.Documents()) != 2 {
		t.Fatalf("afterwards: %d reversals, %d documents", r.sim.Reversals(), len(r.printer.Documents()))
	}
}

// TestCrashWithAReversalOnItsWayLeavesItUnknown: the till dies after recording a reversal as
// reversing, before (or while) it goes to the terminal. The return is documented, so recovery
// must still find it: the reversal becomes unknown for a person, and is never sent again.
func TestCrashWithAReversalOnItsWayLeavesItUnknown(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 800)
	if _, err := r.co.PayElectronic(ctx, s, r.coverflex(800, nil)); err != nil {
		t.Fatal(err)
	}
	done, err := r.co.Complete(ctx, s, 0)
	if err != nil {
		t.Fatal(err)
	}
	rs := &checkout.Returns{Checkout: r.co, Journal: r.db, Printer: memReturns{r.printer}}
	ask := checkout.ReturnRequest{Kind: checkout.KindRefund, Number: done.Document.ID(), Operator: checkout.ImplicitOperator}
	type crash struct{}
	r.co.Step = func(name string) {
		if name == "reversal-recorded" {
			panic(crash{})
		}
	}
	func() {
		defer func() {
			if _, ok := recover().(crash); !ok {
				t.Fatal("not stopped at reversal-recorded")
			}
		}()
		rs.Do(ctx, ask)
	}()
	r.co.Step = nil
	open, err := rs.Recover(ctx)
	if err != nil || len(open) != 1 || open[0].State != checkout.ReturnDocumented ||
		len(open[0].Money) != 1 || open[0].Money[0].State != checkout.MoneyUnknown {
		t.Fatalf("recovered %+v, %v", open, err)
	}
	if _, err := rs.Do(ctx, ask); !errors.Is(err, checkout.ErrAlreadyReturned) {
		t.Fatalf("second refund: %v", err)
	}
	if r.sim.Reversals() != 0 {
		t.Fatalf("terminal reversed %d times", r.sim.Reversals())
	}
	if open, err := rs.Recover(ctx); err != nil || len(open) != 0 {
		t.Fatalf("still open after recovery: %+v, %v", open, err)
	}
}
