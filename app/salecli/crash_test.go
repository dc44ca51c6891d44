package salecli

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal/rtsim"
	"till/money"
	"till/pos/ecrsim"
	"till/storage"
)

// The crash tests run `till sale` in a child process (this test binary, re-executed) against
// the terminal and printer simulators running here, kill it with SIGKILL at a step of the
// payment state machine, restart it, and check nothing was lost or done twice.
func TestMain(m *testing.M) {
	if os.Getenv("SALECLI_CHILD") == "1" {
		os.Exit(Run(strings.Split(os.Getenv("SALECLI_ARGS"), "\x1f"), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

type world struct {
	t       *testing.T
	dir     string
	db      string
	config  string
	sim     *ecrsim.Sim
	printer *rtsim.Server
	url     string
}

const demoConfig = `{"format": 1, "version": 7,
 "account": {"id": "acc-1", "name": "Bar Centrale S.r.l.", "coverflex_enabled": true},
 "sales_point": {"id": "sp-1", "name": "Milano Centro", "coverflex_visible": true, "coverflex_merchant_id": "CFX0001234"},
 "till": {"id": "till-1", "name": "Cassa 1"},
 "tills": [{"id": "till-1", "name": "Cassa 1"}, {"id": "till-2", "name": "Cassa 2"}],
 "payment_devices": [
  {"id": "dev-1", "name": "POS banco", "model": "Ingenico_EMW", "terminal_id": "12345678", "link": "LINK",
   "enabled_tills": ["till-1"], "profile": {"ack_timeout": "300ms", "result_timeout": "1500ms", "connect_timeout": "1s"}}
  EXTRA]}`

func newWorld(t *testing.T, extraDevice string) *world {
	t.Helper()
	w := &world{t: t, dir: t.TempDir()}
	w.db = filepath.Join(w.dir, "till.db")
	sim, err := ecrsim.New(ecrsim.Config{TerminalID: "12345678", ResultDelay: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	addr, err := sim.ListenTCP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.sim = sim
	p, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", HangMax: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.Close(); srv.Close() })
	w.printer, w.url = p, srv.URL
	doc := strings.Replace(demoConfig, "LINK", "tcp://"+addr.String(), 1)
	doc = strings.Replace(doc, "EXTRA", extraDevice, 1)
	w.config = filepath.Join(w.dir, "config.json")
	if err := os.WriteFile(w.config, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// run runs `till sale` in a child process; crashAt "" runs it to the end.
func (w *world) run(crashAt string, args ...string) (code int, killed bool, out string) {
	w.t.Helper()
	args = append([]string{"--db", w.db, "--printer", w.url, "--printer-timeout", "1s", "--json"}, args...)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SALECLI_CHILD=1", "SALECLI_ARGS="+strings.Join(args, "\x1f"), CrashEnv+"="+crashAt)
	b, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return -1, true, string(b)
		}
		return exit.ExitCode(), false, string(b)
	}
	if err != nil {
		w.t.Fatalf("run child: %v", err)
	}
	return 0, false, string(b)
}

// receipts counts the receipts the printer issued for an amount.
func (w *world) receipts(amount money.Cents) int {
	n := 0
	for _, e := range w.printer.Journal() {
		if e.Kind == "receipt" && e.Amount == amount {
			n++
		}
	}
	return n
}

// state opens the database and returns the first Coverflex sale and its attempts.
func (w *world) state() (storage.StoredSale, []checkout.Attempt) {
	w.t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	var id string
	err = db.SQL().QueryRowContext(ctx, `SELECT sale_id FROM payments WHERE method = 'coverflex' ORDER BY created_at LIMIT 1`).Scan(&id)
	if err != nil {
		return storage.StoredSale{}, nil
	}
	s, err := db.Sale(ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	attempts, err := db.SaleAttempts(ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return s, attempts
}

func (w *world) lunch() []string {
	return []string{"--config", w.config, "--line", "Menu pranzo;1;12,00;2", "--pay", "coverflex", "--document", "receipt"}
}

// checkInvariants: the terminal charged at most once; every payment the terminal approved is
// an approved or documented attempt; at most one receipt; a printed receipt means a
// documented sale; otherwise the sale is pending (for the cashier) or cancelled (nothing taken).
func (w *world) checkInvariants(label string) storage.StoredSale {
	w.t.Helper()
	s, attempts := w.state()
	if w.sim.Payments() > 1 {
		w.t.Fatalf("%s: the terminal charged %d times", label, w.sim.Payments())
	}
	approved := 0
	for _, a := range attempts {
		if a.State == checkout.AttemptApproved || a.State == checkout.AttemptDocumented {
			approved++
		}
		if a.State == checkout.AttemptSent || a.State == checkout.AttemptCreated {
			w.t.Fatalf("%s: attempt left %s after restart", label, a.State)
		}
	}
	if approved != w.sim.Payments() {
		w.t.Fatalf("%s: terminal approved %d, till knows %d approved (attempts %+v)", label, w.sim.Payments(), approved, attempts)
	}
	printed := w.receipts(1200)
	if printed > 1 {
		w.t.Fatalf("%s: %d receipts for one sale", label, printed)
	}
	switch {
	case printed == 1 && (s.State != "documented" || s.Document == nil):
		w.t.Fatalf("%s: printed but the sale is %s", label, s.State)
	case printed == 0 && s.ID != "" && s.State == "documented":
		w.t.Fatalf("%s: documented without a receipt", label)
	case s.ID != "" && s.State != "documented" && s.State != "pending" && s.State != "cancelled":
		w.t.Fatalf("%s: sale in state %q", label, s.State)
	}
	return s
}

// finish completes a sale left pending for the cashier, as the cashier would, and checks the
// document is issued exactly once.
func (w *world) finish(label string, s storage.StoredSale) {
	w.t.Helper()
	if s.ID == "" || s.State != "pending" {
		return
	}
	code, _, out := w.run("", "--resume", s.ID, "--pay", "cash")
	if code != 0 {
		w.t.Fatalf("%s: resume: exit %d\n%s", label, code, out)
	}
	if s2 := w.checkInvariants(label + " after resume"); s2.State != "documented" {
		w.t.Fatalf("%s: resumed sale is %s", label, s2.State)
	}
	if w.receipts(1200) != 1 {
		w.t.Fatalf("%s: %d receipts after resume", label, w.receipts(1200))
	}
}

func TestKilledAtEveryStepNothingIsLostOrDoubled(t *testing.T) {
	steps := []struct {
		step         string
		wantCharged  int // the terminal's payments after recovery
		wantPrinted  int
		wantDocument bool
	}{
		{"attempt-created", 0, 0, false},
		{"attempt-sent", 0, 0, false},
		{"request-left", 1, 0, false},
		{"approved", 1, 0, false},
		{"before-print", 1, 0, false},
		{"printed", 1, 1, true},
		{"documented", 1, 1, true},
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
			if w.sim.Payments() != tt.wantCharged || w.receipts(1200) != tt.wantPrinted || (s.State == "documented") != tt.wantDocument {
				t.Fatalf("charged %d printed %d sale %s; want %d %d documented=%v\n%s",
					w.sim.Payments(), w.receipts(1200), s.State, tt.wantCharged, tt.wantPrinted, tt.wantDocument, out)
			}
			w.finish(tt.step, s)
		})
	}
}

func TestPrinterFailingAfterApprovalPrintsExactlyOnce(t *testing.T) {
	cases := []struct {
		name    string
		fault   string
		crashAt string
		code    int // the first run's exit code when not killed
	}{
		{"paper out", "paper-out", "", 1},
		{"paper out, killed after the approval", "paper-out", "before-print", -1},
		{"connection dropped after the receipt was issued", "once:drop-after-issue", "", 0},
		{"dropped after issue, killed before the commit", "once:drop-after-issue", "printed", -1},
		{"printer does not answer", "no-answer", "", 2},
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
			w.printer.SetFault("none")
			code, _, out = w.run("", "--line", "Caffè;1;1,20;1", "--pay", "cash")
			if code != 0 {
				t.Fatalf("restart: exit %d\n%s", code, out)
			}
			s := w.checkInvariants(tt.name)
			if w.sim.Payments() != 1 {
				t.Fatalf("approved payment lost or doubled: %d", w.sim.Payments())
			}
			w.finish(tt.name, s)
			if w.receipts(1200) != 1 {
				t.Fatalf("%d receipts", w.receipts(1200))
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
	var got saleJSON
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
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
