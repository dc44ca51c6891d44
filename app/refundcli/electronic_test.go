package refundcli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"till/app/salecli"
	"till/pos/ecrsim"
)

const terminalConfig = `{"format": 1, "version": 7,
 "account": {"id": "acc-1", "name": "Bar Centrale S.r.l.", "coverflex_enabled": true},
 "sales_point": {"id": "sp-1", "name": "Milano Centro", "coverflex_visible": true, "coverflex_merchant_id": "CFX0001234"},
 "till": {"id": "till-1", "name": "Cassa"},
 "tills": [{"id": "till-1", "name": "Cassa 1"}],
 "payment_devices": [
  {"id": "dev-1", "name": "POS banco", "model": "Ingenico_EMW", "terminal_id": "12345678", "link": "LINK",
   "enabled_tills": ["till-1"], "profile": {"ack_timeout": "300ms", "result_timeout": "1500ms", "connect_timeout": "1s"}}]}`

// withTerminal adds a terminal simulator and a configuration that enables it on this till.
func (w *world) withTerminal() (*ecrsim.Sim, string) {
	w.t.Helper()
	sim, err := ecrsim.New(ecrsim.Config{TerminalID: "12345678"})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { sim.Close() })
	addr, err := sim.ListenTCP("127.0.0.1:0")
	if err != nil {
		w.t.Fatal(err)
	}
	path := filepath.Join(filepath.Dir(w.db), "config.json")
	if err := os.WriteFile(path, []byte(strings.Replace(terminalConfig, "LINK", "tcp://"+addr.String(), 1)), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return sim, path
}

// saleBy sells one line paid by pay ("coverflex", "card", "cash") and returns the receipt's number.
func (w *world) saleBy(config, pay, line string) string {
	w.t.Helper()
	var out, errb bytes.Buffer
	args := []string{"--db", w.db, "--printer", w.url, "--config", config, "--pay", pay, "--line", line, "--json"}
	if code := salecli.Run(args, &out, &errb); code != 0 {
		w.t.Fatalf("sale: exit %d: %s %s", code, out.String(), errb.String())
	}
	j := w.sim.Journal()
	return j[len(j)-1].ID
}

// TestCoverflexRefundReversedOnlyWhenLast: a refund of the terminal's last payment is reversed
// on it (STAN checked); once another payment followed, the manager is told what to do instead
// and the terminal is not asked to reverse anything.
func TestCoverflexRefundReversedOnlyWhenLast(t *testing.T) {
	w := newWorld(t, true)
	pos, config := w.withTerminal()

	first := w.saleBy(config, "coverflex", "MENU;1;8,00;2")
	second := w.saleBy(config, "coverflex", "MENU;1;9,00;2")
	if pos.Payments() != 2 {
		t.Fatalf("terminal took %d payments", pos.Payments())
	}

	o := w.run("refund", first)
	if o.code != 0 || len(o.res.Money) != 1 {
		t.Fatalf("refund of the earlier payment: exit %d: %s", o.code, o.out)
	}
	m := o.res.Money[0]
	if m.Method != "coverflex" || m.State != "manual" || !strings.Contains(m.Todo, "storno manuale sul POS") || pos.Reversals() != 0 {
		t.Errorf("not the last payment: money %+v, %d reversals", m, pos.Reversals())
	}

	o = w.run("refund", second)
	if o.code != 0 || len(o.res.Money) != 1 {
		t.Fatalf("refund of the last payment: exit %d: %s", o.code, o.out)
	}
	if m := o.res.Money[0]; m.Method != "coverflex" || m.State != "done" || m.ReversalSTAN == "" || pos.Reversals() != 1 {
		t.Errorf("last payment: money %+v, %d reversals", m, pos.Reversals())
	}
	if got := w.returns(); len(got) != 2 || got[1].Payments[0].Type != 3 {
		t.Errorf("printer has %+v", got)
	}
}
