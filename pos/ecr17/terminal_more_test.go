package ecr17_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"till/pos"
	"till/pos/ecr17"
	"till/pos/ecrsim"
)

func tcpSim(t *testing.T, cfg ecrsim.Config) (*ecrsim.Sim, string) {
	t.Helper()
	sim := newSim(t, cfg)
	return sim, transports[0].start(t, sim)
}

func TestWrongTerminalIDIsNAKedAndNotDelivered(t *testing.T) {
	sim, link := tcpSim(t, ecrsim.Config{TerminalID: "12345678"})
	term := newTerminal(t, link, "87654321", testProfile)
	r, err := term.Pay(context.Background(), 650, "a1", pos.PayOptions{})
	if !errors.Is(err, pos.ErrNotDelivered) || errors.Is(err, pos.ErrOutcomeUnknown) || r.Outcome != pos.Unknown {
		t.Fatalf("pay: %+v %v", r, err)
	}
	if sim.Requests() != 0 || sim.Payments() != 0 {
		t.Errorf("simulator accepted %d requests", sim.Requests())
	}
}

func TestWildcardTerminalIDIsAccepted(t *testing.T) {
	_, link := tcpSim(t, ecrsim.Config{TerminalID: "12345678"})
	st, err := newTerminal(t, link, "00000000", testProfile).Status(context.Background())
	if err != nil || st.TerminalID != "12345678" || !st.Operative {
		t.Fatalf("status: %+v %v", st, err)
	}
}

func TestConnectRefusedIsNotDelivered(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody listens there now
	term := newTerminal(t, "tcp://"+addr, "12345678", testProfile)
	_, err = term.Pay(context.Background(), 650, "a1", pos.PayOptions{})
	if !errors.Is(err, pos.ErrNotDelivered) || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("pay: %v", err)
	}
}

func TestPersistentConnectionServesManyExchanges(t *testing.T) {
	sim, link := tcpSim(t, ecrsim.Config{KeepOpen: true})
	term := newTerminal(t, link, "12345678", testProfile)
	for i := range 3 {
		if r, err := term.Pay(context.Background(), 200, "a", pos.PayOptions{}); err != nil || r.Outcome != pos.Approved {
			t.Fatalf("pay %d: %+v %v", i, r, err)
		}
	}
	if sim.Payments() != 3 || sim.Total() != 600 {
		t.Fatalf("payments %d total %s", sim.Payments(), sim.Total())
	}
}

func TestReceiptsOnTillArriveAsLines(t *testing.T) {
	_, link := tcpSim(t, ecrsim.Config{})
	p := testProfile
	p.ReceiptsOnTill = true
	term := newTerminal(t, link, "12345678", p)
	var lines []string
	ends := 0
	opts := pos.PayOptions{Progress: func(e pos.Event) {
		switch e.Kind {
		case pos.EventReceiptLine:
			lines = append(lines, e.Text)
		case pos.EventReceiptEnd:
			ends++
		}
	}}
	r, err := term.Pay(context.Background(), 650, "a1", opts)
	if err != nil || r.Outcome != pos.Approved {
		t.Fatalf("pay: %+v %v", r, err)
	}
	want := "SIMULATORE ECR17|TERMINALE 12345678|ESITO 00|"
	if strings.Join(lines, "|") != want || ends != 1 {
		t.Fatalf("receipt lines %q (ends %d), want %q", lines, ends, want)
	}
}

func TestCancelledPayIsUnknown(t *testing.T) {
	sim, link := tcpSim(t, ecrsim.Config{Scenario: ecrsim.Slow})
	term := newTerminal(t, link, "12345678", testProfile)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := term.Pay(ctx, 650, "a1", pos.PayOptions{})
	if !errors.Is(err, pos.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("pay: %v", err)
	}
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Errorf("cancellation took %s", el)
	}
	if sim.Payments() != 1 {
		t.Errorf("payments %d", sim.Payments())
	}
}

func TestLRCModeMustMatchTheTerminal(t *testing.T) {
	for _, tc := range []struct {
		sim     ecr17.LRCMode
		driver  string
		wantErr error
	}{
		{ecr17.LRCETX, pos.LRCETX, nil},
		{ecr17.LRCPayload, pos.LRCPayload, nil},
		{ecr17.LRCETX, pos.LRCSTXETX, pos.ErrNotDelivered},
	} {
		_, link := tcpSim(t, ecrsim.Config{LRCMode: tc.sim})
		p := testProfile
		p.LRCMode = tc.driver
		st, err := newTerminal(t, link, "12345678", p).Status(context.Background())
		if !errors.Is(err, tc.wantErr) || (err == nil && st.Code != 2) {
			t.Errorf("sim %s driver %s: %+v %v", tc.sim, tc.driver, st, err)
		}
	}
}

func TestOpenBuildsFromModelAndOverrides(t *testing.T) {
	_, link := tcpSim(t, ecrsim.Config{})
	for _, tc := range []struct {
		model, tid string
		over       map[string]string
		errHas     string
	}{
		{"Ingenico EMW_IT", "12345678", map[string]string{"ack_timeout": "200ms"}, ""},
		{"Ingenico_EMW", "12345678", nil, ""},
		{"Verifone", "12345678", nil, "unknown terminal model"},
		{"Ingenico_EMW", "1234", nil, "8 digits"},
		{"Ingenico_EMW", "12345678", map[string]string{"lrc": "crc"}, "lrc"},
	} {
		term, err := ecr17.Open(context.Background(), tc.model, link, tc.tid, "00000001", tc.over)
		if tc.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Errorf("%s: err %v, want %q", tc.model, err, tc.errHas)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.model, err)
		}
		st, err := term.Status(context.Background())
		term.Close()
		if err != nil || !st.Operative {
			t.Errorf("%s: status %+v %v", tc.model, st, err)
		}
	}
}

func TestStatusIsRetriedWhenTheLinkDrops(t *testing.T) {
	sim, link := tcpSim(t, ecrsim.Config{Scenario: ecrsim.DropAfterACK})
	_, err := newTerminal(t, link, "12345678", testProfile).Status(context.Background())
	if err == nil || errors.Is(err, pos.ErrOutcomeUnknown) || sim.Requests() != 3 {
		t.Fatalf("status: %v after %d requests, want a link error after 3", err, sim.Requests())
	}
}

func TestReversalDroppedAfterAckIsUnknownAndNotResent(t *testing.T) {
	sim, link := tcpSim(t, ecrsim.Config{})
	term := newTerminal(t, link, "12345678", testProfile)
	ctx := context.Background()
	if r, err := term.Pay(ctx, 650, "a1", pos.PayOptions{}); err != nil || r.Outcome != pos.Approved {
		t.Fatalf("pay: %+v %v", r, err)
	}
	sim.SetScenario(ecrsim.DropAfterACK)
	if r, err := term.Reverse(ctx, "000001"); !errors.Is(err, pos.ErrOutcomeUnknown) || r.Outcome != pos.Unknown {
		t.Fatalf("reverse: %+v %v", r, err)
	}
	sim.SetScenario(ecrsim.Approve)
	last, err := term.LastResult(ctx)
	if err != nil || last.Outcome != pos.Approved || last.AuthCode != "000000" || last.STAN != "000002" {
		t.Fatalf("last: %+v %v", last, err)
	}
	if sim.Reversals() != 1 || sim.Total() != 0 {
		t.Fatalf("reversals %d total %s", sim.Reversals(), sim.Total())
	}
}

// The bug report's cases, end to end: the terminal charged the card, but the result the
// till received does not prove it, so the driver reports an unknown outcome.
func TestUntrustworthyResultsAreUnknown(t *testing.T) {
	for _, tc := range []struct {
		sc       ecrsim.Scenario
		wantErr  error
		check    func(r pos.Result) bool
		lastOK   bool // the last result (G) is well-formed and approves
		lastErr  error
		lastSTAN string
	}{
		{ecrsim.ForeignTID, pos.ErrForeignTerminal, func(r pos.Result) bool {
			return r.TerminalID == "87654321" && r.STAN == "000001" && len(r.Raw) == 71
		}, false, pos.ErrForeignTerminal, "000001"},
		{ecrsim.ShortResult, pos.ErrMalformedResult, func(r pos.Result) bool {
			return r.TerminalID == "12345678" && len(r.Raw) == 20
		}, true, nil, "000001"},
		{ecrsim.BadSTAN, pos.ErrMalformedResult, func(r pos.Result) bool {
			return r.STAN == ecrsim.BadSTANValue
		}, false, pos.ErrMalformedResult, ecrsim.BadSTANValue},
	} {
		t.Run(string(tc.sc), func(t *testing.T) {
			sim, link := tcpSim(t, ecrsim.Config{TerminalID: "12345678", Scenario: tc.sc})
			term := newTerminal(t, link, "12345678", testProfile)
			r, err := term.Pay(context.Background(), 650, "a1", pos.PayOptions{})
			if r.Outcome != pos.Unknown || !errors.Is(err, pos.ErrOutcomeUnknown) || !errors.Is(err, tc.wantErr) ||
				r.Authorized != 0 || r.Requested != 650 || !tc.check(r) {
				t.Fatalf("pay: %+v %v", r, err)
			}
			if sim.Payments() != 1 || sim.ChargedTotal() != 650 {
				t.Fatalf("terminal payments %d, charged %s", sim.Payments(), sim.ChargedTotal())
			}
			last, err := term.LastResult(context.Background())
			if tc.lastOK != (last.Outcome == pos.Approved) || !errors.Is(err, tc.lastErr) || (tc.lastErr == nil && err != nil) ||
				last.STAN != tc.lastSTAN {
				t.Fatalf("last result: %+v %v", last, err)
			}
		})
	}
}

func TestCloseSessionWithoutItsAnswerIsUnknownAndNotResent(t *testing.T) {
	for _, sc := range []ecrsim.Scenario{ecrsim.DropAfterACK, ecrsim.NoACK} {
		t.Run(string(sc), func(t *testing.T) {
			sim, link := tcpSim(t, ecrsim.Config{TerminalID: "12345678", Scenario: sc})
			_, err := newTerminal(t, link, "12345678", testProfile).CloseSession(context.Background())
			if !errors.Is(err, pos.ErrOutcomeUnknown) || sim.Requests() != 1 {
				t.Fatalf("close: %v after %d requests, want an unknown outcome after 1", err, sim.Requests())
			}
		})
	}
}

func TestBusyTerminalDeclinesAnotherTillsPayment(t *testing.T) {
	sim, link := tcpSim(t, ecrsim.Config{TerminalID: "12345678", WorkDelay: time.Hour})
	a := newTerminal(t, link, "12345678", testProfile)
	if _, err := a.Pay(context.Background(), 108, "a1", pos.PayOptions{}); !errors.Is(err, pos.ErrOutcomeUnknown) {
		t.Fatalf("keep-working pay: %v", err)
	}
	b, err := ecr17.New(context.Background(), ecr17.Config{Link: link, TerminalID: "12345678", ECRID: "00000002", Profile: testProfile})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	r, err := b.Pay(context.Background(), 650, "b1", pos.PayOptions{})
	if err != nil || r.Outcome != pos.Declined || r.Text != ecrsim.BusyText {
		t.Fatalf("pay while busy: %+v %v", r, err)
	}
	if !sim.FinishWork() || sim.ChargedTotal() != 108 {
		t.Fatalf("charged %s", sim.ChargedTotal())
	}
}
