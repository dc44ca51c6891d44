package storage

import (
	"context"
	"crypto/pbkdf2"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"till/app/checkout"
)

// Errors of operators and their PINs. The caller explains them to a person; nothing is changed
// when they happen, except the count of wrong PINs and the audit log.
var (
	ErrBadPIN       = errors.New("a PIN is 4 to 8 digits")
	ErrBadOperator  = errors.New("an operator needs a name and the role cashier or manager")
	ErrPINInUse     = errors.New("PIN already used by another operator")
	ErrFirstManager = errors.New("the first operator must be a manager")
	ErrPINRequired  = errors.New("operator PIN required")
	ErrWrongPIN     = errors.New("wrong PIN")
	ErrNotManager   = errors.New("a manager's PIN is required")
	ErrNoOperators  = errors.New("no operators on this till")
	ErrNoSuchOp     = errors.New("no such operator")
	ErrLastManager  = errors.New("the last active manager cannot be disabled")
)

// PINLockedError is returned, without looking at the PIN, while the till refuses PINs after
// too many wrong ones in a row.
type PINLockedError struct{ Until time.Time }

func (e *PINLockedError) Error() string {
	return fmt.Sprintf("too many wrong PINs: locked until %s", e.Until.Format(time.RFC3339))
}

// A PIN has little entropy (10⁴ to 10⁸ values): whoever can read the database can try them
// all whatever the hash, so the hash protects against casual reading (a PIN is never on disk
// in clear) and the real defence is pinLockAfter. The salt is the till's own (operator_pins):
// the PIN identifies the operator, so a check must find the operator with one derivation,
// and a per-operator salt would cost one derivation per operator at every check.
const (
	pinLockAfter = 5                // wrong PINs in a row before the till refuses for a while
	pinLockFor   = 30 * time.Second // how long; every further wrong PIN starts it again
)

// StoredOperator is an operator as `till operators list` shows it: never the PIN or its hash.
type StoredOperator struct {
	checkout.Operator
	Active    bool
	CreatedAt time.Time
}

// ValidPIN tells whether pin is 4 to 8 ASCII digits.
func ValidPIN(pin string) bool {
	if len(pin) < 4 || len(pin) > 8 {
		return false
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hashPIN returns "pbkdf2-sha256$KEY": the same PIN gives the same text on this till, so the
// unique index keeps two operators from sharing a PIN and a check is one lookup. It runs
// outside any transaction: the derivation takes tens of milliseconds, too long to hold the
// till's one writer. The key never changes once the migration made it.
func (d *DB) hashPIN(ctx context.Context, pin string) (string, error) {
	var salt []byte
	var iterations int
	err := d.sql.QueryRowContext(ctx, `SELECT salt, iterations FROM operator_pins WHERE id = 1`).Scan(&salt, &iterations)
	if err != nil {
		return "", fmt.Errorf("read PIN key: %w", err)
	}
	key, err := pbkdf2.Key(sha256.New, pin, salt, iterations, 32)
	if err != nil {
		return "", fmt.Errorf("hash PIN: %w", err)
	}
	return "pbkdf2-sha256$" + base64.RawStdEncoding.EncodeToString(key), nil
}

func activeOperators(ctx context.Context, tx *sql.Tx) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM operators WHERE active = 1`).Scan(&n)
	return n, err
}

// HasOperators tells whether the till has working operators: then every command that moves
// money or documents needs an operator's PIN.
func (d *DB) HasOperators(ctx context.Context) (bool, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, `SELECT count(*) FROM operators WHERE active = 1`).Scan(&n)
	return n > 0, err
}

// AddOperator adds an operator with the next unused number. by is who adds it: the first
// operator, a manager, may be added by checkout.ImplicitOperator; once operators exist only
// one of them (a manager, checked by CheckPIN) may add more, so nobody makes himself manager.
func (d *DB) AddOperator(ctx context.Context, name, pin, role string, by checkout.Operator, at time.Time) (checkout.Operator, error) {
	name = strings.TrimSpace(name)
	switch {
	case !ValidPIN(pin):
		return checkout.Operator{}, ErrBadPIN
	case name == "" || utf8.RuneCountInString(name) > 40 || (role != checkout.RoleCashier && role != checkout.RoleManager):
		return checkout.Operator{}, ErrBadOperator
	}
	op := checkout.Operator{ID: NewID(), Name: name, Role: role}
	h, err := d.hashPIN(ctx, pin)
	if err != nil {
		return checkout.Operator{}, err
	}
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		n, err := activeOperators(ctx, tx)
		switch {
		case err != nil:
			return err
		case n == 0 && role != checkout.RoleManager:
			return ErrFirstManager
		case n > 0 && (by.ID == "" || !by.IsManager()):
			return ErrNotManager
		}
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM operators WHERE pin_hash = ? AND active = 1`, h).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			return ErrPINInUse
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(number), 0) + 1 FROM operators`).Scan(&op.Number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO operators(id, number, name, pin_hash, role, created_at) VALUES (?,?,?,?,?,?)`,
			op.ID, op.Number, op.Name, h, op.Role, formatTime(at)); err != nil {
			return err
		}
		return audit(ctx, tx, actor(by), "operator_add", strconv.Itoa(op.Number), op.Name+" ("+op.Role+")")
	})
	if err != nil {
		return checkout.Operator{}, fmt.Errorf("add operator %q: %w", name, err)
	}
	return op, nil
}

// Operators lists every operator by number, disabled ones too.
func (d *DB) Operators(ctx context.Context) ([]StoredOperator, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT id, number, name, role, active, created_at FROM operators ORDER BY number`)
	if err != nil {
		return nil, fmt.Errorf("list operators: %w", err)
	}
	defer rows.Close()
	var ops []StoredOperator
	for rows.Next() {
		var o StoredOperator
		var created string
		if err := rows.Scan(&o.ID, &o.Number, &o.Name, &o.Role, &o.Active, &created); err != nil {
			return nil, fmt.Errorf("list operators: %w", err)
		}
		o.CreatedAt = parseTime(created)
		ops = append(ops, o)
	}
	return ops, rows.Err()
}

// DisableOperator stops the operator number from working the till; by must be a manager. The
// last active manager is kept: without one nobody could add operators or close the day.
func (d *DB) DisableOperator(ctx context.Context, number int, by checkout.Operator, at time.Time) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		if by.ID == "" || !by.IsManager() {
			return ErrNotManager
		}
		var role string
		err := tx.QueryRowContext(ctx, `SELECT role FROM operators WHERE number = ? AND active = 1`, number).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSuchOp
		}
		if err != nil {
			return err
		}
		if role == checkout.RoleManager {
			var managers int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM operators WHERE role = 'manager' AND active = 1`).Scan(&managers); err != nil {
				return err
			}
			if managers <= 1 {
				return ErrLastManager
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE operators SET active = 0, disabled_at = ? WHERE number = ?`, formatTime(at), number); err != nil {
			return err
		}
		return audit(ctx, tx, actor(by), "operator_disable", strconv.Itoa(number), "")
	})
	if err != nil {
		return fmt.Errorf("disable operator %d: %w", number, err)
	}
	return nil
}

// CheckPIN returns the working operator whose PIN is pin, who must be a manager when manager
// is set. With no operators, an empty pin is checkout.ImplicitOperator and any PIN is
// ErrNoOperators. Wrong PINs are counted: after pinLockAfter in a row the till refuses every
// PIN for pinLockFor (*PINLockedError), and a right one starts the count again. Every failed
// check, and every passed check for a manager's action, goes to the audit log. The count and
// the log are written even when the check fails: that is its record, not a change of the
// till's business.
func (d *DB) CheckPIN(ctx context.Context, pin string, manager bool, at time.Time) (checkout.Operator, error) {
	var op checkout.Operator
	var refused error
	hash := "" // not a PIN: matches no operator
	if ValidPIN(pin) {
		var err error
		if hash, err = d.hashPIN(ctx, pin); err != nil {
			return op, err
		}
	}
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		op, refused, err = checkPIN(ctx, tx, pin, hash, manager, at)
		if err != nil {
			return err
		}
		if refused == nil && (!manager || op.ID == "") {
			return nil // a cashier's action, or a till without operators: nothing to log
		}
		outcome := "ok"
		if refused != nil {
			outcome = refused.Error()
		}
		need := "operator"
		if manager {
			need = "manager"
		}
		return audit(ctx, tx, actor(op), "pin_check", need, outcome)
	})
	if err != nil {
		return checkout.Operator{}, fmt.Errorf("check operator PIN: %w", err)
	}
	if refused != nil {
		return checkout.Operator{}, refused
	}
	return op, nil
}

// checkPIN decides a PIN check inside its transaction, hash being pin's (or "" when pin is not
// a PIN): refused is the person's mistake, err the database's.
func checkPIN(ctx context.Context, tx *sql.Tx, pin, hash string, manager bool, at time.Time) (op checkout.Operator, refused, err error) {
	n, err := activeOperators(ctx, tx)
	switch {
	case err != nil:
		return op, nil, err
	case n == 0 && pin == "":
		return checkout.ImplicitOperator, nil, nil
	case n == 0:
		return op, ErrNoOperators, nil
	case pin == "":
		return op, ErrPINRequired, nil
	}
	var failures int
	var locked string
	if err := tx.QueryRowContext(ctx, `SELECT failures, locked_until FROM operator_pins WHERE id = 1`).Scan(&failures, &locked); err != nil {
		return op, nil, err
	}
	if until := parseTime(locked); at.Before(until) {
		return op, &PINLockedError{Until: until}, nil
	}
	err = tx.QueryRowContext(ctx, `SELECT id, number, name, role FROM operators WHERE pin_hash = ? AND active = 1`, hash).
		Scan(&op.ID, &op.Number, &op.Name, &op.Role)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return op, nil, err
	}
	if err != nil { // no working operator has this PIN
		failures++
		until := ""
		if failures >= pinLockAfter {
			until = formatTime(at.Add(pinLockFor))
		}
		_, err := tx.ExecContext(ctx, `UPDATE operator_pins SET failures = ?, locked_until = ? WHERE id = 1`, failures, until)
		return checkout.Operator{}, ErrWrongPIN, err
	}
	if failures > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE operator_pins SET failures = 0, locked_until = '' WHERE id = 1`); err != nil {
			return op, nil, err
		}
	}
	if manager && !op.IsManager() {
		return op, ErrNotManager, nil
	}
	return op, nil, nil
}

// saleOperator is the number of the operator recorded on a sale: a sale taken up again (a
// reprint after recovery) prints the operator who sold it.
func (d *DB) saleOperator(ctx context.Context, saleID string) (int, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, `SELECT operator_number FROM sales WHERE id = ?`, saleID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read the operator of sale %s: %w", saleID, err)
	}
	return n, nil
}

// actor names an operator in the audit log.
func actor(op checkout.Operator) string {
	switch {
	case op.Number == 0:
		return "?"
	case op.ID == "":
		return "operator 1 (no operators)"
	}
	return "operator " + strconv.Itoa(op.Number)
}
