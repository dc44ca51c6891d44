package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// SyncState is the till's link to the back office (docs/spec/sync.md): who it is for the
// portal and what it last heard. The zero value means "not activated".
type SyncState struct {
	PortalURL     string
	Token         string // the device token: keep it out of logs (String omits it)
	TillID        string
	SalesPointID  string
	ActivatedAt   time.Time
	ConfigETag    string // the ETag of the last configuration pulled, e.g. `"42"`
	LastPullAt    time.Time
	LastContactAt time.Time
	LastError     string
	LastErrorAt   time.Time
}

// Activated tells whether the till holds a device token.
func (s SyncState) Activated() bool { return s.Token != "" }

// String describes the state without the token, so a state printed or logged leaks nothing.
func (s SyncState) String() string {
	if !s.Activated() {
		return "not activated"
	}
	return fmt.Sprintf("till %s of sales point %s at %s (etag %s)", s.TillID, s.SalesPointID, s.PortalURL, s.ConfigETag)
}

const loadSyncStateSQL = `SELECT portal_url, token, till_id, sales_point_id, activated_at, config_etag,
		last_pull_at, last_contact_at, last_error, last_error_at FROM sync_state WHERE id = 1`

// LoadSyncState returns the till's sync state; the zero SyncState when never activated.
func (d *DB) LoadSyncState(ctx context.Context) (SyncState, error) {
	var s SyncState
	var activated, pull, contact, errAt string
	err := d.sql.QueryRowContext(ctx, loadSyncStateSQL).
		Scan(&s.PortalURL, &s.Token, &s.TillID, &s.SalesPointID, &activated, &s.ConfigETag, &pull, &contact, &s.LastError, &errAt)
	if errors.Is(err, sql.ErrNoRows) {
		return SyncState{}, nil
	}
	if err != nil {
		return SyncState{}, fmt.Errorf("load sync state: %w", err)
	}
	s.ActivatedAt, s.LastPullAt, s.LastContactAt, s.LastErrorAt = parseTime(activated), parseTime(pull), parseTime(contact), parseTime(errAt)
	return s, nil
}

// SaveActivation records a new activation, replacing any earlier one. The configuration ETag
// is cleared: a till activated again (perhaps for another till id) must pull the whole
// document rather than trust a 304 meant for its old identity.
func (d *DB) SaveActivation(ctx context.Context, portalURL, token, tillID, salesPointID string, at time.Time) error {
	if token == "" || tillID == "" {
		return errors.New("save activation: token and till id are required")
	}
	now := formatTime(at)
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sync_state(id, portal_url, token, till_id, sales_point_id, activated_at,
			last_contact_at) VALUES (1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET portal_url = excluded.portal_url, token = excluded.token, till_id = excluded.till_id,
			sales_point_id = excluded.sales_point_id, activated_at = excluded.activated_at, config_etag = '',
			last_pull_at = '', last_contact_at = excluded.last_contact_at, last_error = '', last_error_at = ''`,
			portalURL, token, tillID, salesPointID, now, now)
		if err != nil {
			return err
		}
		// The audit row names the till and portal, never the token.
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(id, at, actor, action, subject, detail) VALUES (?,?,?,?,?,?)`,
			NewID(), now, "sync", "activated", tillID, fmt.Sprintf("portal %s; sales point %s", portalURL, salesPointID))
		return err
	})
	if err != nil {
		return fmt.Errorf("save activation of till %s: %w", tillID, err)
	}
	return nil
}

// NoteConfigPulled records a successful configuration pull and the ETag it carried.
func (d *DB) NoteConfigPulled(ctx context.Context, etag string, at time.Time) error {
	now := formatTime(at)
	_, err := d.sql.ExecContext(ctx, `UPDATE sync_state SET config_etag = ?, last_pull_at = ?, last_contact_at = ?,
		last_error = '', last_error_at = '' WHERE id = 1`, etag, now, now)
	if err != nil {
		return fmt.Errorf("note configuration pull: %w", err)
	}
	return nil
}

// NoteSyncContact records that the portal answered a call.
func (d *DB) NoteSyncContact(ctx context.Context, at time.Time) error {
	_, err := d.sql.ExecContext(ctx, `UPDATE sync_state SET last_contact_at = ?, last_error = '', last_error_at = '' WHERE id = 1`,
		formatTime(at))
	if err != nil {
		return fmt.Errorf("note sync contact: %w", err)
	}
	return nil
}

// NoteSyncError records why the last call to the portal failed, for the settings screen and
// for `till sync` run later in another process.
func (d *DB) NoteSyncError(ctx context.Context, msg string, at time.Time) error {
	_, err := d.sql.ExecContext(ctx, `UPDATE sync_state SET last_error = ?, last_error_at = ? WHERE id = 1`, msg, formatTime(at))
	if err != nil {
		return fmt.Errorf("note sync error: %w", err)
	}
	return nil
}

// OutboxItem is one record waiting to be sent to the back office.
type OutboxItem struct {
	ID       string // the outbox row
	Kind     string // "sale"
	RefID    string // the sale id, which the portal acknowledges
	Payload  []byte // SaleRecord JSON with till_id empty
	Attempts int
}

// outboxBatchSQL reads the outbox in rowid order and stops at limit: every row is a sale so
// far, and the outbox holds only what the portal has not acknowledged (see outboxCountSQL).
const outboxBatchSQL = `SELECT id, kind, ref_id, payload, attempts FROM outbox WHERE kind = ? ORDER BY rowid LIMIT ?`

// OutboxBatch returns up to limit records of a kind ("sale"), oldest first. Insertion order
// (rowid) is the order the sales were documented in; created_at is text of varying width and
// would not sort right.
func (d *DB) OutboxBatch(ctx context.Context, kind string, limit int) ([]OutboxItem, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := d.sql.QueryContext(ctx, outboxBatchSQL, kind, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	defer rows.Close()
	var items []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var payload string
		if err := rows.Scan(&it.ID, &it.Kind, &it.RefID, &payload, &it.Attempts); err != nil {
			return nil, fmt.Errorf("read outbox: %w", err)
		}
		it.Payload = []byte(payload)
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return items, nil
}

// NoteOutboxAttempt counts one more sending attempt for these outbox rows, before they are
// sent: a row that keeps failing shows how often it was tried.
func (d *DB) NoteOutboxAttempt(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := d.sql.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1 WHERE id IN (`+placeholders(len(ids))+`)`, anySlice(ids)...)
	if err != nil {
		return fmt.Errorf("note outbox attempt: %w", err)
	}
	return nil
}

// vacuumSQL gives back at most 256 pages (1 MiB), a few milliseconds of work: a batch of 500
// acknowledged sales frees about 130.
const vacuumSQL = `PRAGMA incremental_vacuum(256)`

// AckOutbox deletes the outbox rows the portal acknowledged, in one transaction, and returns
// how many it deleted. Only acknowledged rows may be passed: this is the one place where a
// record leaves the till's outbox.
func (d *DB) AckOutbox(ctx context.Context, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var n int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		// Chunks stay under SQLite's limit on host parameters whatever the batch size.
		const chunk = 500
		for start := 0; start < len(ids); start += chunk {
			part := ids[start:min(start+chunk, len(ids))]
			res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (`+placeholders(len(part))+`)`, anySlice(part)...)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += k
		}
		// The deleted payloads free pages; a new file (auto_vacuum incremental) gives a bounded
		// number back to the file system each time, in this transaction, so a sale waiting
		// for the connection waits only for a short one. Older files keep their free pages
		// for the next sales; for them this does nothing.
		_, err := tx.ExecContext(ctx, vacuumSQL)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("acknowledge %d outbox rows: %w", len(ids), err)
	}
	return int(n), nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func anySlice(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
