package boot

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/money"
	"till/storage"
)

func payOne(t *testing.T, b *Till) checkout.Completed {
	t.Helper()
	ctx := context.Background()
	deps, err := b.DB.Departments(ctx)
	if err != nil || len(deps) == 0 {
		t.Fatalf("departments: %v", err)
	}
	r := checkout.NewRegister(storage.NewID, time.Now)
	r.Digit("250")
	if err := r.Department(deps[0]); err != nil {
		t.Fatal(err)
	}
	done, err := b.Checkout.PayCash(ctx, r.Sale(), 250)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

func TestReopenedDemoTillContinuesTheReceiptNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "till.db")
	b, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	first := payOne(t, b)
	second := payOne(t, b)
	b.Close()
	b, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	third := payOne(t, b)
	got := []string{first.Document.ID(), second.Document.ID(), third.Document.ID()}
	want := []string{"0001-0001", "0001-0002", "0001-0003"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("receipt numbers %v, want %v", got, want)
		}
	}
}

func TestDefaultDBPathFollowsXDGDataHome(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	if p, err := DefaultDBPath(); err != nil || p != "/srv/data/till/till.db" {
		t.Fatalf("path %q, %v", p, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/cassa")
	if p, err := DefaultDBPath(); err != nil || p != "/home/cassa/.local/share/till/till.db" {
		t.Fatalf("path %q, %v", p, err)
	}
}

// TestDemoTerminalsGoOnWithTheirSTANAcrossRestarts: the simulated terminals of demo mode keep
// counting from the last STAN the till saw, as real terminals do, so a lost answer after a
// restart is still settled by the terminal's last result (and a restart is no counter reset).
func TestDemoTerminalsGoOnWithTheirSTANAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "till.db")
	pay := func(b *Till, amount int64) *checkout.Attempt {
		t.Helper()
		doc, err := b.Config(ctx)
		if err != nil || doc == nil {
			t.Fatalf("demo configuration: %v", err)
		}
		dev, err := b.DeviceFor(ctx, doc, doc.PaymentDevices[0])
		if err != nil {
			t.Fatal(err)
		}
		deps, _ := b.DB.Departments(ctx)
		s := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now(), Lines: []checkout.Line{
			{Description: "Caffè", QtyMilli: 1000, UnitPrice: money.Cents(amount), Department: deps[0]}}}
		a, err := b.Checkout.PayElectronic(ctx, s, checkout.ElectronicRequest{Method: fiscal.Coverflex, Amount: money.Cents(amount), Device: dev})
		if err != nil {
			t.Fatalf("pay %d: %v", amount, err)
		}
		if _, err := b.Checkout.Complete(ctx, s, 0); err != nil {
			t.Fatal(err)
		}
		return a
	}
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	stop, err := b.StartDemoTerminals(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	first := pay(b, 120)
	stop()
	b.Close()

	b, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	stop, err = b.StartDemoTerminals(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	// 1,05 €: the demo terminal takes the money and drops the link; its last result says so.
	second := pay(b, 105)
	if first.STAN != "000001" || second.STAN != "000002" || second.Evidence != checkout.EvidenceLastResult {
		t.Fatalf("first %s, second %s by %s", first.STAN, second.STAN, second.Evidence)
	}
}
