package ecr17_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"till/money"
	"till/pos"
	"till/pos/ecr17"
	"till/pos/ecrsim"
)

// Short timeouts keep the whole suite fast; the simulator answers in microseconds.
var testProfile = pos.Profile{Model: "test", LRCMode: pos.LRCSTXETX, ConnectTimeout: time.Second,
	AckTimeout: 200 * time.Millisecond, ResultTimeout: time.Second, Retransmits: 3}

// transport starts a simulator and returns the link string the driver should use.
type transport struct {
	name  string
	start func(t *testing.T, sim *ecrsim.Sim) string
}

var transports = []transport{
	{"tcp", func(t *testing.T, sim *ecrsim.Sim) string {
		addr, err := sim.ListenTCP("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return "tcp://" + addr.String()
	}},
	{"serial-pty", func(t *testing.T, sim *ecrsim.Sim) string {
		path, err := sim.ListenPTY()
		if err != nil {
			t.Skipf("no pty on this machine: %v", err)
		}
		return "serial://" + path + "?baud=115200"
	}},
}

func newSim(t *testing.T, cfg ecrsim.Config) *ecrsim.Sim {
	t.Helper()
	if cfg.AckTimeout == 0 {
		cfg.AckTimeout = 300 * time.Millisecond
	}
	if cfg.ResultDelay == 0 {
		cfg.ResultDelay = 1500 * time.Millisecond
	}
	sim, err := ecrsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

func newTerminal(t *testing.T, link, tid string, p pos.Profile) *ecr17.Terminal {
	t.Helper()
	term, err := ecr17.New(context.Background(), ecr17.Config{Link: link, TerminalID: tid, ECRID: "00000001", Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return term
}

// payScenarios run over every transport. Amounts 1,01–1,07 pick the simulator's scenario.
var payScenarios = []struct {
	name string
	run  func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim)
}{
	{"TestPayApprovedReturnsCardDetailsAndProgress", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		var events []string
		r, err := term.Pay(context.Background(), 650, "a1", pos.PayOptions{Progress: func(e pos.Event) { events = append(events, e.Text) }})
		if err != nil || r.Outcome != pos.Approved {
			t.Fatalf("pay: %+v %v", r, err)
		}
		if r.Requested != 650 || r.Authorized != 650 || r.MaskedPAN != "411111******1111" || r.EntryMode != "CLI" ||
			r.STAN != "000001" || r.OperationNumber != "000001" || r.AuthCode != "A00001" || r.TerminalID != "12345678" ||
			r.CardType != "2" || r.AcquirerID != "00000000003" || r.HostTime.IsZero() || len(r.HostDateTime) != 7 {
			t.Errorf("result %+v", r)
		}
		if strings.Join(events, "|") != "INSERIRE CARTA|ATTENDERE PREGO|AUTORIZZAZIONE..." {
			t.Errorf("progress %q", events)
		}
		if sim.Payments() != 1 || sim.Total() != 650 {
			t.Errorf("simulator saw %d payments, total %s", sim.Payments(), sim.Total())
		}
	}},
	{"TestPayDeclinedCarriesTerminalText", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		r, err := term.Pay(context.Background(), 101, "a1", pos.PayOptions{})
		if err != nil || r.Outcome != pos.Declined || r.Text != "FONDI INSUFFICIENTI" || r.Authorized != 0 || !errors.Is(r.Err(), pos.ErrDeclined) {
			t.Fatalf("pay: %+v %v", r, err)
		}
		if sim.Total() != 0 {
			t.Errorf("total %s after a decline", sim.Total())
		}
	}},
	{"TestPayWithoutAckIsUnknownAndNeverResent", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		start := time.Now()
		r, err := term.Pay(context.Background(), 102, "a1", pos.PayOptions{})
		if !errors.Is(err, pos.ErrOutcomeUnknown) || r.Outcome != pos.Unknown || r.Requested != 102 {
			t.Fatalf("pay: %+v %v", r, err)
		}
		if el := time.Since(start); el < testProfile.ResultTimeout {
			t.Errorf("gave up after %s, before the result timeout", el)
		}
		if sim.Requests() != 1 || sim.Payments() != 0 {
			t.Errorf("simulator saw %d requests, %d payments; want 1 and 0", sim.Requests(), sim.Payments())
		}
	}},
	{"TestPayNAKedIsRetransmittedAndApproved", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		r, err := term.Pay(context.Background(), 103, "a1", pos.PayOptions{})
		if err != nil || r.Outcome != pos.Approved {
			t.Fatalf("pay: %+v %v", r, err)
		}
		if sim.Requests() != 2 || sim.Payments() != 1 {
			t.Errorf("simulator saw %d requests, %d payments; want 2 and 1", sim.Requests(), sim.Payments())
		}
	}},
	{"TestPayResultWithBadLRCIsNAKedAndRepeated", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		r, err := term.Pay(context.Background(), 104, "a1", pos.PayOptions{})
		if err != nil || r.Outcome != pos.Approved || r.STAN != "000001" || sim.Payments() != 1 {
			t.Fatalf("pay: %+v %v (payments %d)", r, err, sim.Payments())
		}
	}},
	{"TestPayDroppedAfterAckResolvesWithLastResult", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		r, err := term.Pay(context.Background(), 105, "a1", pos.PayOptions{})
		if !errors.Is(err, pos.ErrOutcomeUnknown) || r.Outcome != pos.Unknown {
			t.Fatalf("pay: %+v %v", r, err)
		}
		last, err := term.LastResult(context.Background())
		if err != nil || last.Outcome != pos.Approved || last.STAN != "000001" || last.MaskedPAN != "411111******1111" {
			t.Fatalf("last result: %+v %v", last, err)
		}
		again, err := term.LastResult(context.Background())
		if err != nil || !bytes.Equal(again.Raw, last.Raw) {
			t.Errorf("G is not byte for byte stable: %q vs %q (%v)", again.Raw, last.Raw, err)
		}
		// A payment is never sent twice: one P reached the simulator in all.
		if sim.Payments() != 1 || sim.Total() != 105 {
			t.Errorf("simulator saw %d payments, total %s; want 1 and 1,05", sim.Payments(), sim.Total())
		}
	}},
	{"TestPayResultBeforeAckIsAccepted", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		r, err := term.Pay(context.Background(), 106, "a1", pos.PayOptions{})
		if err != nil || r.Outcome != pos.Approved || sim.Payments() != 1 {
			t.Fatalf("pay: %+v %v", r, err)
		}
	}},
	{"TestPaySlowerThanResultTimeoutIsUnknownThenResolved", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		r, err := term.Pay(context.Background(), 107, "a1", pos.PayOptions{})
		if !errors.Is(err, pos.ErrOutcomeUnknown) || r.Outcome != pos.Unknown {
			t.Fatalf("pay: %+v %v", r, err)
		}
		last, err := term.LastResult(context.Background())
		if err != nil || last.Outcome != pos.Approved || last.STAN != "000001" || sim.Payments() != 1 {
			t.Fatalf("last result: %+v %v (payments %d)", last, err, sim.Payments())
		}
	}},
	{"TestStatusNotOperativeAndPaymentDeclined", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		sim.SetScenario(ecrsim.NotOperative)
		st, err := term.Status(context.Background())
		if err != nil || st.Code != 3 || st.Operative || st.Release != "ECRSIM 1.0" || st.Time.IsZero() {
			t.Fatalf("status: %+v %v", st, err)
		}
		r, err := term.Pay(context.Background(), 650, "a1", pos.PayOptions{})
		if err != nil || r.Outcome != pos.Declined || r.Text == "" {
			t.Fatalf("pay: %+v %v", r, err)
		}
	}},
	{"TestReverseOnlyLastPaymentWithMatchingSTAN", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		ctx := context.Background()
		if r, err := term.Pay(ctx, 650, "a1", pos.PayOptions{}); err != nil || r.STAN != "000001" {
			t.Fatalf("pay: %+v %v", r, err)
		}
		if r, err := term.Reverse(ctx, "999999"); err != nil || r.Outcome != pos.Declined {
			t.Fatalf("reverse with a wrong STAN: %+v %v", r, err)
		}
		r, err := term.Reverse(ctx, "000001")
		if err != nil || r.Outcome != pos.Approved || r.AuthCode != "000000" || sim.Total() != 0 {
			t.Fatalf("reverse: %+v %v total %s", r, err, sim.Total())
		}
		if r, err := term.Reverse(ctx, ""); err != nil || r.Outcome != pos.Declined {
			t.Fatalf("second reverse: %+v %v", r, err)
		}
	}},
	{"TestTotalsFollowPaymentsAndCloseResetsThem", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		ctx := context.Background()
		for _, a := range []money.Cents{650, 1250} {
			if r, err := term.Pay(ctx, a, "a", pos.PayOptions{}); err != nil || r.Outcome != pos.Approved {
				t.Fatalf("pay %s: %+v %v", a, r, err)
			}
		}
		tot, err := term.Totals(ctx)
		if err != nil || tot.Terminal != 1900 || tot.ResultCode != "00" {
			t.Fatalf("totals: %+v %v", tot, err)
		}
		cl, err := term.CloseSession(ctx)
		if err != nil || !cl.OK || cl.Terminal != 1900 || cl.Host != 1900 {
			t.Fatalf("close: %+v %v", cl, err)
		}
		if tot, err := term.Totals(ctx); err != nil || tot.Terminal != 0 {
			t.Fatalf("totals after close: %+v %v", tot, err)
		}
	}},
	{"TestStatusWithoutAckIsRetransmittedThenNotDelivered", func(t *testing.T, term *ecr17.Terminal, sim *ecrsim.Sim) {
		sim.SetScenario(ecrsim.NoACK)
		_, err := term.Status(context.Background())
		if !errors.Is(err, pos.ErrNotDelivered) || sim.Requests() != 4 {
			t.Fatalf("status: %v after %d requests, want ErrNotDelivered after 4", err, sim.Requests())
		}
	}},
}

func TestScenariosOverEveryTransport(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			for _, sc := range payScenarios {
				t.Run(sc.name, func(t *testing.T) {
					sim := newSim(t, ecrsim.Config{TerminalID: "12345678"})
					link := tr.start(t, sim)
					sc.run(t, newTerminal(t, link, "12345678", testProfile), sim)
				})
			}
		})
	}
}
