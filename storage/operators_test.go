package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/storage"
)

// newOperatorDB opens a fresh till whose PINs hash with few iterations: the tests check the
// rules, not the derivation's cost.
func newOperatorDB(t *testing.T) *storage.DB {
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

// staff adds Anna (manager, 1111, number 1) and Bruno (cashier, 2222, number 2).
func staff(t *testing.T, db *storage.DB) (anna, bruno checkout.Operator) {
	t.Helper()
	ctx := context.Background()
	anna, err := db.AddOperator(ctx, "Anna", "1111", checkout.RoleManager, checkout.ImplicitOperator, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if bruno, err = db.AddOperator(ctx, "Bruno", "2222", checkout.RoleCashier, anna, time.Now()); err != nil {
		t.Fatal(err)
	}
	if anna.Number != 1 || bruno.Number != 2 {
		t.Fatalf("numbers %d, %d", anna.Number, bruno.Number)
	}
	return anna, bruno
}

func TestTheFirstOperatorIsAManagerAddedWithoutPIN(t *testing.T) {
	ctx := context.Background()
	db := newOperatorDB(t)
	if _, err := db.AddOperator(ctx, "Bruno", "2222", checkout.RoleCashier, checkout.ImplicitOperator, time.Now()); !errors.Is(err, storage.ErrFirstManager) {
		t.Fatalf("first operator a cashier: %v", err)
	}
	if has, err := db.HasOperators(ctx); has || err != nil {
		t.Fatalf("operators after a refused add: %v %v", has, err)
	}
	staff(t, db)
	if has, err := db.HasOperators(ctx); !has || err != nil {
		t.Fatalf("no operators after adding: %v", err)
	}
}

func TestAddingOperatorsRefusesWhatBreaksTheRules(t *testing.T) {
	ctx := context.Background()
	db := newOperatorDB(t)
	anna, bruno := staff(t, db)
	tests := []struct {
		name, opName, pin, role string
		by                      checkout.Operator
		want                    error
	}{
		{"without a PIN once operators exist", "Carla", "3333", checkout.RoleCashier, checkout.ImplicitOperator, storage.ErrNotManager},
		{"by a cashier", "Carla", "3333", checkout.RoleManager, bruno, storage.ErrNotManager},
		{"a PIN of three digits", "Carla", "333", checkout.RoleCashier, anna, storage.ErrBadPIN},
		{"a PIN of nine digits", "Carla", "123456789", checkout.RoleCashier, anna, storage.ErrBadPIN},
		{"a PIN with letters", "Carla", "12a4", checkout.RoleCashier, anna, storage.ErrBadPIN},
		{"no name", " ", "3333", checkout.RoleCashier, anna, storage.ErrBadOperator},
		{"an unknown role", "Carla", "3333", "owner", anna, storage.ErrBadOperator},
		{"another operator's PIN", "Carla", "2222", checkout.RoleCashier, anna, storage.ErrPINInUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.AddOperator(ctx, tt.opName, tt.pin, tt.role, tt.by, time.Now()); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	ops, err := db.Operators(ctx)
	if err != nil || len(ops) != 2 {
		t.Fatalf("%d operators after refusals, %v", len(ops), err)
	}
	carla, err := db.AddOperator(ctx, "Carla", "12345678", checkout.RoleCashier, anna, time.Now())
	if err != nil || carla.Number != 3 {
		t.Fatalf("Carla: %+v %v", carla, err)
	}
}

func TestCheckPIN(t *testing.T) {
	ctx := context.Background()
	empty := newOperatorDB(t)
	db := newOperatorDB(t)
	_, _ = staff(t, db)
	tests := []struct {
		name    string
		db      *storage.DB
		pin     string
		manager bool
		want    int // the operator's number; 0 when refused
		err     error
	}{
		{"no operators, no PIN", empty, "", true, 1, nil},
		{"no operators, a PIN", empty, "1111", false, 0, storage.ErrNoOperators},
		{"no PIN", db, "", false, 0, storage.ErrPINRequired},
		{"a wrong PIN", db, "9999", false, 0, storage.ErrWrongPIN},
		{"not a PIN", db, "anna", false, 0, storage.ErrWrongPIN},
		{"a cashier", db, "2222", false, 2, nil},
		{"a cashier for a manager's action", db, "2222", true, 0, storage.ErrNotManager},
		{"a manager for a cashier's action", db, "1111", false, 1, nil},
		{"a manager", db, "1111", true, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, err := tt.db.CheckPIN(ctx, tt.pin, tt.manager, time.Now())
			if !errors.Is(err, tt.err) || op.Number != tt.want {
				t.Fatalf("operator %d, %v; want %d, %v", op.Number, err, tt.want, tt.err)
			}
		})
	}
}

func TestWrongPINsInARowLockTheTillForAWhile(t *testing.T) {
	ctx := context.Background()
	db := newOperatorDB(t)
	staff(t, db)
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	check := func(pin string, at time.Duration) error {
		_, err := db.CheckPIN(ctx, pin, false, t0.Add(at))
		return err
	}
	// Four wrong, then a right one: the count starts again.
	for i := range 4 {
		if err := check("9999", time.Duration(i)*time.Second); !errors.Is(err, storage.ErrWrongPIN) {
			t.Fatal(err)
		}
	}
	if err := check("2222", 5*time.Second); err != nil {
		t.Fatalf("right PIN after 4 wrong: %v", err)
	}
	for i := range 5 {
		if err := check("9999", 10*time.Second+time.Duration(i)*time.Second); !errors.Is(err, storage.ErrWrongPIN) {
			t.Fatal(err)
		}
	}
	var locked *storage.PINLockedError
	if err := check("2222", 20*time.Second); !errors.As(err, &locked) || !locked.Until.Equal(t0.Add(44*time.Second)) {
		t.Fatalf("right PIN while locked: %v", err)
	}
	if err := check("2222", 44*time.Second); err != nil {
		t.Fatalf("right PIN after the lock: %v", err)
	}
	// Past the limit, every wrong PIN locks again.
	for i := range 5 {
		check("9999", time.Minute+time.Duration(i)*time.Second)
	}
	if err := check("9999", 2*time.Minute); !errors.Is(err, storage.ErrWrongPIN) {
		t.Fatalf("wrong PIN after the lock: %v", err)
	}
	if err := check("1111", 2*time.Minute+29*time.Second); !errors.As(err, &locked) {
		t.Fatalf("right PIN within the new lock: %v", err)
	}
}

func TestDisablingOperators(t *testing.T) {
	ctx := context.Background()
	db := newOperatorDB(t)
	anna, bruno := staff(t, db)
	tests := []struct {
		name   string
		number int
		by     checkout.Operator
		want   error
	}{
		{"the last manager", anna.Number, anna, storage.ErrLastManager},
		{"by a cashier", bruno.Number, bruno, storage.ErrNotManager},
		{"without a PIN", bruno.Number, checkout.ImplicitOperator, storage.ErrNotManager},
		{"no such operator", 9, anna, storage.ErrNoSuchOp},
		{"a cashier by a manager", bruno.Number, anna, nil},
		{"one already disabled", bruno.Number, anna, storage.ErrNoSuchOp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.DisableOperator(ctx, tt.number, tt.by, time.Now()); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := db.CheckPIN(ctx, "2222", false, time.Now()); !errors.Is(err, storage.ErrWrongPIN) {
		t.Fatalf("a disabled operator's PIN: %v", err)
	}
	// The PIN is free again; the number is not reused.
	dario, err := db.AddOperator(ctx, "Dario", "2222", checkout.RoleManager, anna, time.Now())
	if err != nil || dario.Number != 3 {
		t.Fatalf("Dario: %+v %v", dario, err)
	}
	if err := db.DisableOperator(ctx, anna.Number, dario, time.Now()); err != nil {
		t.Fatalf("a manager while another is active: %v", err)
	}
	ops, _ := db.Operators(ctx)
	if len(ops) != 3 || ops[0].Active || ops[1].Active || !ops[2].Active {
		t.Fatalf("operators %+v", ops)
	}
}

func TestPINsAreStoredHashedAndManagerChecksAudited(t *testing.T) {
	ctx := context.Background()
	db := newOperatorDB(t)
	staff(t, db)
	db.CheckPIN(ctx, "1111", true, time.Now()) // passes
	db.CheckPIN(ctx, "2222", true, time.Now()) // a cashier
	db.CheckPIN(ctx, "9999", true, time.Now()) // wrong
	db.CheckPIN(ctx, "2222", false, time.Now())
	rows, err := db.SQL().Query(`SELECT actor, subject, detail FROM audit_log WHERE action = 'pin_check' ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var actor, subject, detail string
		rows.Scan(&actor, &subject, &detail)
		got = append(got, actor+"|"+subject+"|"+detail)
	}
	want := []string{"operator 1|manager|ok", "operator 2|manager|" + storage.ErrNotManager.Error(), "?|manager|wrong PIN"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	hashes, err := db.SQL().Query(`SELECT pin_hash FROM operators`)
	if err != nil {
		t.Fatal(err)
	}
	defer hashes.Close()
	for hashes.Next() {
		var h string
		hashes.Scan(&h)
		if !strings.HasPrefix(h, "pbkdf2-sha256$") || strings.Contains(h, "1111") || strings.Contains(h, "2222") {
			t.Fatalf("stored PIN %q", h)
		}
	}
}

// TestTheSaleRecordsItsOperator: the sale's operator is stored and goes to the back office
// with the sale; a sale without one is operator 1.
func TestTheSaleRecordsItsOperator(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, tt := range []struct{ operator, want int }{{0, 1}, {3, 3}} {
		sale := f.ring(t, "300 Bar")
		sale.Operator = tt.operator
		if _, err := f.co.PayCash(ctx, sale, 300); err != nil {
			t.Fatal(err)
		}
		var stored int
		var payload string
		if err := f.db.SQL().QueryRow(`SELECT s.operator_number, o.payload FROM sales s JOIN outbox o ON o.ref_id = s.id
			WHERE s.id = ?`, sale.ID).Scan(&stored, &payload); err != nil {
			t.Fatal(err)
		}
		var rec storage.SaleRecord
		if err := json.Unmarshal([]byte(payload), &rec); err != nil {
			t.Fatal(err)
		}
		if stored != tt.want || rec.Operator != tt.want {
			t.Errorf("operator %d: stored %d, outbox %d", tt.operator, stored, rec.Operator)
		}
	}
	// A pending sale read back keeps its operator, and saving it without one keeps it too.
	sale := f.ring(t, "300 Bar")
	sale.Operator = 4
	if err := f.db.SavePending(ctx, sale, nil, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	loaded, err := f.db.LoadSale(ctx, sale.ID)
	if err != nil || loaded.Operator != 4 {
		t.Fatalf("loaded operator %d, %v", loaded.Operator, err)
	}
	loaded.Operator = 0
	if err := f.db.SavePending(ctx, loaded, nil, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	if again, err := f.db.LoadSale(ctx, sale.ID); err != nil || again.Operator != 4 {
		t.Fatalf("after saving without an operator: %v", err)
	}
}
