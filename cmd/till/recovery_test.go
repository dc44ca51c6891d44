package main

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal/rtsim"
	"till/money"
	"till/pos/ecrsim"
	"till/storage"
)

// TestDesktopStartRecoversWhatAKilledSaleLeft is the SIGKILL matrix through the desktop start
// path: a real `till sale` process is killed at each step of a Coverflex sale, then the desktop
// till is started on the same database (under Xvfb) and, before anyone touches it, its start-up
// recovery settles what it can on evidence: a charged voucher found approved, a request that
// never left cancelled, a receipt that may exist marked uncertain for a person, nothing
// charged or printed again.
func TestDesktopStartRecoversWhatAKilledSaleLeft(t *testing.T) {
	display := startXvfb(t)
	bin := buildTill(t)
	steps := []struct {
		step      string
		attempt   []checkout.AttemptState // acceptable states once the desktop has recovered
		uncertain bool
		state     string
	}{
		{"attempt-created", []checkout.AttemptState{checkout.AttemptCancelled}, false, "pending"},
		// The request never left: "not processed" needs the terminal's own timeout to pass.
		{"attempt-sent", []checkout.AttemptState{checkout.AttemptUnknown, checkout.AttemptDeclined}, false, "pending"},
		{"request-left", []checkout.AttemptState{checkout.AttemptApproved}, false, "pending"},
		{"approved", []checkout.AttemptState{checkout.AttemptApproved}, false, "pending"},
		{"before-print", []checkout.AttemptState{checkout.AttemptApproved}, true, "pending"},
		{"printed", []checkout.AttemptState{checkout.AttemptApproved}, true, "pending"},
		{"documented", []checkout.AttemptState{checkout.AttemptDocumented}, false, "documented"},
	}
	for _, tt := range steps {
		t.Run(tt.step, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "till.db")
			sim, err := ecrsim.New(ecrsim.Config{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sim.Close() })
			addr, err := sim.ListenTCP("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			printer, _ := rtsim.New(rtsim.Config{})
			srv := httptest.NewServer(printer)
			t.Cleanup(func() { printer.Close(); srv.Close() })
			config := filepath.Join(dir, "config.json")
			os.WriteFile(config, []byte(strings.Replace(recoveryConfig, "LINK", "tcp://"+addr.String(), 1)), 0o600)

			sale := exec.Command(bin, "sale", "--db", db, "--config", config, "--printer", srv.URL, "--printer-timeout", "1s",
				"--line", "Menu pranzo;1;12,00;2", "--pay", "coverflex")
			sale.Env = append(os.Environ(), "TILL_CRASH_AT="+tt.step)
			if out, err := sale.CombinedOutput(); err == nil || !strings.Contains(err.Error(), "killed") {
				t.Fatalf("till sale not killed at %s: %v\n%s", tt.step, err, out)
			}
			charged, printed := sim.Payments(), len(printer.Journal())

			till := startTillWith(t, bin, display, "-db", db, "-printer", srv.URL)
			var a checkout.Attempt
			var s storage.StoredSale
			deadline := time.Now().Add(60 * time.Second)
			for {
				a, s = recovered(t, db)
				if accepted(a.State, tt.attempt) && s.PrintUncertain == tt.uncertain && s.State == tt.state {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after the desktop start: attempt %s, sale %s uncertain %v", a.State, s.State, s.PrintUncertain)
				}
				select {
				case err := <-till.exited:
					t.Fatalf("the till exited: %v", err)
				case <-time.After(100 * time.Millisecond):
				}
			}
			if sim.Payments() != charged || len(printer.Journal()) != printed || sim.ChargedTotal() != approvedOf(a) {
				t.Fatalf("the desktop start charged or printed: payments %d → %d, receipts %d → %d, attempt %+v",
					charged, sim.Payments(), printed, len(printer.Journal()), a)
			}
		})
	}
}

const recoveryConfig = `{"format": 1, "version": 7,
 "account": {"id": "acc-1", "name": "Bar Centrale S.r.l.", "coverflex_enabled": true},
 "sales_point": {"id": "sp-1", "name": "Milano Centro", "coverflex_visible": true, "coverflex_merchant_id": "CFX0001234"},
 "till": {"id": "till-1", "name": "Cassa 1"}, "tills": [{"id": "till-1", "name": "Cassa 1"}],
 "payment_devices": [{"id": "dev-1", "name": "POS banco", "model": "Ingenico_EMW", "terminal_id": "12345678", "link": "LINK",
   "enabled_tills": ["till-1"], "profile": {"ack_timeout": "300ms", "result_timeout": "1500ms", "connect_timeout": "1s"}}]}`

// recovered reads the Coverflex attempt and its sale as the desktop till has left them so far.
func recovered(t *testing.T, path string) (checkout.Attempt, storage.StoredSale) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id string
	if err := db.SQL().QueryRowContext(ctx, `SELECT id FROM payments WHERE method = 'coverflex'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	a, err := db.Attempt(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.Sale(ctx, a.SaleID)
	if err != nil {
		t.Fatal(err)
	}
	return a, s
}

func accepted(s checkout.AttemptState, ok []checkout.AttemptState) bool {
	for _, o := range ok {
		if s == o {
			return true
		}
	}
	return false
}

// approvedOf is what the till holds as taken for the attempt.
func approvedOf(a checkout.Attempt) money.Cents {
	if a.State == checkout.AttemptApproved || a.State == checkout.AttemptDocumented {
		return a.Authorized
	}
	return 0
}
