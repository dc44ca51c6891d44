package checkout_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
	"till/pos"
	"till/pos/ecrsim"
	"till/storage"
)

// The tests in this file are the defects found with terminals that behave like real ones, each
// at the checkout level against the ECR17 simulator: numbered as in the report.

// warm makes one approved Coverflex sale, so the till knows the terminal's last result.
func (r *rig) warm(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	s := r.sale(t, 250)
	if _, err := r.co.PayElectronic(ctx, s, r.coverflex(250, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.co.Complete(ctx, s, 0); err != nil {
		t.Fatal(err)
	}
}

// unknown leaves a Coverflex attempt of amount on a new sale unknown: the link drops after the
// terminal took the money, and the terminal cannot answer G.
func (r *rig) unknown(t *testing.T, amount money.Cents) (*checkout.Sale, *checkout.Attempt) {
	t.Helper()
	r.sim.SetLastResultMode(ecrsim.LastResultNone)
	r.sim.SetScenario(ecrsim.DropAfterACK)
	defer r.sim.SetScenario(ecrsim.Approve)
	s := r.sale(t, amount)
	a, err := r.co.PayElectronic(context.Background(), s, r.coverflex(amount, nil))
	if !errors.Is(err, checkout.ErrUnresolved) || a == nil || a.State != checkout.AttemptUnknown {
		t.Fatalf("attempt %+v, %v", a, err)
	}
	return s, a
}

func (r *rig) attempt(t *testing.T, id string) checkout.Attempt {
	t.Helper()
	a, err := r.db.Attempt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// approvedTotal is what the till holds as taken by the terminal: approved and documented
// attempts.
func (r *rig) approvedTotal(t *testing.T) money.Cents {
	t.Helper()
	var sum money.Cents
	rows, err := r.db.SQL().Query(`SELECT COALESCE(sum(amount_cents), 0) FROM payments WHERE method <> 'cash' AND state IN ('approved', 'documented')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rows.Next()
	rows.Scan(&sum)
	return sum
}

// 1. Double charge on resume: while an attempt is unknown, no new payment starts on its sale
// nor on its terminal; when G answers, the attempt is settled by its own STAN.
func TestUnknownAttemptBlocksANewPaymentOnItsSaleAndTerminal(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.warm(t)
	s, a := r.unknown(t, 800)
	charged := r.sim.Payments()
	r.sim.SetLastResultMode(ecrsim.LastResultAnswer)

	_, err := r.co.PayElectronic(ctx, s, r.coverflex(800, nil))
	var blocked *checkout.BlockedError
	if !errors.As(err, &blocked) || !blocked.SameSale || blocked.Attempt.ID != a.ID {
		t.Fatalf("the voucher tried again on the same sale: %v", err)
	}
	other := r.sale(t, 300)
	if _, err := r.co.PayElectronic(ctx, other, r.coverflex(300, nil)); !errors.As(err, &blocked) || blocked.SameSale {
		t.Fatalf("another sale on the same terminal: %v", err)
	}
	if _, err := r.co.Complete(ctx, s, 800); !errors.Is(err, checkout.ErrBlocked) {
		t.Fatalf("cash over an unknown voucher: %v", err)
	}
	if r.sim.Payments() != charged {
		t.Fatalf("the terminal was asked to charge again: %d payments, was %d", r.sim.Payments(), charged)
	}
	got, err := r.co.Resolve(ctx, a.ID)
	if err != nil || got.State != checkout.AttemptApproved || got.Evidence != checkout.EvidenceLastResult {
		t.Fatalf("resolved %+v, %v", got, err)
	}
	if r.approvedTotal(t) != r.sim.ChargedTotal() {
		t.Fatalf("till %s, terminal %s", r.approvedTotal(t), r.sim.ChargedTotal())
	}
}

// 2. A foreign transaction never settles an attempt: on a terminal shared by two tills, the
// last result may be the other till's.
func TestAnotherTillsPaymentDoesNotSettleAnAttempt(t *testing.T) {
	for _, shared := range []bool{true, false} {
		name := map[bool]string{true: "shared terminal", false: "terminal configured for this till only"}[shared]
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			ctx := context.Background()
			dev := r.devices["dev-1"]
			dev.Exclusive = !shared
			r.devices["dev-1"] = dev
			r.warm(t)
			_, a := r.unknown(t, 800)
			r.sim.SetLastResultMode(ecrsim.LastResultAnswer)
			tillTwo := r.terminal(t, "00000002")
			if res, err := tillTwo.Pay(ctx, 300, "till-2", pos.PayOptions{}); err != nil || res.Outcome != pos.Approved {
				t.Fatalf("till 2: %+v %v", res, err)
			}
			got, err := r.co.Resolve(ctx, a.ID)
			if !errors.Is(err, checkout.ErrUnresolved) || got.State != checkout.AttemptUnknown || got.STAN != "" {
				t.Fatalf("settled by till 2's transaction: %+v, %v", got, err)
			}
			var charges []string
			for _, c := range r.sim.Charges() {
				charges = append(charges, c.ECRID)
			}
			if len(charges) != 3 || charges[2] != "00000002" {
				t.Fatalf("charges by till %v", charges)
			}
		})
	}
}

// 3. "Nothing charged" only with proof: a terminal that goes on after the link dropped answers
// G with its previous transaction; the attempt stays unknown until the terminal finishes.
func TestTerminalStillWorkingIsNotTakenForNotProcessed(t *testing.T) {
	r := newRigWith(t, ecrsim.Config{WorkDelay: time.Hour}) // finished by the test
	ctx := context.Background()
	r.warm(t)
	r.sim.SetScenario(ecrsim.KeepWorking)
	s := r.sale(t, 800)
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(800, nil))
	if !errors.Is(err, checkout.ErrUnresolved) || a.State != checkout.AttemptUnknown {
		t.Fatalf("while the terminal works: %+v, %v", a, err)
	}
	if !r.sim.Working() {
		t.Fatal("the simulator is not working on the payment")
	}
	if got, err := r.co.Resolve(ctx, a.ID); !errors.Is(err, checkout.ErrUnresolved) || got.State != checkout.AttemptUnknown {
		t.Fatalf("asked again while working: %+v, %v", got, err)
	}
	r.sim.FinishWork()
	got, err := r.co.Resolve(ctx, a.ID)
	if err != nil || got.State != checkout.AttemptApproved || r.approvedTotal(t) != r.sim.ChargedTotal() {
		t.Fatalf("after the terminal approved: %+v, %v", got, err)
	}
}

// 3b. The cashier's cancel during "INSERIRE CARTA": the till stops waiting, the terminal goes
// on; the attempt is never "declined" on the previous transaction's G answer.
func TestCashierCancelBeforeTheCardIsReadLeavesTheAttemptUnknown(t *testing.T) {
	r := newRigWith(t, ecrsim.Config{ProgressDelay: 150 * time.Millisecond})
	r.warm(t)
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	s := r.sale(t, 800)
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(800, func(e pos.Event) {
		if e.Text == "INSERIRE CARTA" {
			once.Do(cancel)
		}
	}))
	if errors.Is(err, checkout.ErrDeclined) || a.State == checkout.AttemptDeclined {
		t.Fatalf("told nothing was charged without proof: %+v, %v", a, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.State == checkout.AttemptUnknown && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if got, _ := r.co.Resolve(context.Background(), a.ID); got != nil {
			a = got
		}
	}
	if a.State != checkout.AttemptApproved || r.approvedTotal(t) != r.sim.ChargedTotal() {
		t.Fatalf("attempt %s; till %s, terminal %s", a.State, r.approvedTotal(t), r.sim.ChargedTotal())
	}
}

// A request the terminal never took is declined only after the terminal's own timeout, on its
// unchanged last result.
func TestSwallowedRequestIsNotProcessedOnlyAfterTheTerminalsTimeout(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.warm(t)
	s := r.sale(t, 102) // 1,02 €: the request is swallowed, no ACK, no result
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(102, nil))
	if err != nil && !errors.Is(err, checkout.ErrDeclined) && !errors.Is(err, checkout.ErrUnresolved) {
		t.Fatal(err)
	}
	// The driver waited the result timeout (the terminal's own, 1 s) before asking; asked again
	// later if it was too early.
	deadline := time.Now().Add(10 * time.Second)
	for a.State == checkout.AttemptUnknown && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if got, _ := r.co.Resolve(ctx, a.ID); got != nil {
			a = got
		}
	}
	if a.State != checkout.AttemptDeclined || a.Evidence != checkout.EvidenceNotProcessed || time.Since(a.SentAt) < time.Second {
		t.Fatalf("attempt %+v", a)
	}
}

// 4 and 5. Results that are not this attempt's own, or not whole, never approve it: another
// terminal's id, a short approval, an unreadable STAN. A short frame whose whole result G can
// give back is settled by G.
func TestForeignOrMalformedResultsNeverApprove(t *testing.T) {
	tests := []struct {
		scenario ecrsim.Scenario
		want     checkout.AttemptState
	}{
		{ecrsim.ForeignTID, checkout.AttemptUnknown},
		{ecrsim.BadSTAN, checkout.AttemptUnknown},
		{ecrsim.ShortResult, checkout.AttemptApproved},
	}
	for _, tt := range tests {
		t.Run(string(tt.scenario), func(t *testing.T) {
			r := newRig(t)
			ctx := context.Background()
			r.warm(t)
			r.sim.SetScenario(tt.scenario)
			s := r.sale(t, 800)
			a, err := r.co.PayElectronic(ctx, s, r.coverflex(800, nil))
			if a == nil || a.State != tt.want || a.TerminalID != "12345678" {
				t.Fatalf("attempt %+v, %v", a, err)
			}
			if tt.want == checkout.AttemptApproved && (err != nil || a.Evidence != checkout.EvidenceLastResult || a.STAN != "000002") {
				t.Fatalf("short result settled by G: %+v, %v", a, err)
			}
			if tt.want == checkout.AttemptUnknown && (!errors.Is(err, checkout.ErrUnresolved) || a.STAN != "") {
				t.Fatalf("malformed result: %+v, %v", a, err)
			}
		})
	}
}

// 6. A terminal that reset its STAN counter: a charged payment whose STAN is known from an
// older sale is not declined; it stays unknown until a manager settles it from the slip.
func TestSTANResetDoesNotDeclineAChargedPayment(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.warm(t)
	r.warm(t)
	r.sim.ResetSTAN()
	r.sim.SetScenario(ecrsim.DropAfterACK)
	s := r.sale(t, 800)
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(800, nil))
	if !errors.Is(err, checkout.ErrUnresolved) || a.State != checkout.AttemptUnknown {
		t.Fatalf("after a STAN reset: %+v, %v", a, err)
	}
	charge := r.sim.Charges()[2]
	if charge.STAN != "000001" {
		t.Fatalf("the simulator did not reset: %+v", charge)
	}
	got, err := r.co.ResolveByHand(ctx, a.ID, checkout.Slip{Approved: true, STAN: charge.STAN, Amount: 800}, "Maria (responsabile)")
	if err != nil || got.State != checkout.AttemptApproved || got.Evidence != checkout.EvidenceByHand {
		t.Fatalf("by hand: %+v, %v", got, err)
	}
	if r.approvedTotal(t) != r.sim.ChargedTotal() {
		t.Fatalf("till %s, terminal %s", r.approvedTotal(t), r.sim.ChargedTotal())
	}
}

// 7. The background retry never touches an attempt whose exchange is running, and a stale copy
// can never overwrite an approval.
func TestBackgroundRetryLeavesARunningExchangeAlone(t *testing.T) {
	r := newRigWith(t, ecrsim.Config{ProgressDelay: 200 * time.Millisecond})
	ctx := context.Background()
	r.warm(t)
	s := r.sale(t, 800)
	var running sync.WaitGroup
	running.Add(1)
	var a *checkout.Attempt
	var payErr error
	go func() {
		defer running.Done()
		a, payErr = r.co.PayElectronic(ctx, s, r.coverflex(800, nil))
	}()
	// A second till process on the same database, and this till's own background pass, run
	// while the exchange is on.
	other := &checkout.Checkout{Printer: r.printer, Journal: r.db, Devices: r.devices, NewID: storage.NewID, Now: time.Now}
	deadline := time.Now().Add(10 * time.Second)
	for sent := false; !sent && time.Now().Before(deadline); {
		attempts, _ := r.db.SaleAttempts(ctx, s.ID)
		sent = len(attempts) == 1 && attempts[0].State == checkout.AttemptSent
		time.Sleep(10 * time.Millisecond)
	}
	rec, err := r.co.ResolveOpen(ctx)
	if err != nil || len(rec.Resolved)+len(rec.Unresolved) != 0 {
		t.Fatalf("this till's pass touched the running attempt: %+v, %v", rec, err)
	}
	if _, err := other.ResolveOpen(ctx); err != nil {
		t.Fatal(err)
	}
	running.Wait()
	if payErr != nil || a.State != checkout.AttemptApproved {
		t.Fatalf("attempt %+v, %v", a, payErr)
	}
	stored := r.attempt(t, a.ID)
	// Settled by its own result, or by the other process's G if that came after the charge.
	if stored.State != checkout.AttemptApproved || stored.STAN == "" ||
		(stored.Evidence != checkout.EvidenceResult && stored.Evidence != checkout.EvidenceLastResult) {
		t.Fatalf("stored %+v", stored)
	}
	// A stale copy read while the attempt was sent loses its compare-and-set.
	stale := stored
	stale.State, stale.STAN = checkout.AttemptUnknown, ""
	err = r.db.UpdateAttempt(ctx, &stale, checkout.AttemptSent, nil)
	var se *checkout.StaleError
	if !errors.As(err, &se) || se.Found != checkout.AttemptApproved {
		t.Fatalf("stale write: %v", err)
	}
	if again := r.attempt(t, a.ID); again.State != checkout.AttemptApproved || again.STAN != stored.STAN {
		t.Fatalf("overwritten: %+v", again)
	}
}

// 9. Everything the sale needs is checked before the terminal is asked: the customer, the
// cash for the rest, the printer.
func TestInputIsCheckedBeforeTheTerminalIsAsked(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	bad := checkout.Customer{ID: "c-1", Company: "Studio Bianchi Srl", VATNumber: "12345678901", Address: "Via Roma 1", CAP: "20121",
		City: "Milano", Province: "MI", RecipientCode: "ABC1234"}
	tests := []struct {
		name  string
		plan  checkout.Plan
		fault error
		want  error
	}{
		{"invoice customer with a wrong P.IVA", checkout.Plan{Customer: &bad}, nil, checkout.ErrInvalidCustomer},
		{"cash below the rest", checkout.Plan{Electronic: []money.Cents{800}, CashKnown: true, Tendered: 100}, nil, checkout.ErrTenderTooLow},
		{"printer out of paper", checkout.Plan{}, &fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"}, checkout.ErrPrinterNotReady},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.printer.SetFault(tt.fault)
			defer r.printer.SetFault(nil)
			req := r.coverflex(800, nil)
			req.Plan = tt.plan
			before := r.sim.Requests()
			_, err := r.co.PayElectronic(ctx, r.sale(t, 1200), req)
			if !errors.Is(err, tt.want) || r.sim.Requests() != before {
				t.Fatalf("err %v, terminal requests %d → %d", err, before, r.sim.Requests())
			}
		})
	}
}

// 10. A settlement by hand may not overpay the sale, nor approve more than was requested.
func TestSettlementByHandNeverOverpays(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.warm(t)
	s := r.sale(t, 900)
	if _, err := r.co.PayElectronic(ctx, s, r.coverflex(500, nil)); err != nil {
		t.Fatal(err)
	}
	r.sim.SetLastResultMode(ecrsim.LastResultNone)
	r.sim.SetScenario(ecrsim.DropAfterACK)
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(400, nil))
	if !errors.Is(err, checkout.ErrUnresolved) {
		t.Fatal(err)
	}
	for _, amount := range []money.Cents{550, 401} {
		if _, err := r.co.ResolveByHand(ctx, a.ID, checkout.Slip{Approved: true, STAN: "000003", Amount: amount}, "Maria"); !errors.Is(err, checkout.ErrOverpay) {
			t.Fatalf("%s on the slip: %v", amount, err)
		}
	}
	if _, err := r.co.ResolveByHand(ctx, a.ID, checkout.Slip{Approved: true, STAN: "000003", Amount: 400}, ""); !errors.Is(err, checkout.ErrBadSlip) {
		t.Fatalf("nobody named: %v", err)
	}
	got, err := r.co.ResolveByHand(ctx, a.ID, checkout.Slip{Approved: true, STAN: "000003", Amount: 400}, "Maria")
	if err != nil || got.Authorized != 400 {
		t.Fatalf("%+v %v", got, err)
	}
	if due, _, _ := r.co.Due(ctx, s); due != 0 {
		t.Fatalf("due %s", due)
	}
	if _, err := r.co.ResolveByHand(ctx, a.ID, checkout.Slip{Approved: true, STAN: "000003", Amount: 400}, "Maria"); !errors.Is(err, checkout.ErrStale) {
		t.Fatalf("settled twice: %v", err)
	}
}
