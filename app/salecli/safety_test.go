package salecli

import (
	"strings"
	"testing"

	"till/pos/ecrsim"
)

// The defects found with terminals and printers that behave like real ones, through `till sale`
// as a shop runs it.

// paidOnce makes a first Coverflex sale, so the till knows the terminal's last result.
func (w *world) paidOnce() {
	w.t.Helper()
	if code, _, out := w.run("", "--config", w.config, "--line", "Caffè;1;1,20;1", "--pay", "coverflex"); code != 0 {
		w.t.Fatalf("first sale: exit %d\n%s", code, out)
	}
}

// lostAnswer runs the lunch sale with the link dropped after the terminal charged and G
// unanswerable: the payment is unknown. It returns the sale id.
func (w *world) lostAnswer() string {
	w.t.Helper()
	w.sim.SetScenario(ecrsim.DropAfterACK)
	w.sim.SetLastResultMode(ecrsim.LastResultNone)
	defer w.sim.SetScenario(ecrsim.Approve)
	code, _, out := w.run("", w.lunch()...)
	got := result(w.t, out)
	if code != 2 || got.State != "pending" || len(got.Payments) != 1 || got.Payments[0].State != "unknown" {
		w.t.Fatalf("lost answer: exit %d\n%s", code, out)
	}
	return got.SaleID
}

// 1. The cashier retries the voucher after "unknown": refused on that sale and on that
// terminal, nothing charged again; once the terminal answers, the sale finishes with the one
// charge.
func TestRetryingTheVoucherWhileItsOutcomeIsUnknownChargesNothing(t *testing.T) {
	w := newWorld(t, "")
	w.paidOnce()
	id := w.lostAnswer()
	charged := w.sim.Payments()
	for _, args := range [][]string{
		{"--resume", id, "--pay", "coverflex:12,00"},
		{"--resume", id, "--pay", "coverflex"},
		{"--line", "Acqua;1;1,50;1", "--pay", "coverflex"},
	} {
		code, _, out := w.run("", args...)
		if code != 2 || !strings.Contains(out, "NON ripeterlo") || w.sim.Payments() != charged {
			t.Fatalf("%v: exit %d, terminal payments %d → %d\n%s", args, code, charged, w.sim.Payments(), out)
		}
	}
	w.sim.SetLastResultMode(ecrsim.LastResultAnswer)
	code, _, out := w.run("", "--resume", id, "--pay", "cash")
	got := result(t, out)
	if code != 0 || got.State != "documented" || got.Payments[0].Evidence != "last_result" || len(got.Payments) != 1 {
		t.Fatalf("resume once the terminal answers: exit %d\n%s", code, out)
	}
	if w.receipts(1200) != 1 || w.approvedTotal() != w.sim.ChargedTotal() {
		t.Fatalf("receipts %d; till %s, terminal %s", w.receipts(1200), w.approvedTotal(), w.sim.ChargedTotal())
	}
}

// 2. One terminal enabled on two tills: till 2's payment is never taken for till 1's unknown
// one; a manager settles it from the slip, and both tills' totals match the terminal's.
func TestAnotherTillsPaymentOnASharedTerminalNeverSettlesTheVoucher(t *testing.T) {
	w := newWorld(t, "")
	w.config = w.writeConfig("shared-1.json", "till-1", `["till-1", "till-2"]`, "")
	tillTwoConfig := w.writeConfig("shared-2.json", "till-2", `["till-1", "till-2"]`, "")
	tillTwo := w.dir + "/till-2.db"
	w.paidOnce()
	id := w.lostAnswer()
	w.sim.SetLastResultMode(ecrsim.LastResultAnswer)
	if code, _, out := w.runOn(tillTwo, "", "--config", tillTwoConfig, "--line", "Acqua;1;3,00;1", "--pay", "coverflex"); code != 0 {
		t.Fatalf("till 2: exit %d\n%s", code, out)
	}
	code, _, out := w.run("", "--resume", id, "--pay", "cash")
	if got := result(t, out); code != 2 || got.Payments[0].State != "unknown" || w.receipts(1200) != 0 {
		t.Fatalf("till 1 settled by till 2's payment: exit %d\n%s", code, out)
	}
	charge := w.sim.Charges()[1] // till 1's lunch, as the slip shows it
	if charge.Amount != 1200 || !charge.Approved {
		t.Fatalf("charges %+v", w.sim.Charges())
	}
	if code, _, out := w.run("", "--resume", id, "--slip", "approved:"+charge.STAN+":12,00", "--manager", "Maria"); code != 0 {
		t.Fatalf("settled by hand: exit %d\n%s", code, out)
	}
	if code, _, out := w.run("", "--resume", id, "--pay", "cash"); code != 0 || w.receipts(1200) != 1 {
		t.Fatalf("after the slip: exit %d\n%s", code, out)
	}
	db2 := w.db
	w.db = tillTwo
	tillTwoTotal := w.approvedTotal()
	w.db = db2
	if w.approvedTotal()+tillTwoTotal != w.sim.ChargedTotal() {
		t.Fatalf("till 1 %s + till 2 %s, terminal %s", w.approvedTotal(), tillTwoTotal, w.sim.ChargedTotal())
	}
}

// 4, 5 and 6. A result from another terminal, a malformed one, or one after the terminal reset
// its counter never settles the voucher as approved or declined by itself.
func TestResultsThatAreNotTheVouchersOwnLeaveItUnknown(t *testing.T) {
	tests := []struct {
		name     string
		scenario ecrsim.Scenario
		reset    bool
		code     int
		state    string
		evidence string
	}{
		{name: "another terminal's id", scenario: ecrsim.ForeignTID, code: 2, state: "unknown"},
		{name: "STAN 00A04Z", scenario: ecrsim.BadSTAN, code: 2, state: "unknown"},
		{name: "a 20-byte approval, whole in the last result", scenario: ecrsim.ShortResult, code: 0, state: "documented", evidence: "last_result"},
		{name: "a counter reset", scenario: ecrsim.DropAfterACK, reset: true, code: 2, state: "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "")
			w.paidOnce()
			w.paidOnce()
			if tt.reset {
				w.sim.ResetSTAN()
			}
			w.sim.SetScenario(tt.scenario)
			code, _, out := w.run("", w.lunch()...)
			got := result(t, out)
			p := got.Payments[0]
			if code != tt.code || p.State != tt.state || p.TerminalID != "12345678" || p.Evidence != tt.evidence {
				t.Fatalf("exit %d\n%s", code, out)
			}
			if tt.state == "unknown" && (p.STAN != "" || w.receipts(1200) != 0) {
				t.Fatalf("recorded as paid: %+v", p)
			}
		})
	}
}

// 9. Everything the sale needs is checked before the terminal is asked for money.
func TestEverythingIsCheckedBeforeTheVoucherIsCharged(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"customer with a wrong P.IVA", []string{"--document", "invoice", "--customer-vat", "12345678901", "--customer-name", "Studio Bianchi",
			"--customer-address", "Via Roma 1, 20121, Milano, MI", "--customer-sdi", "ABC1234"}, 2},
		{"cash below the rest", []string{"--pay", "coverflex:5,00", "--pay", "cash:1,00"}, 1},
		{"a voucher over the total", []string{"--pay", "coverflex:20,00"}, 2},
		{"no cash for the rest", []string{"--pay", "coverflex:5,00"}, 1},
		{"unreachable printer", []string{"--printer", "http://127.0.0.1:1"}, 1},
		{"a line under one cent", []string{"--line", "Briciola;0,001;5,00;1"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "")
			args := []string{"--config", w.config, "--line", "Menu pranzo;1;12,00;2"}
			if !hasPay(tt.args) {
				args = append(args, "--pay", "coverflex")
			}
			code, _, out := w.run("", append(args, tt.args...)...)
			if code != tt.code || w.sim.Requests() != 0 || len(w.printer.Journal()) != 0 {
				t.Fatalf("exit %d (want %d), terminal requests %d, printed %d\n%s", code, tt.code, w.sim.Requests(), len(w.printer.Journal()), out)
			}
			if strings.Contains(out, `"sale_id"`) {
				t.Fatalf("a sale was recorded:\n%s", out)
			}
		})
	}
}

func hasPay(args []string) bool {
	for _, a := range args {
		if a == "--pay" {
			return true
		}
	}
	return false
}

// 12. Fractional quantities: the printer's total is the sale's to the cent, even where the
// exact amounts fall on half a cent.
func TestFractionalQuantitiesPrintTheSalesTotal(t *testing.T) {
	w := newWorld(t, "")
	code, _, out := w.run("", "--line", "Prosciutto cotto;0,335;3,99;3", "--line", "Pane;0,5;2,67;3", "--pay", "cash")
	got := result(t, out)
	// 0,335 × 3,99 = 1,33665 → 1,34; 0,5 × 2,67 = 1,335 → 1,34.
	if code != 0 || got.TotalCents != 268 || got.Document == nil || got.Document.AmountCents != 268 || got.Warning != "" {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if j := w.printer.Journal(); len(j) != 1 || j[0].Amount != 268 {
		t.Fatalf("printed %+v", j)
	}
}
