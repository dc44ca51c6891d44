package checkout_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/app/invoicing"
	"till/fiscal"
	"till/fiscal/memprinter"
	"till/money"
	"till/pos"
	"till/pos/ecr17"
	"till/pos/ecrsim"
	"till/storage"
)

// rig is the real checkout on a temp SQLite file, the in-process printer and the ECR17
// simulator on loopback TCP, as device "dev-1" enabled on this till only.
type rig struct {
	co      *checkout.Checkout
	db      *storage.DB
	printer *memprinter.Printer
	sim     *ecrsim.Sim
	addr    string
	term    pos.Terminal
	devices rigDevices
	deps    []checkout.Department
}

// rigDevices is the till's configuration of payment devices in the rig: the real ECR17 driver.
type rigDevices map[string]checkout.Device

func (d rigDevices) Device(_ context.Context, id string) (checkout.Device, error) {
	dev, ok := d[id]
	if !ok {
		return checkout.Device{}, errors.New("no such device")
	}
	return dev, nil
}

// rigProfile are the terminal timeouts of the rig: short, with the terminal's own timeout
// (result_timeout) well above the simulator's working time.
var rigProfile = map[string]string{"ack_timeout": "300ms", "result_timeout": "1s", "connect_timeout": "1s"}

func newRig(t *testing.T) *rig { return newRigWith(t, ecrsim.Config{}) }

func newRigWith(t *testing.T, cfg ecrsim.Config) *rig {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SeedDemo(ctx)
	deps, _ := db.Departments(ctx)
	if cfg.TerminalID == "" {
		cfg.TerminalID = "12345678"
	}
	if cfg.ResultDelay == 0 {
		cfg.ResultDelay = 3 * time.Second
	}
	sim, err := ecrsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	addr, err := sim.ListenTCP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{db: db, sim: sim, addr: addr.String(), deps: deps, devices: rigDevices{}}
	r.term = r.terminal(t, "00000001")
	r.devices["dev-1"] = checkout.Device{ID: "dev-1", Name: "POS banco", TerminalID: "12345678", Exclusive: true,
		WorkTimeout: time.Second, Terminal: r.term}
	r.printer = memprinter.New("RIG0001")
	r.co = &checkout.Checkout{Printer: r.printer, Journal: db, Devices: r.devices, Invoices: invoicing.FatturaPA{}, NewID: storage.NewID, Now: time.Now}
	return r
}

// terminal is the ECR17 driver to the rig's simulator as the till ecrID.
func (r *rig) terminal(t *testing.T, ecrID string) pos.Terminal {
	t.Helper()
	term, err := ecr17.Open(context.Background(), "Ingenico_EMW", "tcp://"+r.addr, "12345678", ecrID, rigProfile)
	if err != nil {
		t.Fatal(err)
	}
	return term
}

func (r *rig) sale(t *testing.T, cents ...money.Cents) *checkout.Sale {
	t.Helper()
	s := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now()}
	for i, c := range cents {
		s.Lines = append(s.Lines, checkout.Line{Description: "riga", QtyMilli: 1000, UnitPrice: c, Department: r.deps[i%len(r.deps)]})
	}
	return s
}

func (r *rig) coverflex(amount money.Cents, progress func(pos.Event)) checkout.ElectronicRequest {
	return checkout.ElectronicRequest{Method: fiscal.Coverflex, Amount: amount, Device: r.devices["dev-1"],
		MerchantID: "CFX0001234", Progress: progress}
}

func TestCoverflexApprovedThenDocumentedWithTicketLine(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 1200, 270)
	var texts []string
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(1470, func(e pos.Event) { texts = append(texts, e.Text) }))
	if err != nil {
		t.Fatal(err)
	}
	if a.State != checkout.AttemptApproved || a.Authorized != 1470 || a.STAN == "" || !strings.Contains(a.MaskedPAN, "*") || a.AuthCode == "" {
		t.Fatalf("attempt %+v", a)
	}
	if len(texts) == 0 || !strings.Contains(strings.Join(texts, "|"), "INSERIRE CARTA") {
		t.Fatalf("progress texts %v", texts)
	}
	done, err := r.co.Complete(ctx, s, 0)
	if err != nil {
		t.Fatal(err)
	}
	docs := r.printer.Documents()
	if len(docs) != 1 || len(docs[0].Receipt.Payments) != 1 || docs[0].Receipt.Payments[0].Method != fiscal.Coverflex ||
		docs[0].Receipt.Payments[0].Amount != 1470 || done.Change != 0 {
		t.Fatalf("printed %+v", docs)
	}
	stored, _ := r.db.Sale(ctx, s.ID)
	attempts, _ := r.db.SaleAttempts(ctx, s.ID)
	if stored.State != "documented" || len(attempts) != 1 || attempts[0].State != checkout.AttemptDocumented ||
		attempts[0].MerchantID != "CFX0001234" || attempts[0].TerminalID != "12345678" || attempts[0].MaskedPAN != a.MaskedPAN {
		t.Fatalf("stored %+v attempts %+v", stored, attempts)
	}
	if n, _ := r.db.OutboxCount(ctx); n != 1 {
		t.Fatalf("outbox %d", n)
	}
	if r.sim.Payments() != 1 {
		t.Fatalf("terminal payments %d", r.sim.Payments())
	}
}

func TestCoverflexForPartThenCashForTheRestGivesOneDocument(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 1200, 270) // 14,70 €
	if _, err := r.co.PayElectronic(ctx, s, r.coverflex(800, nil)); err != nil {
		t.Fatal(err)
	}
	due, _, _ := r.co.Due(ctx, s)
	if due != 670 {
		t.Fatalf("due after 8,00 € of vouchers: %d", due)
	}
	if _, err := r.co.Complete(ctx, s, 500); !errors.Is(err, checkout.ErrTenderTooLow) {
		t.Fatalf("cash below the rest: %v", err)
	}
	done, err := r.co.Complete(ctx, s, 1000)
	if err != nil || done.Change != 330 {
		t.Fatalf("complete: %+v %v", done, err)
	}
	docs := r.printer.Documents()
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	got := docs[0].Receipt.Payments
	if len(got) != 2 || got[0].Method != fiscal.Coverflex || got[0].Amount != 800 || got[1].Method != fiscal.Cash || got[1].Amount != 670 {
		t.Fatalf("payments on the receipt %+v", got)
	}
	totals, _ := r.db.Totals(ctx, time.Now())
	if totals.ByMethod[fiscal.Coverflex] != 800 || totals.ByMethod[fiscal.Cash] != 670 || totals.Total != 1470 {
		t.Fatalf("day totals %+v", totals)
	}
}

func TestDeclinedPaymentRecordsNothingAsPaid(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 101) // 1,01 € makes the simulator decline
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(101, nil))
	if !errors.Is(err, checkout.ErrDeclined) || a.State != checkout.AttemptDeclined || a.TerminalText != "FONDI INSUFFICIENTI" {
		t.Fatalf("attempt %+v, %v", a, err)
	}
	due, _, _ := r.co.Due(ctx, s)
	if due != 101 {
		t.Fatalf("due after a decline: %d", due)
	}
	done, err := r.co.Complete(ctx, s, 101)
	if err != nil || len(r.printer.Documents()[0].Receipt.Payments) != 1 || r.printer.Documents()[0].Receipt.Payments[0].Method != fiscal.Cash {
		t.Fatalf("cash after a decline: %+v %v", done, err)
	}
	totals, _ := r.db.Totals(ctx, time.Now())
	if totals.ByMethod[fiscal.Coverflex] != 0 || totals.ByMethod[fiscal.Cash] != 101 {
		t.Fatalf("a declined voucher counted: %+v", totals)
	}
}

func TestPayDroppedAfterAckResolvesWithLastResultAndIsNeverSentTwice(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 105) // 1,05 €: ACK, approved on the terminal, link dropped
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(105, nil))
	if err != nil || a.State != checkout.AttemptApproved || a.STAN == "" {
		t.Fatalf("attempt %+v, %v", a, err)
	}
	if r.sim.Payments() != 1 {
		t.Fatalf("the terminal processed %d payments", r.sim.Payments())
	}
}

func TestUnreachableTerminalLeavesTheAttemptUnknownUntilResolved(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 107) // 1,07 €: recorded by the terminal, answered past the result timeout
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(107, nil))
	// G right after the timeout may already see the payment; either way it must not be lost.
	if err != nil && !errors.Is(err, checkout.ErrUnresolved) {
		t.Fatalf("attempt %+v, %v", a, err)
	}
	if a.State == checkout.AttemptUnknown {
		if _, err := r.co.Complete(ctx, s, 107); !errors.Is(err, checkout.ErrUnresolved) {
			t.Fatalf("a sale with an unknown payment was documented: %v", err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for a.State == checkout.AttemptUnknown && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			if b, _ := r.co.Resolve(ctx, a.ID); b != nil {
				a = b
			}
		}
	}
	if a.State != checkout.AttemptApproved || r.sim.Payments() != 1 {
		t.Fatalf("attempt %s, terminal payments %d", a.State, r.sim.Payments())
	}
}

func TestCancellingASaleReversesItsApprovedVoucherPayment(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	s := r.sale(t, 900)
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(500, nil))
	if err != nil {
		t.Fatal(err)
	}
	if r.sim.Total() != 500 {
		t.Fatalf("terminal total %d", r.sim.Total())
	}
	err = r.co.CancelSale(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	attempts, _ := r.db.SaleAttempts(ctx, s.ID)
	stored, _ := r.db.Sale(ctx, s.ID)
	if attempts[0].State != checkout.AttemptReversed || attempts[0].ReversalSTAN == "" || stored.State != "cancelled" ||
		r.sim.Total() != 0 || r.sim.Reversals() != 1 || a.ID != attempts[0].ID {
		t.Fatalf("attempt %+v sale %s terminal total %d", attempts[0], stored.State, r.sim.Total())
	}
	if len(r.printer.Documents()) != 0 {
		t.Fatal("a cancelled sale printed a document")
	}
}

func TestAmountOverWhatIsDueIsRefusedBeforeSending(t *testing.T) {
	r := newRig(t)
	s := r.sale(t, 500)
	if _, err := r.co.PayElectronic(context.Background(), s, r.coverflex(600, nil)); !errors.Is(err, checkout.ErrOverDue) {
		t.Fatalf("err %v", err)
	}
	if r.sim.Requests() != 0 {
		t.Fatal("something reached the terminal")
	}
}

func TestCashierCancelDuringTheExchangeStillLearnsTheOutcome(t *testing.T) {
	r := newRig(t)
	s := r.sale(t, 107) // 1,07 €: the terminal takes the payment and answers late
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := false
	a, err := r.co.PayElectronic(ctx, s, r.coverflex(107, func(pos.Event) {
		if !cancelled {
			cancelled = true
			go func() { time.Sleep(50 * time.Millisecond); cancel() }()
		}
	}))
	if !cancelled {
		t.Fatal("no progress from the terminal")
	}
	if err != nil || a.State != checkout.AttemptApproved || r.sim.Payments() != 1 {
		t.Fatalf("after cancelling: attempt %s, %v; terminal payments %d", a.State, err, r.sim.Payments())
	}
}
