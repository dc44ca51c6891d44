package closecli

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

	"till/app/salecli"
	"till/fiscal/rtsim"
	"till/money"
	"till/pos"
	"till/pos/ecr17"
	"till/pos/ecrsim"
	"till/storage"
)

// The tests run `till sale` and `till close` in child processes (this test binary, re-executed)
// against the terminal and printer simulators running here, so a close can be killed with
// SIGKILL at one of its steps and run again, as in a shop.
func TestMain(m *testing.M) {
	args := strings.Split(os.Getenv("CLOSECLI_ARGS"), "\x1f")
	switch os.Getenv("CLOSECLI_CHILD") {
	case "close":
		os.Exit(Run(args, os.Stdout, os.Stderr))
	case "sale":
		os.Exit(salecli.Run(args, os.Stdout, os.Stderr))
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

const config = `{"format": 1, "version": 7,
 "account": {"id": "acc-1", "name": "Bar Centrale S.r.l.", "coverflex_enabled": true},
 "sales_point": {"id": "sp-1", "name": "Milano Centro", "coverflex_visible": true, "coverflex_merchant_id": "CFX0001234"},
 "till": {"id": "till-1", "name": "Cassa 1"},
 "tills": [{"id": "till-1", "name": "Cassa 1"}],
 "payment_devices": [
  {"id": "dev-1", "name": "POS banco", "model": "Ingenico_EMW", "terminal_id": "12345678", "link": "LINK",
   "enabled_tills": ["till-1"], "profile": {"ack_timeout": "300ms", "result_timeout": "1500ms", "connect_timeout": "1s"}}]}`

func newWorld(t *testing.T) *world {
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
	w.sim, w.addr = sim, addr.String()
	p, err := rtsim.New(rtsim.Config{Serial: "99MEY000042", HangMax: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.Close(); srv.Close() })
	w.printer, w.url = p, srv.URL
	w.config = filepath.Join(w.dir, "config.json")
	if err := os.WriteFile(w.config, []byte(strings.Replace(config, "LINK", "tcp://"+w.addr, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// child runs `till sale` or `till close` in a child process; crashAt "" runs it to the end.
func (w *world) child(verb, crashAt string, args ...string) (code int, killed bool, out string) {
	w.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CLOSECLI_CHILD="+verb, "CLOSECLI_ARGS="+strings.Join(args, "\x1f"),
		CrashEnv+"="+crashAt, salecli.CrashEnv+"="+crashAt)
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

// sale rings up one line paid by pay ("coverflex", "cash") and checks it was documented.
func (w *world) sale(price, pay string) {
	w.t.Helper()
	code, _, out := w.child("sale", "", "--db", w.db, "--config", w.config, "--printer", w.url, "--json",
		"--line", "Menu;1;"+price+";2", "--pay", pay, "--document", "receipt")
	if code != 0 {
		w.t.Fatalf("sale %s %s: exit %d\n%s", price, pay, code, out)
	}
}

// close runs `till close` with the world's database, configuration and printer.
func (w *world) close(crashAt string, args ...string) (int, bool, closeJSON, string) {
	w.t.Helper()
	args = append([]string{"--db", w.db, "--config", w.config, "--printer", w.url, "--printer-timeout", "2s", "--json"}, args...)
	code, killed, out := w.child("close", crashAt, args...)
	var j closeJSON
	if !killed {
		i := strings.Index(out, "{\n")
		if i < 0 {
			w.t.Fatalf("no JSON in\n%s", out)
		}
		if err := json.NewDecoder(strings.NewReader(out[i:])).Decode(&j); err != nil {
			w.t.Fatalf("%v\n%s", err, out)
		}
	}
	return code, killed, j, out
}

// zReports counts the Z reports the printer printed.
func (w *world) zReports() int {
	n := 0
	for _, e := range w.printer.Journal() {
		if e.Kind == "zreport" {
			n++
		}
	}
	return n
}

// terminal talks to the simulator as another ECR would, outside the till.
func (w *world) terminal() *ecr17.Terminal {
	w.t.Helper()
	term, err := ecr17.Open(context.Background(), "Ingenico_EMW", "tcp://"+w.addr, "12345678", "00000009", nil)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { term.Close() })
	return term
}

// chargeOutside takes a payment on the terminal that the till never asked for.
func (w *world) chargeOutside(amount money.Cents) {
	w.t.Helper()
	r, err := w.terminal().Pay(context.Background(), amount, "outside", pos.PayOptions{})
	if err != nil || r.Outcome != pos.Approved {
		w.t.Fatalf("outside payment: %+v %v", r, err)
	}
}

// closeOutside closes the terminal's session outside the till: the terminal no longer holds
// what the till took on it.
func (w *world) closeOutside() {
	w.t.Helper()
	if c, err := w.terminal().CloseSession(context.Background()); err != nil || !c.OK {
		w.t.Fatalf("outside close: %+v %v", c, err)
	}
}

// closeState reads the close under way or the last one.
func (w *world) lastClose() *storage.Close {
	w.t.Helper()
	db, err := storage.Open(context.Background(), w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	var id string
	if err := db.SQL().QueryRow(`SELECT id FROM closes ORDER BY started_at DESC, id DESC LIMIT 1`).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	c, err := db.LoadClose(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}
