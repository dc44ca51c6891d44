package portal

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultPasswordIterations follows OWASP's 2023 advice for PBKDF2-HMAC-SHA256. The count is
// stored in each hash, so raising it later does not lock anyone out.
const DefaultPasswordIterations = 600_000

// passwordIterations is lowered only by this package's tests, where the race detector makes a
// full-strength hash take seconds.
var passwordIterations = DefaultPasswordIterations

// ErrBadLogin is a wrong e-mail or password; which one is never told.
var ErrBadLogin = errors.New("wrong e-mail or password")

// Account is a customer of the back office: one owner, several sales points.
type Account struct {
	ID               string
	Name             string
	OwnerEmail       string
	CoverflexEnabled bool
}

// hashPassword returns "pbkdf2-sha256$iterations$salt$key" with a fresh random salt.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, passwordIterations, 32)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("pbkdf2-sha256$%d$%s$%s", passwordIterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// checkPassword reports whether password matches a hash made by hashPassword, in constant time.
func checkPassword(stored, password string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 || iter > 10_000_000 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

func normalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// CreateAccount adds an account with its owner's e-mail and password (stored hashed).
func (s *Store) CreateAccount(ctx context.Context, name, email, password string) (Account, error) {
	email = normalizeEmail(email)
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return Account{}, &ValidationError{"name", "Il nome dell'account è obbligatorio."}
	case !validName(name, 100):
		return Account{}, &ValidationError{"name", "Il nome dell'account può avere al massimo 100 caratteri, senza caratteri di controllo."}
	case !validName(email, 254) || !strings.Contains(email, "@"):
		return Account{}, &ValidationError{"email", "Indirizzo e-mail non valido."}
	case len(password) < 8:
		return Account{}, &ValidationError{"password", "La password deve avere almeno 8 caratteri."}
	}
	hash, err := hashPassword(password)
	if err != nil {
		return Account{}, err
	}
	a := Account{ID: newID(), Name: name, OwnerEmail: email}
	_, err = s.db.ExecContext(ctx,
		"INSERT INTO accounts (id, name, owner_email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
		a.ID, a.Name, a.OwnerEmail, hash, formatTime(s.now()))
	if err != nil {
		return Account{}, fmt.Errorf("create account %s: %w", email, err)
	}
	return a, nil
}

// dummyHash is checked against when the e-mail is unknown, so a login takes as long either way
// and does not reveal which e-mails have an account.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("not a password of anyone")
	return h
})

// Authenticate returns the account whose owner has this e-mail and password.
func (s *Store) Authenticate(ctx context.Context, email, password string) (Account, error) {
	var a Account
	var hash string
	var enabled int
	err := s.db.QueryRowContext(ctx,
		"SELECT id, name, owner_email, password_hash, coverflex_enabled FROM accounts WHERE owner_email = ?",
		normalizeEmail(email)).Scan(&a.ID, &a.Name, &a.OwnerEmail, &hash, &enabled)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(dummyHash(), password)
		return Account{}, ErrBadLogin
	}
	if err != nil {
		return Account{}, fmt.Errorf("authenticate: %w", err)
	}
	if !checkPassword(hash, password) {
		return Account{}, ErrBadLogin
	}
	a.CoverflexEnabled = enabled == 1
	return a, nil
}

// Account returns one account by id.
func (s *Store) Account(ctx context.Context, id string) (Account, error) {
	var a Account
	var enabled int
	err := s.db.QueryRowContext(ctx,
		"SELECT id, name, owner_email, coverflex_enabled FROM accounts WHERE id = ?", id).
		Scan(&a.ID, &a.Name, &a.OwnerEmail, &enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("account %s: %w", id, err)
	}
	a.CoverflexEnabled = enabled == 1
	return a, nil
}

// SetCoverflexEnabled is step 1. It changes every sales point's document, so all versions grow.
func (s *Store) SetCoverflexEnabled(ctx context.Context, accountID string, enabled bool) error {
	return s.inTx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, "UPDATE accounts SET coverflex_enabled = ? WHERE id = ? AND coverflex_enabled <> ?",
			boolInt(enabled), accountID, boolInt(enabled))
		if err != nil {
			return fmt.Errorf("set coverflex of %s: %w", accountID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // unchanged (or unknown account): the documents stay as they are
		}
		_, err = tx.ExecContext(ctx, "UPDATE sales_points SET version = version + 1 WHERE account_id = ?", accountID)
		return err
	})
}

// Session is a signed-in owner's browser session.
type Session struct {
	AccountID string
	CSRF      string
}

const sessionLifetime = 12 * time.Hour

// NewSession starts a session and returns the secret the browser keeps in its cookie.
func (s *Store) NewSession(ctx context.Context, accountID string) (string, error) {
	secret := randomToken(32)
	_, err := s.db.ExecContext(ctx, "INSERT INTO sessions (id_hash, account_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
		hashSecret(secret), accountID, randomToken(32), formatTime(s.now().Add(sessionLifetime)))
	if err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	return secret, nil
}

// Session returns the live session with this cookie secret.
func (s *Store) Session(ctx context.Context, secret string) (Session, error) {
	var sess Session
	var expires sql.NullString
	err := s.db.QueryRowContext(ctx, "SELECT account_id, csrf, expires_at FROM sessions WHERE id_hash = ?",
		hashSecret(secret)).Scan(&sess.AccountID, &sess.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	if !s.now().Before(parseTime(expires)) {
		return Session{}, ErrNotFound
	}
	return sess, nil
}

// EndAccountSessions ends every session of the account ("esci da tutti i dispositivi") and
// says how many there were.
func (s *Store) EndAccountSessions(ctx context.Context, accountID string) (int64, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE account_id = ?", accountID)
	if err != nil {
		return 0, fmt.Errorf("end sessions of %s: %w", accountID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// validName reports whether a name typed by a person can be stored and shown: valid UTF-8, no
// control characters (NUL above all, which PostgreSQL's text cannot hold), at most max bytes.
func validName(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// EndSession logs a session out; expired sessions are swept at the same time.
func (s *Store) EndSession(ctx context.Context, secret string) error {
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = ? OR expires_at < ?",
		hashSecret(secret), formatTime(s.now()))
	return err
}
