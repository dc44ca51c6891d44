package closecli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/internal/i18n"
	"till/pos/ecrsim"
	"till/storage"
)

// TestCloseReconcilesTerminalAgainstTheTill: the terminal agrees, took less than the till
// recorded, or took a payment the till never asked for; each close prints one Z and says
// which sales are involved when the totals differ.
func TestCloseReconcilesTerminalAgainstTheTill(t *testing.T) {
	for _, tc := range []struct {
		name     string
		outside  func(w *world)
		wantCode int
		wantDiff int64
		wantTerm int64
	}{
		{"matching", func(*world) {}, 0, 0, 1250},
		{"payment missing on the terminal", func(w *world) { w.closeOutside() }, 1, -1250, 0},
		{"extra payment on the terminal", func(w *world) { w.chargeOutside(700) }, 1, 700, 1950},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.sale("12,50", "coverflex")
			w.sale("5,00", "cash")
			tc.outside(w)
			code, _, j, out := w.close("", "--cash", "5,00")
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tc.wantCode, out)
			}
			if len(j.Terminals) != 1 {
				t.Fatalf("terminals %+v", j.Terminals)
			}
			term := j.Terminals[0]
			if term.State != "closed" || term.TillCents != 1250 || term.TerminalCents != tc.wantTerm || term.DifferenceCents != tc.wantDiff ||
				term.Methods.CoverflexCents != 1250 || term.Methods.CardCents != 0 {
				t.Errorf("terminal %+v", term)
			}
			if (tc.wantDiff != 0) != (len(term.Sales) == 1) {
				t.Errorf("sales involved %+v with difference %d", term.Sales, tc.wantDiff)
			}
			if j.Cash == nil || j.Cash.ExpectedCents != 500 || j.Cash.DifferenceCents != 0 {
				t.Errorf("cash %+v", j.Cash)
			}
			if j.State != "done" || j.Z == nil || w.zReports() != 1 {
				t.Errorf("state %s, Z %+v, %d Z reports printed", j.State, j.Z, w.zReports())
			}
			if w.sim.Total() != 0 {
				t.Errorf("the terminal's session still holds %s", w.sim.Total())
			}
		})
	}
}

// TestNextCloseCountsOnlyWhatCameAfter: a payment belongs to the close that counted it.
func TestNextCloseCountsOnlyWhatCameAfter(t *testing.T) {
	w := newWorld(t)
	w.sale("12,50", "coverflex")
	if code, _, _, out := w.close(""); code != 0 {
		t.Fatalf("first close: exit %d\n%s", code, out)
	}
	w.sale("3,00", "coverflex")
	w.sale("2,00", "cash")
	code, _, j, out := w.close("", "--cash", "1,50")
	if code != 1 {
		t.Fatalf("second close: exit %d\n%s", code, out)
	}
	if term := j.Terminals[0]; term.TillCents != 300 || term.TerminalCents != 300 || term.DifferenceCents != 0 {
		t.Errorf("terminal %+v", term)
	}
	if c := j.Cash; c == nil || c.ExpectedCents != 200 || c.DifferenceCents != -50 {
		t.Errorf("cash %+v: the drawer is 0,50 short", c)
	}
	if w.zReports() != 2 {
		t.Errorf("%d Z reports after two closes", w.zReports())
	}
}

// TestInterruptedCloseResumesWithoutSendingCAgain kills the close at each step from the
// terminal's C to the Z: the next run never sends C again and prints the Z exactly once.
func TestInterruptedCloseResumesWithoutSendingCAgain(t *testing.T) {
	for _, tc := range []struct {
		step     string
		resume   []string // what the manager answers on the second run
		wantCode int      // of the second run
		third    []string // a third run, when the second asks a person
	}{
		{step: "terminal-answered", wantCode: 0},
		{step: "terminal-closed", wantCode: 0},
		{step: "z-intent", wantCode: 2, third: []string{"--z-not-printed"}},
	} {
		t.Run(tc.step, func(t *testing.T) {
			w := newWorld(t)
			w.sale("12,50", "coverflex")
			if _, killed, _, out := w.close(tc.step); !killed {
				t.Fatalf("not killed at %s\n%s", tc.step, out)
			}
			code, _, j, out := w.close("", tc.resume...)
			if code != tc.wantCode || !j.Resumed {
				t.Fatalf("resume: exit %d, want %d (resumed %v)\n%s", code, tc.wantCode, j.Resumed, out)
			}
			if tc.third != nil {
				if code, _, j, out = w.close("", tc.third...); code != 0 {
					t.Fatalf("after the manager's answer: exit %d\n%s", code, out)
				}
			}
			if w.sim.Closures() != 1 {
				t.Errorf("the terminal received C %d times", w.sim.Closures())
			}
			if w.zReports() != 1 || j.State != "done" {
				t.Errorf("%d Z reports, close %s", w.zReports(), j.State)
			}
			if term := j.Terminals[0]; term.TerminalCents != 1250 || term.DifferenceCents != 0 {
				t.Errorf("terminal %+v", term)
			}
		})
	}
}

// TestZOnPaperEndsTheCloseWithoutPrinting: a person who finds the Z on paper ends the close.
func TestZOnPaperEndsTheCloseWithoutPrinting(t *testing.T) {
	w := newWorld(t)
	if code, _, j, out := w.close("", "--z-printed", "7"); code != 2 || j.CloseID != "" || w.zReports() != 0 {
		t.Fatalf("a word on a Z nobody asked for: exit %d\n%s", code, out)
	}
	if _, killed, _, _ := w.close("z-intent"); !killed {
		t.Fatal("not killed")
	}
	if code, _, _, out := w.close(""); code != 2 || !strings.Contains(out, "z_unknown") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	code, _, j, out := w.close("", "--z-printed", "7")
	if code != 0 || j.Z == nil || j.Z.Number != 7 || w.zReports() != 0 {
		t.Fatalf("exit %d, Z %+v, %d printed\n%s", code, j.Z, w.zReports(), out)
	}
}

// TestOpenPaymentsBlockTheClose: an approved payment whose receipt is still due is listed and
// stops the close, until the manager acknowledges it; the close then keeps the list.
func TestOpenPaymentsBlockTheClose(t *testing.T) {
	w := newWorld(t)
	code, killed, out := w.child("sale", "approved", "--db", w.db, "--config", w.config, "--printer", w.url, "--json",
		"--line", "Menu;1;12,50;2", "--pay", "coverflex", "--document", "receipt")
	if !killed {
		t.Fatalf("sale not killed: exit %d\n%s", code, out)
	}
	code, _, j, out := w.close("")
	if code != 2 || len(j.OpenPayments) != 1 || j.OpenPayments[0].State != "approved" || j.CloseID != "" {
		t.Fatalf("exit %d, open %+v, close %q\n%s", code, j.OpenPayments, j.CloseID, out)
	}
	if w.sim.Closures() != 0 || w.zReports() != 0 {
		t.Fatal("a blocked close touched the terminal or the printer")
	}
	code, _, j, out = w.close("", "--acknowledge-open")
	if code != 0 || len(j.OpenPayments) != 1 || j.Terminals[0].TillCents != 1250 {
		t.Fatalf("acknowledged: exit %d %+v\n%s", code, j, out)
	}
	if c := w.lastClose(); len(c.OpenPayments) != 1 {
		t.Errorf("the close record keeps %d open payments", len(c.OpenPayments))
	}
}

// TestRefusedTotalsLeaveTheCloseUnfinished: a terminal that refuses T is never sent C.
func TestRefusedTotalsLeaveTheCloseUnfinished(t *testing.T) {
	w := newWorld(t)
	w.sale("12,50", "coverflex")
	w.sim.SetScenario("refuse-totals")
	code, _, j, out := w.close("")
	if code != 2 || j.State != "terminals" || w.sim.Closures() != 0 || w.zReports() != 0 {
		t.Fatalf("exit %d, state %s, %d C, %d Z\n%s", code, j.State, w.sim.Closures(), w.zReports(), out)
	}
	w.sim.SetScenario("")
	if code, _, _, out := w.close(""); code != 0 || w.sim.Closures() != 1 || w.zReports() != 1 {
		t.Fatalf("after the terminal is back: exit %d\n%s", code, out)
	}
}

func TestBadArgumentsPrintUsageAndExit2(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--db", "x.db"},
		{"--db", "x.db", "--printer", "http://x", "--cash", "tanti"},
		{"--db", "x.db", "--printer", "http://x", "--z-printed", "3", "--z-not-printed"},
		{"--db", "x.db", "--printer", "http://x", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := Run(args, &out, &errb); code != 2 || !strings.Contains(errb.String(), i18n.In("it", "cli.close.usage")) {
			t.Errorf("%q: exit %d\n%s", args, code, errb.String())
		}
	}
}

// TestCloseSessionWithoutAnswerIsSettledByTotals: C is sent once; when its answer is lost
// the next runs only ask T. A session total of 0 proves the session closed; a total still
// there keeps the terminal unknown until the manager closes the session on the terminal.
func TestCloseSessionWithoutAnswerIsSettledByTotals(t *testing.T) {
	for _, tc := range []struct {
		name      string
		scenario  ecrsim.Scenario // while C is sent
		closures  int             // C the terminal processed
		byManager bool            // the session stays open: the manager closes it on the terminal
	}{
		{"closed, answer lost", ecrsim.DropAfterACK, 1, false},
		{"never taken", ecrsim.NoACK, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.sale("12,50", "coverflex")
			if _, killed, _, _ := w.close("terminal-read"); !killed {
				t.Fatal("not killed after reading the terminal")
			}
			w.sim.SetScenario(tc.scenario)
			code, _, j, out := w.close("")
			if code != 2 || j.Terminals[0].State != "unknown" || w.sim.Closures() != tc.closures {
				t.Fatalf("C without answer: exit %d, %+v, %d C\n%s", code, j.Terminals, w.sim.Closures(), out)
			}
			w.sim.SetScenario("")
			if tc.byManager {
				code, _, j, out = w.close("")
				if code != 2 || j.Terminals[0].State != "unknown" || w.sim.Closures() != 0 || w.zReports() != 0 {
					t.Fatalf("session still open: exit %d, %+v, %d C, %d Z\n%s", code, j.Terminals, w.sim.Closures(), w.zReports(), out)
				}
				w.closeOutside()
			}
			code, _, j, out = w.close("")
			if code != 0 || j.Terminals[0].State != "closed" || j.Terminals[0].TerminalCents != 1250 || w.zReports() != 1 {
				t.Fatalf("settled: exit %d, %+v, %d Z\n%s", code, j.Terminals, w.zReports(), out)
			}
			want := tc.closures
			if tc.byManager {
				want = 1 // the manager's own, outside the till
			}
			if w.sim.Closures() != want {
				t.Errorf("the terminal received C %d times, want %d", w.sim.Closures(), want)
			}
		})
	}
}

// TestTextReportNamesTheDifference: the manager reads till, terminal and difference per
// terminal, the split per method and the sale involved.
func TestTextReportNamesTheDifference(t *testing.T) {
	w := newWorld(t)
	w.sale("12,50", "coverflex")
	w.closeOutside()
	code, _, out := w.child("close", "", "--db", w.db, "--config", w.config, "--printer", w.url)
	for _, want := range []string{"cassa 12,50 € (Coverflex 12,50 €, carta 0,00 €)", "terminale 0,00 €",
		"differenza -12,50 €", "vendita ", "Z n. ", "DIFFERENZE"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
}

// TestOnlyAManagerCloses: a cashier's PIN, or none, is refused before anything is sent or
// recorded; the manager's closes.
func TestOnlyAManagerCloses(t *testing.T) {
	w := newWorld(t)
	w.sale("12,50", "coverflex")
	db, err := storage.Open(context.Background(), w.db)
	if err != nil {
		t.Fatal(err)
	}
	boss, err := db.AddOperator(context.Background(), "Anna", "2468", checkout.RoleManager, checkout.ImplicitOperator, time.Now())
	if err == nil {
		_, err = db.AddOperator(context.Background(), "Luca", "1357", checkout.RoleCashier, boss, time.Now())
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	before := w.sim.Requests()
	for _, args := range [][]string{{"--operator", "1357"}, {}, {"--operator", "9999"}} {
		if code, _, j, out := w.close("", args...); code != 2 || j.CloseID != "" || w.sim.Requests() != before || w.zReports() != 0 {
			t.Fatalf("%q: exit %d, close %q, %d terminal requests\n%s", args, code, j.CloseID, w.sim.Requests()-before, out)
		}
	}
	code, _, j, out := w.close("", "--operator", "2468")
	if code != 0 || !strings.Contains(j.Operator, "Anna") || w.zReports() != 1 {
		t.Fatalf("manager: exit %d, operator %q\n%s", code, j.Operator, out)
	}
}
