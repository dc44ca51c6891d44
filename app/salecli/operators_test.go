package salecli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"till/app/checkout"
	"till/pos/ecrsim"
)

// fpmateLog keeps the request bodies the till sends the printer: the RT simulator does not
// keep the operator, the request carries it.
type fpmateLog struct {
	mu     sync.Mutex
	bodies []string
}

func (l *fpmateLog) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.bodies, "\n")
}

// withStaff gives the world's till Anna (manager, PIN 1111, operator 1) and Bruno (cashier,
// PIN 2222, operator 2), and puts a recorder of the printer's requests in front of the printer.
func (w *world) withStaff() *fpmateLog {
	w.t.Helper()
	db := w.open()
	defer db.Close()
	ctx := context.Background()
	// Few iterations: the tests check who may do what, not the derivation's cost.
	if _, err := db.SQL().Exec(`UPDATE operator_pins SET iterations = 1000`); err != nil {
		w.t.Fatal(err)
	}
	anna, err := db.AddOperator(ctx, "Anna", "1111", checkout.RoleManager, checkout.ImplicitOperator, time.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := db.AddOperator(ctx, "Bruno", "2222", checkout.RoleCashier, anna, time.Now()); err != nil {
		w.t.Fatal(err)
	}
	log := &fpmateLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		log.mu.Lock()
		log.bodies = append(log.bodies, string(body))
		log.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		w.printer.ServeHTTP(rw, r)
	}))
	w.t.Cleanup(srv.Close)
	w.url = srv.URL
	return log
}

// records counts what a sale leaves in the database: a refused command must leave it as it was.
func (w *world) records() string {
	w.t.Helper()
	db := w.open()
	defer db.Close()
	var sales, payments, documents, outbox int
	err := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM sales), (SELECT count(*) FROM payments),
		(SELECT count(*) FROM documents), (SELECT count(*) FROM outbox)`).Scan(&sales, &payments, &documents, &outbox)
	if err != nil {
		w.t.Fatal(err)
	}
	return fmt.Sprintf("sales %d, payments %d, documents %d, outbox %d", sales, payments, documents, outbox)
}

var operatorAttr = regexp.MustCompile(`<beginFiscalReceipt[^>]*operator="(\d+)"`)

// TestTheCashiersNumberIsOnTheReceiptAndInTheJournal: a sale with Bruno's PIN asks the printer
// for a receipt of operator 2, and the sale and its outbox record say operator 2.
func TestTheCashiersNumberIsOnTheReceiptAndInTheJournal(t *testing.T) {
	w := newWorld(t, "")
	log := w.withStaff()
	code, _, out := w.run("", "--operator", "2222", "--line", "Caffè;1;1,20;1", "--pay", "cash")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	m := operatorAttr.FindStringSubmatch(log.all())
	if m == nil || m[1] != "2" {
		t.Fatalf("printer requests carry operator %v:\n%s", m, log.all())
	}
	got := result(t, out)
	db := w.open()
	defer db.Close()
	var stored int
	var payload string
	if err := db.SQL().QueryRow(`SELECT s.operator_number, o.payload FROM sales s JOIN outbox o ON o.ref_id = s.id WHERE s.id = ?`,
		got.SaleID).Scan(&stored, &payload); err != nil {
		t.Fatal(err)
	}
	if stored != 2 || !strings.Contains(payload, `"operator":2`) {
		t.Fatalf("stored operator %d, outbox %s", stored, payload)
	}
}

// TestOperatorsTheSaleRefusesChangeNothing: with operators, a sale without a PIN or with a
// wrong one, and a cashier's discount over 50 % or settling by hand, exit 2 before anything is
// saved, charged or printed.
func TestOperatorsTheSaleRefusesChangeNothing(t *testing.T) {
	w := newWorld(t, "")
	log := w.withStaff()
	before := w.records()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no PIN", []string{"--line", "Caffè;1;1,20;1", "--pay", "cash"}, "Serve il PIN"},
		{"a wrong PIN", []string{"--operator", "9999", "--line", "Caffè;1;1,20;1", "--pay", "cash"}, "PIN operatore errato"},
		{"a wrong PIN for Coverflex", []string{"--operator", "9999", "--config", w.config, "--line", "Caffè;1;1,20;1", "--pay", "coverflex"},
			"PIN operatore errato"},
		{"a cashier confirms a discount over half", []string{"--operator", "2222", "--line", "Torta;1;20,00;2;60%", "--confirm-discount",
			"--pay", "cash"}, "solo un responsabile"},
		{"a cashier settles by hand", []string{"--operator", "2222", "--resume", "any", "--slip", "declined"}, "solo un responsabile"},
		{"a cashier settles by hand naming a manager", []string{"--operator", "2222", "--resume", "any", "--slip", "declined",
			"--manager", "Anna"}, "solo un responsabile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, out := w.run("", tt.args...)
			if code != 2 || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, want 2 and %q\n%s", code, tt.want, out)
			}
			if after := w.records(); after != before || w.sim.Requests() != 0 || log.all() != "" {
				t.Fatalf("changed: %s → %s, terminal requests %d, printer requests:\n%s", before, after, w.sim.Requests(), log.all())
			}
		})
	}
	code, _, out := w.run("", "--operator", "1111", "--line", "Torta;1;20,00;2;60%", "--confirm-discount", "--pay", "cash")
	if got := result(t, out); code != 0 || got.TotalCents != 800 || w.receipts(800) != 1 {
		t.Fatalf("a manager's discount: exit %d\n%s", code, out)
	}
	if m := operatorAttr.FindStringSubmatch(log.all()); m == nil || m[1] != "1" {
		t.Fatalf("manager's receipt operator %v", m)
	}
}

// TestAManagerSettlesByHandWithHerPIN: the unknown voucher of a till without operators; once
// operators exist, a cashier cannot settle it and a manager can, named in the audit log.
func TestAManagerSettlesByHandWithHerPIN(t *testing.T) {
	w := newWorldWith(t, ecrsim.Config{ResultDelay: 200 * time.Millisecond}, "")
	w.paidOnce()
	id := w.lostAnswer()
	charge := w.sim.Charges()[1]
	slip := "approved:" + charge.STAN + ":12,00"
	if code, _, out := w.run("", "--resume", id, "--slip", slip); code != 2 || !strings.Contains(out, "--manager") {
		t.Fatalf("no operators, no --manager: exit %d\n%s", code, out)
	}
	w.withStaff()
	if code, _, out := w.run("", "--operator", "2222", "--resume", id, "--slip", slip); code != 2 || !strings.Contains(out, "solo un responsabile") {
		t.Fatalf("cashier: exit %d\n%s", code, out)
	}
	if code, _, out := w.run("", "--operator", "1111", "--resume", id, "--slip", slip); code != 0 {
		t.Fatalf("manager: exit %d\n%s", code, out)
	}
	db := w.open()
	defer db.Close()
	var n int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE detail LIKE '%Anna (operatore 1)%'
		OR actor LIKE '%Anna (operatore 1)%'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("the audit log does not name Anna: %d, %v", n, err)
	}
}
