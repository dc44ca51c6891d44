package opauth

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/storage"
)

func newDB(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SQL().Exec(`UPDATE operator_pins SET iterations = 1000`); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestCheckSaysWhatToDo: every refusal is an *Error whose text says, Italian then English,
// what to do, and which wraps the storage error a caller may branch on.
func TestCheckSaysWhatToDo(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8") // Italian, the default
	ctx := context.Background()
	empty := newDB(t)
	db := newDB(t)
	anna, err := db.AddOperator(ctx, "Anna", "1111", checkout.RoleManager, checkout.ImplicitOperator, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddOperator(ctx, "Bruno", "2222", checkout.RoleCashier, anna, time.Now()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		db      *storage.DB
		pin     string
		manager bool
		number  int
		err     error
		text    string
	}{
		{"no operators", empty, "", true, 1, nil, ""},
		{"a PIN without operators", empty, "1111", false, 0, storage.ErrNoOperators, "togliere --operator, o aggiungere operatori"},
		{"a missing PIN", db, "", false, 0, storage.ErrPINRequired, "Serve il PIN di un operatore: aggiungere --operator PIN."},
		{"a wrong PIN", db, "1234", false, 0, storage.ErrWrongPIN, "PIN operatore errato: controllarlo e riprovare."},
		{"a cashier for a manager's action", db, "2222", true, 0, storage.ErrNotManager, "solo un responsabile: usare --operator con il PIN di un responsabile"},
		{"a cashier", db, "2222", false, 2, nil, ""},
		{"a manager", db, "1111", true, 1, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, err := Check(ctx, tt.db, tt.pin, tt.manager)
			var refused *Error
			switch {
			case op.Number != tt.number || !errors.Is(err, tt.err):
				t.Fatalf("operator %d, %v; want %d, %v", op.Number, err, tt.number, tt.err)
			case tt.err != nil && (!errors.As(err, &refused) || !strings.Contains(err.Error(), tt.text)):
				t.Fatalf("text %q, want %q", err, tt.text)
			}
		})
	}
	for range 5 {
		Check(ctx, db, "1234", false)
	}
	if _, err := Check(ctx, db, "1111", true); err == nil || !strings.Contains(err.Error(), "Troppi PIN errati: riprovare dopo le") {
		t.Fatalf("after five wrong PINs: %v", err)
	}
}
