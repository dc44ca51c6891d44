package ecrsim

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"till/money"
	"till/pos"
	"till/pos/ecr17"
)

// Bounds are generous: they only fail a test when something is wrong, never because a
// busy 2-core machine was slow.
const patience = 10 * time.Second

var testProfile = pos.Profile{Model: "test", LRCMode: pos.LRCSTXETX, ConnectTimeout: patience,
	AckTimeout: 2 * time.Second, ResultTimeout: patience, Retransmits: 3}

func start(t *testing.T, cfg Config) (*Sim, string) {
	t.Helper()
	sim, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	a, err := sim.ListenTCP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return sim, a.String()
}

// till is the real driver as one till (ecrID) sees the simulated terminal.
func till(t *testing.T, addr, ecrID string) *ecr17.Terminal {
	t.Helper()
	return tillWith(t, addr, ecrID, testProfile)
}

func tillWith(t *testing.T, addr, ecrID string, p pos.Profile) *ecr17.Terminal {
	t.Helper()
	term, err := ecr17.New(context.Background(), ecr17.Config{Link: "tcp://" + addr, TerminalID: "12345678", ECRID: ecrID, Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return term
}

// waitFor polls cond until it holds or the patience runs out.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(patience); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: still not %s", patience, what)
		}
	}
}

func lastResult(t *testing.T, addr string) []byte {
	t.Helper()
	fs := exchange(t, addr, payload(t, ecr17.Request{Code: 'G', TerminalID: "12345678", ECRID: "00000009"}))
	if len(fs) != 2 || fs[0].Kind != ecr17.FrameACK || fs[1].Kind != ecr17.FrameApp {
		t.Fatalf("G answered %+v", fs)
	}
	return fs[1].Payload
}

func TestKeepWorkingAnswersThePreviousResultAndBusyUntilItApproves(t *testing.T) {
	sim, addr := start(t, Config{WorkDelay: time.Hour})
	ctx := context.Background()
	a, b := till(t, addr, "00000001"), till(t, addr, "00000002")
	first, err := a.Pay(ctx, 650, "a1", pos.PayOptions{})
	if err != nil || first.Outcome != pos.Approved || first.STAN != "000001" {
		t.Fatalf("first payment: %+v %v", first, err)
	}

	r, err := a.Pay(ctx, 108, "a2", pos.PayOptions{}) // 1,08 €: the terminal keeps working
	if !errors.Is(err, pos.ErrOutcomeUnknown) || r.Outcome != pos.Unknown || !sim.Working() {
		t.Fatalf("keep-working payment: %+v %v (working %v)", r, err, sim.Working())
	}
	// While it works, G is the previous result byte for byte: it proves nothing about a2.
	if got := lastResult(t, addr); !bytes.Equal(got, first.Raw) {
		t.Fatalf("G while working: %q, want the previous %q", got, first.Raw)
	}
	busy, err := b.Pay(ctx, 2000, "b1", pos.PayOptions{})
	if err != nil || busy.Outcome != pos.Declined || busy.Text != BusyText || busy.STAN != "" {
		t.Fatalf("other till's payment while working: %+v %v", busy, err)
	}
	if rev, err := b.Reverse(ctx, ""); err != nil || rev.Outcome != pos.Declined || rev.Text != BusyText {
		t.Fatalf("reversal while working: %+v %v", rev, err)
	}
	if st, err := b.Status(ctx); err != nil || !st.Operative {
		t.Fatalf("status while working: %+v %v", st, err)
	}
	if got := lastResult(t, addr); !bytes.Equal(got, first.Raw) {
		t.Fatalf("G after the busy declines: %q, want the previous %q", got, first.Raw)
	}
	if n := len(sim.Charges()); n != 1 || sim.Payments() != 2 || sim.Total() != 650 {
		t.Fatalf("while working: %d charges, %d payments, total %s", n, sim.Payments(), sim.Total())
	}

	if !sim.FinishWork() || sim.Working() || sim.FinishWork() {
		t.Fatal("FinishWork did not complete exactly one payment")
	}
	ch := sim.Charges()
	want := Charge{ECRID: "00000001", Amount: 108, STAN: "000002", Approved: true}
	if got := ch[len(ch)-1]; len(ch) != 2 || got.ECRID != want.ECRID || got.Amount != want.Amount ||
		got.STAN != want.STAN || !got.Approved || got.Reversed || got.At.IsZero() {
		t.Fatalf("charges %+v", ch)
	}
	last, err := a.LastResult(ctx)
	if err != nil || last.Outcome != pos.Approved || last.STAN != "000002" {
		t.Fatalf("G after the work: %+v %v", last, err)
	}
	if sim.Total() != 758 || sim.ChargedTotal() != 758 {
		t.Fatalf("total %s charged %s, want 7,58", sim.Total(), sim.ChargedTotal())
	}
	if r, err := b.Pay(ctx, 2000, "b2", pos.PayOptions{}); err != nil || r.Outcome != pos.Approved || r.STAN != "000003" {
		t.Fatalf("payment after the work: %+v %v", r, err)
	}
}

func TestKeepWorkingApprovesAfterWorkDelay(t *testing.T) {
	sim, addr := start(t, Config{Scenario: KeepWorking, WorkDelay: 50 * time.Millisecond})
	began := time.Now()
	r, err := till(t, addr, "00000001").Pay(context.Background(), 1250, "a1", pos.PayOptions{})
	if !errors.Is(err, pos.ErrOutcomeUnknown) {
		t.Fatalf("pay: %+v %v", r, err)
	}
	waitFor(t, "done working", func() bool { return !sim.Working() })
	ch := sim.Charges()
	if len(ch) != 1 || !ch[0].Approved || ch[0].Amount != 1250 || ch[0].At.Sub(began) < 50*time.Millisecond {
		t.Fatalf("charges %+v", ch)
	}
	if p := lastResult(t, addr); string(p[10:12]) != "00" || string(p[59:65]) != "000001" {
		t.Fatalf("last result %q", p)
	}
}

func TestCloseStopsAKeepWorkingPayment(t *testing.T) {
	before := runtime.NumGoroutine()
	sim, err := New(Config{Scenario: KeepWorking, WorkDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := sim.ListenTCP("127.0.0.1:0")
	fs := exchange(t, a.String(), payload(t, ecr17.Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650}))
	if len(fs) != 1 || fs[0].Kind != ecr17.FrameACK || !sim.Working() {
		t.Fatalf("keep-working payment: %+v, working %v", fs, sim.Working())
	}
	done := make(chan struct{})
	go func() { sim.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(patience):
		t.Fatal("Close did not return")
	}
	waitFor(t, "back to the goroutines before", func() bool { return runtime.NumGoroutine() <= before })
	if sim.FinishWork() || len(sim.Charges()) != 0 {
		t.Fatalf("a payment completed after Close: %+v", sim.Charges())
	}
}

// sendOnly writes one request frame on a fresh connection and returns the connection.
func sendOnly(t *testing.T, addr string, p []byte) (net.Conn, *ecr17.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(patience))
	c.Write(ecr17.AppendFrame(nil, ecr17.LRCSTXETX, p))
	return c, ecr17.NewReader(c, ecr17.LRCSTXETX)
}

func TestLastResultModes(t *testing.T) {
	const delay = 300 * time.Millisecond
	sim, addr := start(t, Config{ResultDelay: delay, LastResult: LastResultCut})
	g := payload(t, ecr17.Request{Code: 'G', TerminalID: "12345678", ECRID: "00000001"})
	pay := exchange(t, addr, payload(t, ecr17.Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650}))
	result := pay[len(pay)-1].Payload

	// cut (from Config): ACK, then the link drops before the answer.
	if fs := exchange(t, addr, g); len(fs) != 1 || fs[0].Kind != ecr17.FrameACK {
		t.Fatalf("cut: %+v", fs)
	}

	// late: ACK at once, the answer only after ResultDelay.
	sim.SetLastResultMode(LastResultLate)
	began := time.Now()
	if fs := exchange(t, addr, g); len(fs) != 2 || fs[0].Kind != ecr17.FrameACK || !bytes.Equal(fs[1].Payload, result) {
		t.Fatalf("late: %+v", fs)
	} else if el := time.Since(began); el < delay {
		t.Fatalf("late answered after %s, before %s", el, delay)
	}

	// none: no ACK, no answer; the request was seen all the same.
	sim.SetLastResultMode(LastResultNone)
	requests := sim.Requests()
	c, rd := sendOnly(t, addr, g)
	waitFor(t, "the G counted", func() bool { return sim.Requests() == requests+1 })
	c.SetReadDeadline(time.Now().Add(delay))
	if f, err := rd.Next(); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("none: got %+v %v", f, err)
	}

	// Status and payments are not affected by the mode.
	term := till(t, addr, "00000001")
	if st, err := term.Status(context.Background()); err != nil || !st.Operative {
		t.Fatalf("status: %+v %v", st, err)
	}
	if r, err := term.Pay(context.Background(), 700, "a", pos.PayOptions{}); err != nil || r.Outcome != pos.Approved {
		t.Fatalf("pay: %+v %v", r, err)
	}
	impatient := testProfile
	impatient.AckTimeout = 100 * time.Millisecond // nothing will come: no need to wait long
	if _, err := tillWith(t, addr, "00000001", impatient).LastResult(context.Background()); !errors.Is(err, pos.ErrNotDelivered) {
		t.Fatalf("G to a terminal that cannot answer it: %v", err)
	}

	sim.SetLastResultMode(LastResultAnswer)
	if got := lastResult(t, addr); string(got[59:65]) != "000002" {
		t.Fatalf("answer: %q", got)
	}
}

func TestChargedButUntrustworthyResults(t *testing.T) {
	for _, tc := range []struct {
		sc    Scenario
		check func(sent, last []byte) bool
	}{
		{ForeignTID, func(sent, last []byte) bool {
			return string(sent[:8]) == "87654321" && bytes.Equal(sent, last) && string(sent[10:12]) == "00"
		}},
		{ShortResult, func(sent, last []byte) bool {
			return len(sent) == 20 && len(last) == 71 && bytes.HasPrefix(last, sent) && string(last[59:65]) == "000001"
		}},
		{BadSTAN, func(sent, last []byte) bool {
			return string(sent[59:65]) == BadSTANValue && bytes.Equal(sent, last) && string(sent[:8]) == "12345678"
		}},
	} {
		t.Run(string(tc.sc), func(t *testing.T) {
			sim, addr := start(t, Config{Scenario: tc.sc})
			fs := exchange(t, addr, payload(t, ecr17.Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650}))
			res := fs[len(fs)-1]
			if res.Kind != ecr17.FrameApp || !res.LRCOK {
				t.Fatalf("result frame %+v", res)
			}
			if last := lastResult(t, addr); !tc.check(res.Payload, last) {
				t.Fatalf("sent %q, last result %q", res.Payload, last)
			}
			if ch := sim.Charges(); len(ch) != 1 || !ch[0].Approved || sim.Payments() != 1 || sim.ChargedTotal() != 650 {
				t.Fatalf("charges %+v, payments %d", ch, sim.Payments())
			}
		})
	}
}

func TestSTANStartAndReset(t *testing.T) {
	stanOf := func(t *testing.T, addr string, amount money.Cents) string {
		fs := exchange(t, addr, payload(t, ecr17.Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: amount}))
		return string(fs[len(fs)-1].Payload[59:65])
	}
	sim, addr := start(t, Config{STANStart: 41})
	if got := stanOf(t, addr, 650); got != "000042" {
		t.Fatalf("first STAN after start 41: %s", got)
	}
	sim.ResetSTAN()
	if got := stanOf(t, addr, 650); got != "000001" {
		t.Fatalf("STAN after a reset: %s", got)
	}
	_, addr = start(t, Config{STANStart: 999_999})
	if got := stanOf(t, addr, 650); got != "000001" {
		t.Fatalf("STAN after 999999: %s", got)
	}
	if _, err := New(Config{TerminalID: "87654321"}); err != nil {
		t.Errorf("terminal 87654321 with the default foreign id: %v", err)
	}
	for _, bad := range []Config{{STANStart: -1}, {STANStart: 1_000_000}, {ForeignTerminalID: "12345678"},
		{ForeignTerminalID: "8765"}, {LastResult: "sometimes"}} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
}

func TestChargesRecordWhichTillAsked(t *testing.T) {
	sim, addr := start(t, Config{})
	ctx := context.Background()
	a, b := till(t, addr, "00000001"), till(t, addr, "00000002")
	for _, step := range []struct {
		term    *ecr17.Terminal
		amount  money.Cents
		outcome pos.Outcome
	}{{a, 650, pos.Approved}, {b, 101, pos.Declined}, {b, 1200, pos.Approved}} {
		if r, err := step.term.Pay(ctx, step.amount, "x", pos.PayOptions{}); err != nil || r.Outcome != step.outcome {
			t.Fatalf("pay %s: %+v %v", step.amount, r, err)
		}
	}
	if r, err := a.Reverse(ctx, "000003"); err != nil || r.Outcome != pos.Approved {
		t.Fatalf("reverse: %+v %v", r, err)
	}
	if _, err := a.CloseSession(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range sim.Charges() {
		got = append(got, strings.Join([]string{c.ECRID, c.Amount.String(), c.STAN,
			map[bool]string{true: "ok", false: "ko"}[c.Approved], map[bool]string{true: "reversal", false: "payment"}[c.Reversed]}, " "))
	}
	want := []string{"00000001 6,50 € 000001 ok payment", "00000002 1,01 € 000002 ko payment",
		"00000002 12,00 € 000003 ok payment", "00000001 12,00 € 000004 ok reversal"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("charges\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The day closure resets the terminal's total, not the money it took.
	if sim.ChargedTotal() != 650 || sim.Total() != 0 {
		t.Fatalf("charged %s, total %s", sim.ChargedTotal(), sim.Total())
	}
}

func TestRefuseTotalsAnswersTotalsAndCloseWithResult01(t *testing.T) {
	sim, addr := start(t, Config{Scenario: RefuseTotals})
	term := till(t, addr, "00000001")
	ctx := context.Background()
	if r, err := term.Pay(ctx, 650, "a", pos.PayOptions{}); err != nil || r.Outcome != pos.Approved {
		t.Fatalf("pay: %+v %v", r, err)
	}
	if tot, err := term.Totals(ctx); err != nil || tot.ResultCode != "01" {
		t.Fatalf("totals: %+v %v", tot, err)
	}
	if cl, err := term.CloseSession(ctx); err != nil || cl.OK || cl.ResultCode != "01" || cl.Description == "" {
		t.Fatalf("close: %+v %v", cl, err)
	}
	if sim.Total() != 650 {
		t.Fatalf("a refused closure reset the total to %s", sim.Total())
	}
}
