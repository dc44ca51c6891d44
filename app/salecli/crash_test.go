package salecli

import (
	"strings"
	"testing"

	"till/app/checkout"
	"till/storage"
)

func (w *world) lunch() []string {
	return []string{"--config", w.config, "--line", "Menu pranzo;1;12,00;2", "--pay", "coverflex", "--document", "receipt"}
}

// checkInvariants: the terminal charged at most once; every payment the terminal approved is
// an approved or documented attempt; at most one receipt; a printed receipt means a documented
// sale or one waiting for a person to confirm it; otherwise the sale is pending (for the
// cashier) or cancelled (nothing taken).
func (w *world) checkInvariants(label string) storage.StoredSale {
	w.t.Helper()
	s, attempts := w.state()
	if w.sim.Payments() > 1 {
		w.t.Fatalf("%s: the terminal charged %d times", label, w.sim.Payments())
	}
	for _, a := range attempts {
		if a.State == checkout.AttemptSent || a.State == checkout.AttemptCreated {
			w.t.Fatalf("%s: attempt left %s after restart", label, a.State)
		}
	}
	if got := w.approvedTotal(); got != w.sim.ChargedTotal() {
		w.t.Fatalf("%s: terminal took %s, the till knows %s (attempts %+v)", label, w.sim.ChargedTotal(), got, attempts)
	}
	printed := w.receipts(1200)
	if printed > 1 {
		w.t.Fatalf("%s: %d receipts for one sale", label, printed)
	}
	switch {
	case printed == 1 && s.State != "documented" && !s.PrintUncertain:
		w.t.Fatalf("%s: printed but the sale is %s and not waiting for a confirmation", label, s.State)
	case printed == 0 && s.ID != "" && s.State == "documented":
		w.t.Fatalf("%s: documented without a receipt", label)
	case s.ID != "" && s.State != "documented" && s.State != "pending" && s.State != "cancelled":
		w.t.Fatalf("%s: sale in state %q", label, s.State)
	}
	return s
}

// finish completes a sale left pending for the cashier, as the cashier would (cash for the
// rest), or as the person who checks the paper when its receipt is uncertain, and checks the
// document is issued exactly once.
func (w *world) finish(label string, s storage.StoredSale) {
	w.t.Helper()
	if s.ID == "" || s.State != "pending" {
		return
	}
	if s.PrintUncertain {
		w.answerUncertain(label, s)
	} else {
		w.resumeWithCash(label, s.ID)
	}
	if s2 := w.checkInvariants(label + " after resume"); s2.State != "documented" {
		w.t.Fatalf("%s: resumed sale is %s", label, s2.State)
	}
	if w.receipts(1200) != 1 {
		w.t.Fatalf("%s: %d receipts after resume", label, w.receipts(1200))
	}
}

// TestKilledAtEveryStepNothingIsLostOrDoubled kills `till sale` at each step of a Coverflex
// sale and restarts the till with another sale (whose start-up recovery settles what it can):
// the voucher is never charged twice nor lost, a receipt that may exist is never printed again
// without a person's word.
func TestKilledAtEveryStepNothingIsLostOrDoubled(t *testing.T) {
	steps := []struct {
		step          string
		wantCharged   int // the terminal's payments after recovery
		wantPrinted   int
		wantDocument  bool
		wantUncertain bool
	}{
		{"attempt-created", 0, 0, false, false},
		{"attempt-sent", 0, 0, false, false},
		{"request-left", 1, 0, false, false},
		{"approved", 1, 0, false, false},
		{"before-print", 1, 0, false, true}, // the receipt may have left: nobody can tell but a person
		{"printed", 1, 1, false, true},
		{"documented", 1, 1, true, false},
	}
	for _, tt := range steps {
		t.Run(tt.step, func(t *testing.T) {
			w := newWorld(t, "")
			if _, killed, out := w.run(tt.step, w.lunch()...); !killed {
				t.Fatalf("not killed at %s:\n%s", tt.step, out)
			}
			// Restart: the next sale runs recovery first.
			code, _, out := w.run("", "--line", "Caffè;1;1,20;1", "--pay", "cash")
			if code != 0 {
				t.Fatalf("restart: exit %d\n%s", code, out)
			}
			s := w.checkInvariants(tt.step)
			if w.sim.Payments() != tt.wantCharged || w.receipts(1200) != tt.wantPrinted || (s.State == "documented") != tt.wantDocument ||
				s.PrintUncertain != tt.wantUncertain {
				t.Fatalf("charged %d printed %d sale %s uncertain %v; want %d %d documented=%v uncertain=%v\n%s",
					w.sim.Payments(), w.receipts(1200), s.State, s.PrintUncertain, tt.wantCharged, tt.wantPrinted, tt.wantDocument, tt.wantUncertain, out)
			}
			if tt.wantUncertain {
				// Paying it again with cash is refused: the receipt may exist.
				code, _, out := w.run("", "--resume", s.ID, "--pay", "cash")
				if code != 2 || result(t, out).State != "print_uncertain" || w.receipts(1200) != tt.wantPrinted {
					t.Fatalf("resume of an uncertain receipt: exit %d\n%s", code, out)
				}
			}
			w.finish(tt.step, s)
		})
	}
}

// TestKilledAfterALostAnswerTheVoucherIsSettledOnEvidence kills the till once the terminal's
// answer is lost and the attempt is written unknown; the restart asks the terminal.
func TestKilledAfterALostAnswerTheVoucherIsSettledOnEvidence(t *testing.T) {
	w := newWorld(t, "")
	if code, _, out := w.run("", "--config", w.config, "--line", "Caffè;1;1,20;1", "--pay", "coverflex"); code != 0 {
		t.Fatalf("first sale: exit %d\n%s", code, out) // the till learns the terminal's last STAN
	}
	w.sim.SetScenario("drop-after-ack")
	if _, killed, out := w.run("unknown", w.lunch()...); !killed {
		t.Fatalf("not killed:\n%s", out)
	}
	w.sim.SetScenario("approve")
	if code, _, out := w.run("", "--line", "Acqua;1;1,00;1", "--pay", "cash"); code != 0 {
		t.Fatalf("restart: exit %d\n%s", code, out)
	}
	db := w.open()
	var state, evidence string
	db.SQL().QueryRow(`SELECT state, evidence FROM payments WHERE method = 'coverflex' AND requested_cents = 1200`).Scan(&state, &evidence)
	db.Close()
	if state != "approved" || evidence != checkout.EvidenceLastResult || w.approvedTotal() != w.sim.ChargedTotal() {
		t.Fatalf("after restart: %s by %q; till %s terminal %s", state, evidence, w.approvedTotal(), w.sim.ChargedTotal())
	}
}

// TestPrinterFailingAroundTheApprovalPrintsExactlyOnce: a printer that cannot print is found
// before the voucher is charged; one that fails after the approval never loses the payment nor
// prints twice; a lost answer waits for a person.
func TestPrinterFailingAroundTheApprovalPrintsExactlyOnce(t *testing.T) {
	cases := []struct {
		name        string
		fault       string // set before the sale
		crashAt     string
		later       string // set after the first run, before the resume
		code        int    // the first run's exit code when not killed
		charged     int
		state       string // the first run's JSON state
		uncertain   bool
		laterResume int // the exit code of a resume with the later fault
	}{
		{name: "paper out before the sale: nothing charged", fault: "paper-out", code: 1, charged: 0},
		{name: "printer not answering before the sale: nothing charged", fault: "no-answer", code: 1, charged: 0},
		{name: "paper out after the approval", crashAt: "approved", later: "paper-out", charged: 1, laterResume: 1},
		{name: "answer lost after the receipt was issued", fault: "once:drop-after-issue", code: 2, charged: 1, state: "print_uncertain", uncertain: true},
		{name: "answer held after the receipt was issued", fault: "once:hang-after-issue", code: 2, charged: 1, state: "print_uncertain", uncertain: true},
		{name: "no answer to the receipt only, nothing issued", fault: "once:no-answer-receipt", code: 2, charged: 1, state: "print_uncertain", uncertain: true},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "")
			if err := w.printer.SetFault(tt.fault); err != nil {
				t.Fatal(err)
			}
			code, killed, out := w.run(tt.crashAt, w.lunch()...)
			if (tt.crashAt != "") != killed || (!killed && code != tt.code) {
				t.Fatalf("first run: exit %d killed %v\n%s", code, killed, out)
			}
			if tt.state != "" && result(t, out).State != tt.state {
				t.Fatalf("first run state: %s", out)
			}
			if w.sim.Payments() != tt.charged {
				t.Fatalf("charged %d times, want %d", w.sim.Payments(), tt.charged)
			}
			w.printer.SetFault("none")
			s := w.checkInvariants(tt.name)
			if tt.charged == 0 {
				if s.ID != "" {
					t.Fatalf("a sale was recorded with nothing charged: %+v", s)
				}
				return
			}
			if s.PrintUncertain != tt.uncertain {
				t.Fatalf("uncertain %v", s.PrintUncertain)
			}
			if tt.later != "" {
				w.printer.SetFault(tt.later)
				if code, _, out := w.run("", "--resume", s.ID, "--pay", "cash"); code != tt.laterResume || w.receipts(1200) != 0 {
					t.Fatalf("resume with %s: exit %d\n%s", tt.later, code, out)
				}
				w.printer.SetFault("none")
			}
			w.finish(tt.name, s)
			if w.receipts(1200) != 1 || w.sim.Payments() != 1 {
				t.Fatalf("%d receipts, %d payments", w.receipts(1200), w.sim.Payments())
			}
		})
	}
}

func TestHeadlessSaleJSONAndTerminalChoice(t *testing.T) {
	second := `,{"id": "dev-2", "name": "POS sala", "model": "Ingenico EMW_IT", "terminal_id": "87654321",
	  "link": "tcp://127.0.0.1:1", "enabled_tills": ["till-1"]}`
	w := newWorld(t, second)
	code, _, out := w.run("", w.lunch()...)
	if code != 2 || !strings.Contains(out, "--terminal") || !strings.Contains(out, "12345678 (POS banco, Ingenico_EMW)") ||
		!strings.Contains(out, "87654321 (POS sala, Ingenico EMW_IT)") {
		t.Fatalf("several terminals without --terminal: exit %d\n%s", code, out)
	}
	if w.sim.Requests() != 0 {
		t.Fatal("a terminal was asked before the choice")
	}
	// The voucher pays 8,00 €, cash the rest.
	args := []string{"--config", w.config, "--line", "Menu pranzo;1;12,00;2", "--pay", "coverflex:8,00", "--terminal", "12345678",
		"--pay", "cash", "--document", "receipt"}
	code, _, out = w.run("", args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	got := result(t, out)
	if got.State != "documented" || got.TotalCents != 1200 || got.Document == nil || got.Document.Kind != "receipt" || len(got.Payments) != 2 {
		t.Fatalf("sale %+v", got)
	}
	var cf, cash *paymentJSON
	for i := range got.Payments {
		switch got.Payments[i].Method {
		case "coverflex":
			cf = &got.Payments[i]
		case "cash":
			cash = &got.Payments[i]
		}
	}
	if cf == nil || cash == nil || cf.AmountCents != 800 || cash.AmountCents != 400 || cf.MerchantID != "CFX0001234" ||
		cf.TerminalID != "12345678" || cf.STAN == "" || cf.AuthCode == "" || !strings.Contains(cf.MaskedPAN, "*") {
		t.Fatalf("payments %+v", got.Payments)
	}
	entry := w.printer.Journal()[0]
	if len(entry.Payments) != 2 || entry.Amount != 1200 {
		t.Fatalf("printed %+v", entry)
	}
}
