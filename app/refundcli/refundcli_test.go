package refundcli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"till/app/checkout"
	"till/app/salecli"
	"till/fiscal/rtsim"
	"till/storage"
)

// The crash tests run `till refund` in a child process (this test binary, re-executed) and
// kill it with SIGKILL at a step, as app/salecli does for sales.
func TestMain(m *testing.M) {
	if os.Getenv("REFUNDCLI_CHILD") != "" {
		args := strings.Split(os.Getenv("REFUNDCLI_ARGS"), "\x1f")
		if os.Getenv("REFUNDCLI_CHILD") == "void" {
			os.Exit(RunVoid(args, os.Stdout, os.Stderr))
		}
		os.Exit(RunRefund(args, os.Stdout, os.Stderr))
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

const serial = "99MEY000042"

// clock is the simulator's clock, moved by the test (never a sleep).
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

type world struct {
	t     *testing.T
	db    string
	url   string
	sim   *rtsim.Server
	clock *clock
}

// newWorld is a till database and a printer simulator on loopback. serialInStatus is the
// assumption that the printer says its serial in the status answer.
func newWorld(t *testing.T, serialInStatus bool) *world {
	t.Helper()
	w := &world{t: t, db: filepath.Join(t.TempDir(), "till.db"), clock: &clock{now: time.Now()}}
	sim, err := rtsim.New(rtsim.Config{Serial: serial, Now: w.clock.Now, AssumeStatusSerial: serialInStatus, HangMax: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	w.sim, w.url = sim, srv.URL
	return w
}

// sale sells lines ("DESC;QTY;PRICE;DEPT") for cash and returns the receipt's number.
func (w *world) sale(lines ...string) string {
	w.t.Helper()
	args := []string{"--db", w.db, "--printer", w.url, "--pay", "cash", "--json"}
	for _, l := range lines {
		args = append(args, "--line", l)
	}
	var out, errb bytes.Buffer
	if code := salecli.Run(args, &out, &errb); code != 0 {
		w.t.Fatalf("sale: exit %d: %s %s", code, out.String(), errb.String())
	}
	j := w.sim.Journal()
	return j[len(j)-1].ID
}

type outcome struct {
	code int
	res  resultJSON
	out  string
}

func (w *world) run(kind, document string, extra ...string) outcome {
	w.t.Helper()
	args := append([]string{"--db", w.db, "--printer", w.url, "--printer-timeout", "1s", "--document", document, "--json"}, extra...)
	var out, errb bytes.Buffer
	run := RunRefund
	if kind == "void" {
		run = RunVoid
	}
	code := run(args, &out, &errb)
	var res resultJSON
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		w.t.Fatalf("%s %s: %v: %s %s", kind, document, err, out.String(), errb.String())
	}
	return outcome{code, res, out.String() + errb.String()}
}

// returns are the simulator's void and refund documents.
func (w *world) returns() []rtsim.Entry {
	var out []rtsim.Entry
	for _, e := range w.sim.Journal() {
		if e.Kind == "void" || e.Kind == "refund" {
			out = append(out, e)
		}
	}
	return out
}

func reference(kind string, e rtsim.Entry, day time.Time) string {
	z, n, _ := strings.Cut(e.ID, "-")
	return kind + " " + z + " " + n + " " + day.Format("02012006") + " " + serial
}

func TestRefundsAndVoidsAppearOnThePrinterWithTheirReference(t *testing.T) {
	w := newWorld(t, true)
	today := time.Now()
	yesterday := today.AddDate(0, 0, -1)
	w.clock.Set(yesterday)
	old := w.sale("PANE;1;3,00;1")
	w.clock.Set(today)
	a := w.sale("PANE;1;3,00;1", "LATTE;2;1,50;1")
	b := w.sale("CAFFE;1;1,20;1")
	entry := func(id string) rtsim.Entry {
		for _, e := range w.sim.Journal() {
			if e.ID == id {
				return e
			}
		}
		t.Fatalf("no document %s", id)
		return rtsim.Entry{}
	}

	steps := []struct {
		name     string
		kind     string
		document string
		args     []string
		code     int
		ref      string      // the reference line the new document must carry; "" when refused
		amount   int64       // cents given back
		day      time.Time   // the original's day
		original rtsim.Entry // filled below
	}{
		{name: "void of yesterday's receipt refused", kind: "void", document: old, code: 1},
		{name: "refund of one of two", kind: "refund", document: a, args: []string{"--line", "2:1"}, code: 0, ref: "REFUND", amount: 150, day: today},
		{name: "refund of the other", kind: "refund", document: a, args: []string{"--line", "2"}, code: 0, ref: "REFUND", amount: 150, day: today},
		{name: "the same line again refused", kind: "refund", document: a, args: []string{"--line", "2:1"}, code: 1},
		{name: "void of a partly refunded receipt refused", kind: "void", document: a, code: 1},
		{name: "void of today's receipt", kind: "void", document: b, code: 0, ref: "VOID", amount: 120, day: today},
		{name: "void again refused", kind: "void", document: b, code: 1},
		{name: "refund of a voided receipt refused", kind: "refund", document: b, code: 1},
		{name: "refund of yesterday's receipt", kind: "refund", document: old, code: 0, ref: "REFUND", amount: 300, day: yesterday},
		{name: "no such line", kind: "refund", document: a, args: []string{"--line", "9"}, code: 1},
		{name: "no such document", kind: "refund", document: "0009-0009", code: 1},
	}
	for _, s := range steps {
		before := len(w.returns())
		o := w.run(s.kind, s.document, s.args...)
		if o.code != s.code {
			t.Fatalf("%s: exit %d, want %d: %s", s.name, o.code, s.code, o.out)
		}
		after := w.returns()
		if s.ref == "" {
			if len(after) != before {
				t.Fatalf("%s: refused, yet the printer issued %+v", s.name, after[len(after)-1])
			}
			continue
		}
		if len(after) != before+1 {
			t.Fatalf("%s: %d new documents on the printer", s.name, len(after)-before)
		}
		got := after[len(after)-1]
		want := reference(s.ref, entry(s.document), s.day)
		if got.Reference != want || got.Original != s.document || int64(got.Amount) != s.amount {
			t.Errorf("%s: printer has %q of %s for %d, want %q for %d", s.name, got.Reference, got.Original, got.Amount, want, s.amount)
		}
		if o.res.Document != got.ID || o.res.Serial != serial || o.res.AmountCents != s.amount {
			t.Errorf("%s: till says %+v, printer %s", s.name, o.res, got.ID)
		}
		if len(o.res.Money) != 1 || o.res.Money[0].Method != "cash" || o.res.Money[0].State != "done" {
			t.Errorf("%s: money %+v, want cash done", s.name, o.res.Money)
		}
	}
	w.verifyChain()
}

// verifyChain checks the audit chain holds over every return written.
func (w *world) verifyChain() {
	w.t.Helper()
	db, err := storage.Open(context.Background(), w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	v, err := db.Verify(context.Background())
	if err != nil || !v.OK || v.Unchecked != 0 {
		w.t.Fatalf("audit chain: %+v %+v, %v", v, v.Broken, err)
	}
}

func TestRefundRefusedWhenTheSerialIsUnknown(t *testing.T) {
	w := newWorld(t, false) // a printer that does not say its serial: the contract documents no way to ask
	a := w.sale("PANE;1;3,00;1")
	o := w.run("refund", a)
	if o.code != 1 || !strings.Contains(o.res.Error, "Matricola") {
		t.Fatalf("exit %d: %s", o.code, o.out)
	}
	if n := len(w.returns()); n != 0 {
		t.Fatalf("printed %d returns with an unknown serial", n)
	}
}

// child runs `till refund|void` in a child process killed at step ("" runs to the end).
func (w *world) child(kind, step, document string, extra ...string) (code int, killed bool, out string) {
	w.t.Helper()
	args := []string{"--db", w.db, "--json"}
	if document != "" {
		args = append(args, "--printer", w.url, "--printer-timeout", "1s", "--document", document)
	}
	args = append(args, extra...)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REFUNDCLI_CHILD="+kind, "REFUNDCLI_ARGS="+strings.Join(args, "\x1f"), CrashEnv+"="+step)
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

// TestKilledBetweenDocumentAndRecordNothingIsRefundedTwice kills `till refund` (and `till
// void`) at each step around the document and runs it again: the printer never issues a
// second return, and the second run says a person must look (exit 2).
func TestKilledBetweenDocumentAndRecordNothingIsRefundedTwice(t *testing.T) {
	for _, tc := range []struct {
		kind, step  string
		wantPrinted int
	}{
		{"refund", "return-recorded", 0}, // recorded, not sent: may not be printed, yet nobody can tell the printer's side
		{"refund", "return-printed", 1},  // issued, not recorded
		{"void", "return-printed", 1},
		{"refund", "return-documented", 1}, // recorded; the money is the cash handed out, not a machine's
	} {
		t.Run(tc.kind+"/"+tc.step, func(t *testing.T) {
			w := newWorld(t, true)
			a := w.sale("PANE;1;3,00;1")
			if _, killed, out := w.child(tc.kind, tc.step, a); !killed {
				t.Fatalf("not killed at %s: %s", tc.step, out)
			}
			if n := len(w.returns()); n != tc.wantPrinted {
				t.Fatalf("printed %d, want %d", n, tc.wantPrinted)
			}
			code, _, out := w.child(tc.kind, "", a)
			want := 2 // uncertain: a person looks at the paper
			if tc.step == "return-documented" {
				want = 1 // recorded: already returned
			}
			if code != want {
				t.Fatalf("second run: exit %d, want %d: %s", code, want, out)
			}
			if n := len(w.returns()); n != tc.wantPrinted {
				t.Fatalf("second run printed: %d returns, want %d", n, tc.wantPrinted)
			}
			if want == 1 {
				return
			}
			// A manager reads the paper and says what happened; then it goes on from there.
			id := w.uncertainReturn()
			answer := []string{"--resume", id, "--not-printed"}
			if tc.wantPrinted == 1 {
				answer = []string{"--resume", id, "--printed", w.returns()[0].ID}
			}
			if code, _, out := w.child(tc.kind, "", "", answer...); code != 0 {
				t.Fatalf("settle: exit %d: %s", code, out)
			}
			code, _, out = w.child(tc.kind, "", a)
			if tc.wantPrinted == 1 && code != 1 || tc.wantPrinted == 0 && code != 0 {
				t.Fatalf("after the manager's word: exit %d: %s", code, out)
			}
			if n := len(w.returns()); n != 1 {
				t.Fatalf("in the end %d returns on the printer", n)
			}
			w.verifyChain()
		})
	}
}

// uncertainReturn is the id of the one return left uncertain.
func (w *world) uncertainReturn() string {
	w.t.Helper()
	db, err := storage.Open(context.Background(), w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	open, err := db.OpenReturns(context.Background())
	if err != nil || len(open) != 1 || open[0].State != "uncertain" {
		w.t.Fatalf("open returns %+v, %v", open, err)
	}
	return open[0].ID
}

// TestPrinterFaultsDuringAReturn: a refusal issues nothing and frees the lines; a lost answer
// leaves the return uncertain, and it is never printed again by the till.
func TestPrinterFaultsDuringAReturn(t *testing.T) {
	for _, tc := range []struct {
		fault       string
		code        int
		wantPrinted int
		retry       int // the exit of the same refund once the fault is gone
	}{
		{"once:printer-error:17", 1, 0, 0},
		{"once:paper-out", 1, 0, 0},
		{"once:drop-after-issue", 2, 1, 2},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			w := newWorld(t, true)
			a := w.sale("PANE;1;3,00;1")
			if err := w.sim.SetFault(tc.fault); err != nil {
				t.Fatal(err)
			}
			if o := w.run("refund", a); o.code != tc.code {
				t.Fatalf("exit %d, want %d: %s", o.code, tc.code, o.out)
			}
			if n := len(w.returns()); n != tc.wantPrinted {
				t.Fatalf("printed %d, want %d", n, tc.wantPrinted)
			}
			if o := w.run("refund", a); o.code != tc.retry {
				t.Fatalf("retry: exit %d, want %d: %s", o.code, tc.retry, o.out)
			}
			if n := len(w.returns()); n != 1 {
				t.Fatalf("in the end %d returns on the printer", n)
			}
		})
	}
}

// Refunds and voids are a manager's: once the till has operators, a cashier's PIN, a wrong one
// or none exits 2 and nothing reaches the printer; a manager's PIN goes through.
func TestRefundAndVoidNeedAManagersPIN(t *testing.T) {
	w := newWorld(t, true)
	a := w.sale("PANE;1;3,00;1")
	ctx := context.Background()
	db, err := storage.Open(ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	manager, err := db.AddOperator(ctx, "Anna", "1111", checkout.RoleManager, checkout.Operator{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddOperator(ctx, "Bruno", "2222", checkout.RoleCashier, manager, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, kind := range []string{"refund", "void"} {
		for _, pin := range [][]string{{"--operator", "2222"}, {"--operator", "9999"}, nil} {
			args := append([]string{"--db", w.db, "--printer", w.url, "--document", a}, pin...)
			run := RunRefund
			if kind == "void" {
				run = RunVoid
			}
			var out, errb bytes.Buffer
			if code := run(args, &out, &errb); code != 2 {
				t.Errorf("%s with %v: exit %d, want 2: %s%s", kind, pin, code, out.String(), errb.String())
			}
			if n := len(w.returns()); n != 0 {
				t.Fatalf("%s with %v printed %d returns", kind, pin, n)
			}
		}
	}
	if o := w.run("void", a, "--operator", "1111"); o.code != 0 || len(w.returns()) != 1 {
		t.Fatalf("void by the manager: exit %d, %d returns: %s", o.code, len(w.returns()), o.out)
	}
}

// A printer that does not say its serial: the installer writes it in the printer's address
// (?serial=, from its label), the sale records it, and the refund refers to it.
func TestSerialGivenInThePrinterAddress(t *testing.T) {
	w := newWorld(t, false)
	w.url += "?serial=" + serial
	a := w.sale("PANE;1;3,00;1")
	o := w.run("refund", a)
	if o.code != 0 {
		t.Fatalf("refund: exit %d: %s", o.code, o.out)
	}
	got := w.returns()
	if len(got) != 1 || got[0].Reference != reference("REFUND", w.sim.Journal()[0], w.clock.Now()) {
		t.Fatalf("returns %+v, want one referring to %s with serial %s", got, a, serial)
	}
}
