package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"till/app/config"
)

// auditConfigSaved is the audit_log action of every change of the cached configuration; its
// actor is the source, which the version rule needs to know about the cached copy.
const auditConfigSaved = "config_saved"

const (
	loadConfigSQL = `SELECT version, document, fetched_at FROM config WHERE id = 1`
	// configSavedBySQL finds the last save in audit_by_action, newest first by rowid.
	configSavedBySQL = `SELECT actor FROM audit_log WHERE action = ? ORDER BY rowid DESC LIMIT 1`
)

// SaveConfig caches doc as the till's configuration, replacing the previous copy, in one
// transaction with an audit_log row naming the source and both versions. A document that does
// not validate is never cached. The version rule is config.MayReplace; a cached copy that cannot
// be read any more is replaced by any valid document, since nothing can run on it. Saving the
// document that is already cached changes nothing and writes no audit row, so importing the
// same file at every start does not pile up history.
func (d *DB) SaveConfig(ctx context.Context, doc *config.Document, source string) error {
	if doc == nil {
		return errors.New("save configuration: no document")
	}
	if err := doc.Validate(); err != nil {
		return fmt.Errorf("save configuration: %w", err)
	}
	if err := config.MayReplace(source, doc.Version, nil); err != nil {
		return fmt.Errorf("save configuration: %w", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("save configuration: %w", err)
	}
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var version int64
		var stored string
		err := tx.QueryRowContext(ctx, `SELECT version, document FROM config WHERE id = 1`).Scan(&version, &stored)
		replaced := "none"
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case stored == string(data):
			return nil
		default:
			replaced = fmt.Sprintf("version %d", version)
			if _, bad := parseCachedConfig(version, stored); bad != nil {
				replaced += " (unreadable)"
				break
			}
			var last string
			err := tx.QueryRowContext(ctx, configSavedBySQL, auditConfigSaved).Scan(&last)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err := config.MayReplace(source, doc.Version, &config.Cached{Version: version, Source: last}); err != nil {
				return err
			}
		}
		now := formatTime(time.Now())
		_, err = tx.ExecContext(ctx, `INSERT INTO config(id, version, document, fetched_at) VALUES (1, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET version = excluded.version, document = excluded.document, fetched_at = excluded.fetched_at`,
			doc.Version, string(data), now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(id, at, actor, action, subject, detail) VALUES (?,?,?,?,?,?)`,
			NewID(), now, source, auditConfigSaved, fmt.Sprintf("version %d", doc.Version),
			fmt.Sprintf("source %s; replaced %s; till %s; coverflex offered %t", source, replaced, doc.Till.ID, config.Coverflex(doc).Offered))
		return err
	})
	if err != nil {
		return fmt.Errorf("save configuration version %d from %s: %w", doc.Version, source, err)
	}
	return nil
}

// LoadConfig returns the cached configuration and when it was cached, or (nil, zero, nil) when
// none is. The copy is validated again: a row damaged on disk (or written by a till with
// other rules) gives an error wrapping config.ErrInvalid, never a half-read document.
func (d *DB) LoadConfig(ctx context.Context) (*config.Document, time.Time, error) {
	var version int64
	var stored, at string
	err := d.sql.QueryRowContext(ctx, loadConfigSQL).Scan(&version, &stored, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("load configuration: %w", err)
	}
	doc, err := parseCachedConfig(version, stored)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("cached configuration version %d is unusable: %w", version, err)
	}
	cachedAt, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("cached configuration version %d: %w", version,
			&config.FieldError{Field: "fetched_at", Code: "format", Problem: fmt.Sprintf("%q is not a time", at)})
	}
	return doc, cachedAt, nil
}

// parseCachedConfig reads a cached document and checks it against its row's version column,
// which would differ only if the row was changed outside SaveConfig.
func parseCachedConfig(version int64, stored string) (*config.Document, error) {
	doc, err := config.Parse([]byte(stored))
	if err != nil {
		return nil, err
	}
	if doc.Version != version {
		return nil, &config.FieldError{Field: "version", Code: "format",
			Problem: fmt.Sprintf("is %d, but the cache row says %d", doc.Version, version)}
	}
	return doc, nil
}
