package boot

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"till/app/config"
	"till/pos/ecrsim"
)

// DemoAccountID marks the configuration demo mode writes; demo mode replaces only that one,
// never a configuration imported from a file or received from the back office.
const DemoAccountID = "acc-demo"

// StartDemoTerminals runs two simulated Ingenico terminals on loopback (with a realistic delay
// between their progress messages) and, unless a real configuration is cached, caches a demo
// configuration with Coverflex enabled on both for this till (and on this till only, so a lost
// answer can be settled with the terminal's last result), so the cashier is asked which
// terminal to use. stop ends the simulators.
func (t *Till) StartDemoTerminals(ctx context.Context, delay time.Duration) (stop func(), err error) {
	cached, err := t.Config(ctx)
	if err != nil {
		return nil, err
	}
	if cached != nil && cached.Account.ID != DemoAccountID {
		return func() {}, nil
	}
	var sims []*ecrsim.Sim
	stop = func() {
		for _, s := range sims {
			s.Close()
		}
	}
	doc := &config.Document{
		Format: config.Format, Version: 1,
		Account:    config.Account{ID: DemoAccountID, Name: "Bar Demo S.r.l.", CoverflexEnabled: true},
		SalesPoint: config.SalesPoint{ID: "sp-demo", Name: "Demo", CoverflexVisible: true, CoverflexMerchantID: "CFX0001234"},
		Till:       config.Till{ID: "till-1", Name: "Cassa 1"},
		Tills:      []config.Till{{ID: "till-1", Name: "Cassa 1"}, {ID: "till-2", Name: "Cassa 2"}},
	}
	for i, dev := range []struct{ id, name, model, tid string }{
		{"dev-banco", "POS banco", config.ModelEMW, "12345678"},
		{"dev-sala", "POS sala", config.ModelEMWIT, "87654321"},
	} {
		// A real terminal keeps its STAN counter across the till's restarts: the simulated one
		// goes on from the last STAN this till saw, so it does not look like a counter reset.
		var stan int
		if b, ok, err := t.DB.TerminalBaseline(ctx, dev.tid); err == nil && ok {
			stan, _ = strconv.Atoi(b.STAN)
		}
		sim, err := ecrsim.New(ecrsim.Config{TerminalID: dev.tid, ProgressDelay: delay, STANStart: stan})
		if err != nil {
			stop()
			return nil, err
		}
		sims = append(sims, sim)
		addr, err := sim.ListenTCP("127.0.0.1:0")
		if err != nil {
			stop()
			return nil, fmt.Errorf("demo terminal %d: %w", i+1, err)
		}
		doc.PaymentDevices = append(doc.PaymentDevices, config.Device{ID: dev.id, Name: dev.name, Model: dev.model,
			TerminalID: dev.tid, Link: "tcp://" + addr.String(), EnabledTills: []string{"till-1"}})
	}
	if cached != nil {
		doc.Version = cached.Version + 1
	}
	if err := t.DB.SaveConfig(ctx, doc, config.SourceFile); err != nil {
		stop()
		return nil, err
	}
	return stop, nil
}
