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

// The tests of this package run `till sale` in a child process (this test binary, re-executed)
// against the terminal and printer simulators running here, as a shop would: kill it with
// SIGKILL at a step of the payment state machine, restart it, answer its questions as a person
// would from the paper, and check nothing was lost or done twice.
func TestMain(m *testing.M) {
	if os.Getenv("SALECLI_CHILD") == "1" {
		os.Exit(Run(strings.Split(os.Getenv("SALECLI_ARGS"), "\x1f"), os.Stdout, os.Stderr))
	}
	// The tests read the Italian texts, whatever the developer's language; a test of the
	// English ones sets LANG itself, and the children inherit it.
	italian()
	os.Exit(m.Run())
}

// italian makes Italian the language of this test process and of its children.
func italian() {
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	os.Setenv("LANG", "it_IT.UTF-8")
}

type world struct {
	t       *testing.T
	dir     string
	db      string
	config  string
	sim     *ecrsim.Sim
	addr    string
	printer *rtsim.Server
	url     string
}

const demoConfig = `{"format": 1, "version": 7,
 "account": {"id": "acc-1", "name": "Bar Centrale S.r.l.", "coverflex_enabled": true},
 "sales_point": {"id": "sp-1", "name": "Milano Centro", "coverflex_visible": true, "coverflex_merchant_id": "CFX0001234"},
 "till": {"id": "TILL", "name": "Cassa"},
 "tills": [{"id": "till-1", "name": "Cassa 1"}, {"id": "till-2", "name": "Cassa 2"}],
 "payment_devices": [
  {"id": "dev-1", "name": "POS banco", "model": "Ingenico_EMW", "terminal_id": "12345678", "link": "LINK",
   "enabled_tills": ENABLED, "profile": {"ack_timeout": "300ms", "result_timeout": "1500ms", "connect_timeout": "1s"}}
  EXTRA]}`

func newWorld(t *testing.T, extraDevice string) *world {
	return newWorldWith(t, ecrsim.Config{}, extraDevice)
}

func newWorldWith(t *testing.T, cfg ecrsim.Config, extraDevice string) *world {
	t.Helper()
	w := &world{t: t, dir: t.TempDir()}
	w.db = filepath.Join(w.dir, "till.db")
	if cfg.TerminalID == "" {
		cfg.TerminalID = "12345678"
	}
	if cfg.ResultDelay == 0 {
		cfg.ResultDelay = 2 * time.Second
	}
	sim, err := ecrsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	addr, err := sim.ListenTCP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.sim, w.addr = sim, addr.String()
	p, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", HangMax: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.Close(); srv.Close() })
	w.printer, w.url = p, srv.URL
	w.config = w.writeConfig("config.json", "till-1", `["till-1"]`, extraDevice)
	return w
}

// writeConfig writes a configuration document for till, with dev-1 enabled on enabled.
func (w *world) writeConfig(name, till, enabled, extraDevice string) string {
	doc := strings.Replace(demoConfig, "LINK", "tcp://"+w.addr, 1)
	doc = strings.Replace(doc, "EXTRA", extraDevice, 1)
	doc = strings.Replace(doc, "ENABLED", enabled, 1)
	doc = strings.Replace(doc, `"TILL"`, `"`+till+`"`, 1)
	path := filepath.Join(w.dir, name)
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return path
}

// run runs `till sale` in a child process on the world's database; crashAt "" runs it to the end.
func (w *world) run(crashAt string, args ...string) (code int, killed bool, out string) {
	w.t.Helper()
	return w.runOn(w.db, crashAt, args...)
}

// runOn runs `till sale` on another database (another till).
func (w *world) runOn(db, crashAt string, args ...string) (code int, killed bool, out string) {
	w.t.Helper()
	args = append([]string{"--db", db, "--printer", w.url, "--printer-timeout", "1s", "--json"}, args...)
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

// result reads the JSON `till sale --json` printed.
func result(t *testing.T, out string) saleJSON {
	t.Helper()
	var got saleJSON
	i := strings.Index(out, "{\n")
	if i < 0 {
		t.Fatalf("no JSON in\n%s", out)
	}
	if err := json.NewDecoder(strings.NewReader(out[i:])).Decode(&got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return got
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

// printedFor is the printer's receipt whose first line is description, "" when none.
func (w *world) printedFor(description string) (id string, count int) {
	for _, e := range w.printer.Journal() {
		if e.Kind == "receipt" && len(e.Items) > 0 && e.Items[0].Description == description {
			id, count = e.ID, count+1
		}
	}
	return id, count
}

// open opens the till's database for a look.
func (w *world) open() *storage.DB {
	w.t.Helper()
	db, err := storage.Open(context.Background(), w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	return db
}

// state returns the first Coverflex sale and its attempts.
func (w *world) state() (storage.StoredSale, []checkout.Attempt) {
	w.t.Helper()
	ctx := context.Background()
	db := w.open()
	defer db.Close()
	var id string
	err := db.SQL().QueryRowContext(ctx, `SELECT sale_id FROM payments WHERE method = 'coverflex' ORDER BY created_at LIMIT 1`).Scan(&id)
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

// approvedTotal is what the till holds as taken by terminals: approved and documented attempts.
func (w *world) approvedTotal() money.Cents {
	w.t.Helper()
	db := w.open()
	defer db.Close()
	var sum money.Cents
	if err := db.SQL().QueryRow(`SELECT COALESCE(sum(amount_cents), 0) FROM payments WHERE method <> 'cash'
		AND state IN ('approved', 'documented')`).Scan(&sum); err != nil {
		w.t.Fatal(err)
	}
	return sum
}

// answerUncertain plays the person who checks the paper for a sale whose receipt is uncertain:
// the printer's journal says whether a receipt with the sale's first line came out.
func (w *world) answerUncertain(label string, s storage.StoredSale) {
	w.t.Helper()
	id, n := w.printedFor(s.Lines[0].Description)
	args := []string{"--resume", s.ID, "--not-printed"}
	if n == 1 {
		args = []string{"--resume", s.ID, "--printed", id}
	} else if n > 1 {
		w.t.Fatalf("%s: %d receipts for one sale", label, n)
	}
	if code, _, out := w.run("", args...); code != 0 {
		w.t.Fatalf("%s: %v: exit %d\n%s", label, args, code, out)
	}
}

// resumeWithCash finishes a pending sale with cash for the rest, as a cashier would: while its
// voucher's outcome is still unknown (the terminal's own timeout has not passed yet) the till
// refuses, and the cashier tries again a little later.
func (w *world) resumeWithCash(label, saleID string) {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, _, out := w.run("", "--resume", saleID, "--pay", "cash")
		if code == 0 {
			return
		}
		unknown := code == 2 && strings.Contains(out, `"state": "unknown"`)
		if !unknown || time.Now().After(deadline) {
			w.t.Fatalf("%s: resume: exit %d\n%s", label, code, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
