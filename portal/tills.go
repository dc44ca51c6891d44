package portal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// codeAlphabet leaves out 0/O and 1/I/L so a code read aloud or copied by hand is not mistyped.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newActivationCode returns 12 random characters (about 59 bits) as XXXX-XXXX-XXXX.
func newActivationCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		// 256 is not a multiple of 31; the bias this leaves is irrelevant for a one-time code.
		sb.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return sb.String()
}

// normalizeCode accepts a code typed in lower case, with or without dashes and spaces.
func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
}

// NewActivationCode makes a one-time code that activates this till of the account. Codes not
// yet used for the till are withdrawn: only the newest one works.
func (s *Store) NewActivationCode(ctx context.Context, accountID, tillID string) (string, error) {
	code := newActivationCode()
	err := s.inTx(ctx, func(tx *txConn) error {
		if err := ownTill(ctx, tx, accountID, tillID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM activation_codes WHERE till_id = ? AND used_at IS NULL", tillID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO activation_codes (code_hash, till_id, created_at) VALUES (?, ?, ?)",
			hashSecret(normalizeCode(code)), tillID, formatTime(s.now()))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("activation code for till %s: %w", tillID, err)
	}
	return code, nil
}

func ownTill(ctx context.Context, tx *txConn, accountID, tillID string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM tills t JOIN sales_points sp ON sp.id = t.sales_point_id
		WHERE t.id = ? AND sp.account_id = ?`, tillID, accountID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// Activation is what a till gets for a valid code.
type Activation struct {
	Token        string `json:"token"`
	TillID       string `json:"till_id"`
	SalesPointID string `json:"sales_point_id"`
}

// Activate spends a one-time code and gives the till a new device token; an earlier token of
// the same till stops working, and a revoked till is usable again.
func (s *Store) Activate(ctx context.Context, code string) (Activation, error) {
	var a Activation
	err := s.inTx(ctx, func(tx *txConn) error {
		h := hashSecret(normalizeCode(code))
		var used sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT c.till_id, t.sales_point_id, c.used_at FROM activation_codes c
			JOIN tills t ON t.id = c.till_id WHERE c.code_hash = ?`, h).Scan(&a.TillID, &a.SalesPointID, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if used.Valid {
			return ErrCodeSpent
		}
		now := formatTime(s.now())
		// "AND used_at IS NULL" makes the spend itself the check: of two concurrent activations
		// with one code (possible on PostgreSQL), only one updates a row.
		res, err := tx.ExecContext(ctx, "UPDATE activation_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL", now, h)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrCodeSpent
		}
		a.Token = randomToken(32)
		_, err = tx.ExecContext(ctx, "UPDATE tills SET token_hash = ?, revoked = 0, activated_at = ? WHERE id = ?",
			hashSecret(a.Token), now, a.TillID)
		return err
	})
	if err != nil {
		return Activation{}, fmt.Errorf("activate: %w", err)
	}
	return a, nil
}

// RevokeTill withdraws the till's device token and any unused activation code: the till gets
// 401 from then on until it is activated again with a new code.
func (s *Store) RevokeTill(ctx context.Context, accountID, tillID string) error {
	return s.inTx(ctx, func(tx *txConn) error {
		if err := ownTill(ctx, tx, accountID, tillID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM activation_codes WHERE till_id = ? AND used_at IS NULL", tillID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE tills SET revoked = 1 WHERE id = ?", tillID)
		return err
	})
}

// RevokeTillByID is RevokeTill for the operator's command line, which is not signed in as an account.
func (s *Store) RevokeTillByID(ctx context.Context, tillID string) error {
	var accountID string
	err := s.db.QueryRowContext(ctx, `SELECT sp.account_id FROM tills t JOIN sales_points sp ON sp.id = t.sales_point_id
		WHERE t.id = ?`, tillID).Scan(&accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.RevokeTill(ctx, accountID, tillID)
}

// TillIdentity is who an API call comes from, found by its device token.
type TillIdentity struct {
	TillID       string
	SalesPointID string
	AccountID    string
	// Pending is what the till said waits on it to sync (X-Till-Pending), -1 when it did not say.
	Pending int64
}

// TillByToken finds the activated, not revoked till holding this token.
func (s *Store) TillByToken(ctx context.Context, token string) (TillIdentity, error) {
	var id TillIdentity
	err := s.db.QueryRowContext(ctx, `SELECT t.id, t.sales_point_id, sp.account_id FROM tills t
		JOIN sales_points sp ON sp.id = t.sales_point_id WHERE t.token_hash = ? AND t.revoked = 0`,
		hashSecret(token)).Scan(&id.TillID, &id.SalesPointID, &id.AccountID)
	if errors.Is(err, sql.ErrNoRows) {
		return TillIdentity{}, ErrNotFound
	}
	if err != nil {
		return TillIdentity{}, fmt.Errorf("till by token: %w", err)
	}
	return id, nil
}

// TouchTill records what a till told on an API call: pending (sales waiting on the till) and
// versionSeen (the configuration it holds) when it told them (>= 0), and the time as its last
// contact. Every API call comes here, so it writes only when the call tells something new: a
// till never recorded, a pending count or version other than the recorded one, or sales
// waiting (the till is pushing them, or failing to: its contact is worth a write). An idle
// till polling its configuration (pending 0, version unchanged) costs one read and no commit.
//
// What the portal then knows of a till that only pulls 304s: the version it holds and its
// pending count are exact (any change is written), while last_sync_at is the last call that
// told something new (its last push, a change of pending count, a new version), not its
// latest poll.
func (s *Store) TouchTill(ctx context.Context, tillID string, pending, versionSeen int64) error {
	return touchTill(ctx, s.db, s.now(), tillID, pending, versionSeen, false)
}

// rowQueryExecer is a *dbConn or a *txConn: contact is recorded alone, or inside the
// transaction of a push.
type rowQueryExecer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// touchTill records a till's contact; always records it even when nothing changed (a push).
func touchTill(ctx context.Context, db rowQueryExecer, now time.Time, tillID string, pending, versionSeen int64, always bool) error {
	var last sql.NullString
	var recordedPending, recordedVersion int64
	err := db.QueryRowContext(ctx, `SELECT last_sync_at, COALESCE(pending_reported, -1), config_version_seen
		FROM tills WHERE id = ?`, tillID).Scan(&last, &recordedPending, &recordedVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // no such till: nothing to record
	}
	if err != nil {
		return fmt.Errorf("read contact of till %s: %w", tillID, err)
	}
	news := always || !last.Valid || pending > 0 ||
		(pending >= 0 && pending != recordedPending) ||
		(versionSeen >= 0 && versionSeen != recordedVersion)
	if !news {
		return nil
	}
	_, err = db.ExecContext(ctx, `UPDATE tills SET last_sync_at = ?,
		pending_reported = CASE WHEN CAST(? AS BIGINT) >= 0 THEN CAST(? AS BIGINT) ELSE pending_reported END,
		config_version_seen = CASE WHEN CAST(? AS BIGINT) >= 0 THEN CAST(? AS BIGINT) ELSE config_version_seen END WHERE id = ?`,
		formatTime(now), pending, pending, versionSeen, versionSeen, tillID)
	if err != nil {
		return fmt.Errorf("record contact of till %s: %w", tillID, err)
	}
	return nil
}
