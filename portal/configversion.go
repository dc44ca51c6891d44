package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// configETag is the ETag of the configuration document at version: the version in quotes
// (sync.md). The 200 and the 304 of GET /api/v1/config both make it here, and both from the
// sales point's version, which ConfigFor puts in the document and every change to the document
// bumps (bumpVersion, SetCoverflexEnabled): the two answers cannot disagree.
func configETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// configVersion reads the version of the configuration document the till would get now and
// the version the portal last recorded the till holding: one row, so a pull answered 304 never
// builds the document.
func (s *Store) configVersion(ctx context.Context, till TillIdentity) (current, held int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT sp.version, t.config_version_seen FROM tills t
		JOIN sales_points sp ON sp.id = t.sales_point_id WHERE t.id = ? AND sp.id = ?`,
		till.TillID, till.SalesPointID).Scan(&current, &held)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("config version of till %s: %w", till.TillID, err)
	}
	return current, held, nil
}

// noteConfigHeld records that the till now holds the configuration at version, with the time
// as its last contact. The caller calls it only when the recorded version differs; the
// condition makes a concurrent pull of the same till, which finds it recorded, write no row.
func (s *Store) noteConfigHeld(ctx context.Context, tillID string, version int64) error {
	_, err := s.db.ExecContext(ctx, "UPDATE tills SET config_version_seen = ?, last_sync_at = ? WHERE id = ? AND config_version_seen <> ?",
		version, formatTime(s.now()), tillID, version)
	if err != nil {
		return fmt.Errorf("record config version %d of till %s: %w", version, tillID, err)
	}
	return nil
}
