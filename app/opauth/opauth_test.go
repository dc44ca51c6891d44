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
		{"a PIN without operators", empty, "1111", false, 0, storage.ErrNoOperators, "togli --operator, o aggiungi operatori"},
		{"a missing PIN", db, "", false, 0, storage.ErrPINRequired, "aggiungi --operator PIN / an operator's PIN is required"},
		{"a wrong PIN", db, "1234", false, 0, storage.ErrWrongPIN, "controllalo e riprova / wrong operator PIN"},
		{"a cashier for a manager's action", db, "2222", true, 0, storage.ErrNotManager, "PIN di un responsabile / only a manager"},
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
	if _, err := Check(ctx, db, "1111", true); err == nil || !strings.Contains(err.Error(), "troppi PIN errati: riprova dopo le") {
		t.Fatalf("after five wrong PINs: %v", err)
	}
}
