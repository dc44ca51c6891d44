package boot

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"till/app/checkout"
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
