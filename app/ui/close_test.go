package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"till/fiscal"
	"till/fiscal/memprinter"
	"till/money"
	"till/pos"
	"till/pos/ecrsim"
	"till/storage"
)

// closeText is the close screen's list, one line a row, "text | amount".
func (c *closeScreen) text() string {
	var b strings.Builder
	for _, l := range c.lines {
		b.WriteString(l.text + " | " + l.amount + "\n")
	}
	return b.String()
}

// openCloseScreen goes from the sale screen to the close through the journal.
func (h *harness) openCloseScreen() *closeScreen {
	h.t.Helper()
	h.tap("Giornale", "Chiusura giornaliera")
	c := h.till.journal.closing
	if h.till.current != c {
		h.t.Fatalf("on %T, not the close", h.till.current)
	}
	return c
}

// typeCash types an amount in cents on the close's keypad.
func (h *harness) typeCash(digits string) {
	h.t.Helper()
	for _, d := range digits {
		h.tap(string(d))
	}
}

func (h *harness) lastClose() *storage.Close {
	h.t.Helper()
	var id string
	if err := h.boot.DB.SQL().QueryRow(`SELECT id FROM closes ORDER BY started_at DESC LIMIT 1`).Scan(&id); err != nil {
		h.t.Fatal(err)
	}
	cl, err := h.boot.DB.LoadClose(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return cl
}

// TestCloseScreenMatchesOrShowsTheDifference: the close reads and closes the terminal, counts
// the cash and prints the Z; when the terminal took a payment the till never asked for, the
// screen shows the difference and the sales on that terminal.
func TestCloseScreenMatchesOrShowsTheDifference(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outside bool
		cash    string
		want    []string
		message string
	}{
		{"matching", false, "250", []string{"POS banco · chiuso", "Totale cassa | 1,20", "Coverflex | 1,20", "Totale terminale | 1,20",
			"Differenza | 0,00", "Contanti attesi | 2,50", "Contanti contati | 2,50", "Z n. 1"}, "tutto corrisponde"},
		{"extra payment on the terminal, cash short", true, "240", []string{"Totale cassa | 1,20", "Totale terminale | 8,20",
			"Differenza | +7,00", "Coverflex  STAN", "Contanti contati | 2,40", "Differenza | -0,10"}, "con differenze"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.terminals(1, nil)
			h.firstSale()
			h.tap("2", "5", "0", "Bar\n22%", "PAGA", "Contanti", "CONFERMA")
			if tc.outside {
				term, err := h.boot.Terminal(context.Background(), "dev-12345678")
				if err != nil {
					t.Fatal(err)
				}
				if r, err := term.Pay(context.Background(), 700, "outside", pos.PayOptions{}); err != nil || r.Outcome != pos.Approved {
					t.Fatalf("outside payment: %+v %v", r, err)
				}
			}
			c := h.openCloseScreen()
			if !strings.Contains(c.text(), "Nessun pagamento aperto") || c.start.Disabled() {
				t.Fatalf("before the close: %q, start disabled %v", c.text(), c.start.Disabled())
			}
			h.typeCash(tc.cash)
			if c.cash.Text != money.Cents(must(strconv.Atoi(tc.cash))).String() {
				t.Fatalf("cash shows %q", c.cash.Text)
			}
			h.tap("CHIUDI LA GIORNATA")
			got := c.text()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("report lacks %q:\n%s", w, got)
				}
			}
			if !strings.Contains(c.message.Text, tc.message) {
				t.Errorf("message %q", c.message.Text)
			}
			if cl := h.lastClose(); cl.State != storage.CloseDone || cl.ZNumber == 0 {
				t.Errorf("close recorded %+v", cl)
			}
			if !c.start.Disabled() {
				t.Error("a finished close can be started again from the same screen")
			}
		})
	}
}

// TestOpenPaymentsBlockTheCloseUntilAcknowledged: a payment whose outcome is unknown is listed
// first and the close cannot start; Prosegui comunque lets it start, and the close keeps it.
func TestOpenPaymentsBlockTheCloseUntilAcknowledged(t *testing.T) {
	h := newHarness(t)
	sim := h.terminals(1, nil)[0]
	h.firstSale()
	h.parkUnknown(sim, "400")
	sim.SetScenario(ecrsim.Approve)
	c := h.openCloseScreen()
	if !strings.Contains(c.text(), "Pagamenti aperti") || !strings.Contains(c.text(), "esito sconosciuto") || !c.start.Disabled() ||
		!c.anyway.Visible() {
		t.Fatalf("open payments not blocking: %q, start disabled %v", c.text(), c.start.Disabled())
	}
	if !strings.Contains(c.message.Text, "1 pagamento aperto blocca la chiusura") { // one payment: the singular
		t.Fatalf("message %q", c.message.Text)
	}
	h.tap("Prosegui comunque", "CHIUDI LA GIORNATA")
	cl := h.lastClose()
	if len(cl.OpenPayments) != 1 || cl.State != storage.CloseDone {
		t.Fatalf("close %+v", cl)
	}
}

// TestCloseAsksAManager: a cashier gets the manager's PIN pad before the close opens.
func TestCloseAsksAManager(t *testing.T) {
	h := signedInAs(t, cashierPIN)
	h.tap("Giornale", "Chiusura giornaliera")
	h.askManager("close", func() bool { return h.till.current == h.till.journal.closing })
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// zLost is a printer that prints the Z but whose answer is lost; it counts the Z reports.
type zLost struct {
	*memprinter.Printer
	zs *int
}

func (p zLost) DailyClosure(ctx context.Context) (fiscal.Closure, error) {
	*p.zs++
	if _, err := p.Printer.DailyClosure(ctx); err != nil {
		return fiscal.Closure{}, err
	}
	return fiscal.Closure{}, fmt.Errorf("z report: %w", fiscal.ErrOutcomeUnknown)
}

// TestLostZAnswerIsSettledWithTheNumberOnThePaper: the close asks whether the Z is on the
// paper; put off, the close is resumed later and asks again; a bad number is refused in the
// question, the number read finishes the close and no second Z is printed.
func TestLostZAnswerIsSettledWithTheNumberOnThePaper(t *testing.T) {
	h := newHarness(t)
	mem := h.boot.Printer.(*memprinter.Printer)
	var zs int
	h.boot.Checkout.Printer = zLost{mem, &zs}
	h.tap("Caffè\n1,20", "PAGA", "Contanti", "CONFERMA")
	c := h.openCloseScreen()
	h.tap("CHIUDI LA GIORNATA")
	if c.zCheck == nil || !h.dialogOpen() || !strings.Contains(c.message.Text, "controllare la carta") {
		t.Fatalf("no question about the Z: %q", c.message.Text)
	}
	if cl := h.lastClose(); cl.State != storage.CloseZUnknown {
		t.Fatalf("close %s", cl.State)
	}
	// Later: the close stays half-way; opened again it offers to resume, which asks again.
	h.tap("Più tardi", "Indietro", "Chiusura giornaliera")
	if c.start.Text != "RIPRENDI LA CHIUSURA" || !strings.Contains(c.message.Text, "rimasta a metà") {
		t.Fatalf("reopened: %q, %q", c.start.Text, c.message.Text)
	}
	h.tap("RIPRENDI LA CHIUSURA")
	if c.zCheck == nil || !h.dialogOpen() {
		t.Fatalf("resumed without asking about the Z: %q", c.message.Text)
	}
	z := c.zCheck
	z.number.SetText("uno")
	h.tap("Stampato")
	if c.zCheck != z || !z.problem.Visible() {
		t.Fatal("a number that is not one was taken")
	}
	z.number.SetText("1")
	h.tap("Stampato")
	if cl := h.lastClose(); cl.State != storage.CloseDone || cl.ZNumber != 1 {
		t.Fatalf("close %+v", cl)
	}
	if zs != 1 {
		t.Errorf("%d Z reports asked of the printer", zs)
	}
	if !strings.Contains(c.message.Text, "Z n. 1") || h.dialogOpen() || !strings.Contains(c.text(), "Chiusura ripresa") {
		t.Errorf("after the answer: %q, dialog %v", c.message.Text, h.dialogOpen())
	}
}
