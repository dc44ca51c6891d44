package epson

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"till/fiscal"
	"till/fiscal/rtsim"
)

func returnsWorld(t *testing.T, cfg rtsim.Config) (*Driver, *rtsim.Server) {
	t.Helper()
	sim, err := rtsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	d, err := New(Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return d, sim
}

func TestSerialIsReadOnlyUnderTheAssumption(t *testing.T) {
	for _, tc := range []struct {
		assume bool
		want   string
	}{{false, ""}, {true, "99MEY000042"}} {
		d, _ := returnsWorld(t, rtsim.Config{Serial: "99MEY000042", AssumeStatusSerial: tc.assume})
		got, err := d.Serial(context.Background())
		if err != nil || got != tc.want {
			t.Errorf("assume %v: serial %q, %v; want %q", tc.assume, got, err, tc.want)
		}
	}
}

func TestCanReturnAnswersLikeTheDocumentWould(t *testing.T) {
	ctx := context.Background()
	d, _ := returnsWorld(t, rtsim.Config{Serial: "99MEY000042", AssumeStatusSerial: true})
	cash := fiscal.Receipt{Lines: []fiscal.Line{{Description: "PANE", QtyMilli: 1000, UnitPrice: 300, Department: 1, VATRate: 2200},
		{Description: "LATTE", QtyMilli: 1000, UnitPrice: 200, Department: 1, VATRate: 2200}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: 500}}}
	ref, err := d.PrintReceipt(ctx, cash)
	if err != nil || ref.PrinterSerial != "99MEY000042" {
		t.Fatalf("receipt %+v, %v", ref, err)
	}
	missing := ref
	missing.Number = 99
	other := ref
	other.PrinterSerial = "99MEY999999"
	status := func(err error) int {
		var fe *fiscal.Error
		if errors.As(err, &fe) && errors.Is(err, fiscal.ErrRefused) {
			return fe.Status
		}
		if err != nil {
			return -1
		}
		return 0
	}
	steps := []struct {
		name   string
		act    func() error
		status int
	}{
		{"refund asked", func() error { return d.CanReturn(ctx, false, ref) }, 0},
		{"void asked", func() error { return d.CanReturn(ctx, true, ref) }, 0},
		{"missing document", func() error { return d.CanReturn(ctx, false, missing) }, 17},
		{"another printer", func() error { return d.CanReturn(ctx, false, other) }, 13},
		{"refund one line", func() error {
			_, err := d.Refund(ctx, ref, cash.Lines[:1], []fiscal.Payment{{Method: fiscal.Cash, Amount: 300}})
			return err
		}, 0},
		{"the rest can still be refunded", func() error { return d.CanReturn(ctx, false, ref) }, 0},
		{"a void after a refund", func() error { return d.CanReturn(ctx, true, ref) }, 40},
		{"refund over what is left", func() error {
			_, err := d.Refund(ctx, ref, cash.Lines[:1], []fiscal.Payment{{Method: fiscal.Cash, Amount: 300}})
			return err
		}, 40},
		{"refund the rest", func() error {
			_, err := d.Refund(ctx, ref, cash.Lines[1:], []fiscal.Payment{{Method: fiscal.Cash, Amount: 200}})
			return err
		}, 0},
		{"nothing left", func() error { return d.CanReturn(ctx, false, ref) }, 40},
	}
	for _, s := range steps {
		if got := status(s.act()); got != s.status {
			t.Errorf("%s: status %d, want %d", s.name, got, s.status)
		}
	}
}
