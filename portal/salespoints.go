package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"till/app/config"
)

// SalesPoint is a shop of an account with its Coverflex settings (steps 2 and 3).
type SalesPoint struct {
	ID                  string
	AccountID           string
	Name                string
	CoverflexVisible    bool
	CoverflexMerchantID string
	Version             int64
}

// Till is one till app installed in a sales point.
type Till struct {
	ID                string
	SalesPointID      string
	Name              string
	Activated         bool
	Revoked           bool
	LastSyncAt        time.Time // zero when it never synced
	ConfigVersionSeen int64
	PendingReported   int64 // -1 when the till never reported it
	// CatalogueVersionSeen is the catalogue version last served to the till, 0 when none.
	CatalogueVersionSeen int64
}

// CreateSalesPoint adds a sales point to an account.
func (s *Store) CreateSalesPoint(ctx context.Context, accountID, name string) (SalesPoint, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return SalesPoint{}, &ValidationError{"name", "Il nome del punto vendita è obbligatorio (al massimo 100 caratteri)."}
	}
	sp := SalesPoint{ID: newID(), AccountID: accountID, Name: name, Version: 1}
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO sales_points (id, account_id, name, created_at) SELECT CAST(? AS TEXT), id, CAST(? AS TEXT), CAST(? AS TEXT) FROM accounts WHERE id = ?",
		sp.ID, name, formatTime(s.now()), accountID)
	if err != nil {
		return SalesPoint{}, fmt.Errorf("create sales point: %w", err)
	}
	return s.SalesPoint(ctx, accountID, sp.ID)
}

// SalesPoint returns a sales point of the account; another account's is ErrNotFound.
func (s *Store) SalesPoint(ctx context.Context, accountID, id string) (SalesPoint, error) {
	var sp SalesPoint
	var visible int
	err := s.db.QueryRowContext(ctx, `SELECT id, account_id, name, coverflex_visible, coverflex_merchant_id, version
		FROM sales_points WHERE id = ? AND account_id = ?`, id, accountID).
		Scan(&sp.ID, &sp.AccountID, &sp.Name, &visible, &sp.CoverflexMerchantID, &sp.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return SalesPoint{}, ErrNotFound
	}
	if err != nil {
		return SalesPoint{}, fmt.Errorf("sales point %s: %w", id, err)
	}
	sp.CoverflexVisible = visible == 1
	return sp, nil
}

// SalesPoints lists the account's sales points by name.
func (s *Store) SalesPoints(ctx context.Context, accountID string) ([]SalesPoint, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, account_id, name, coverflex_visible, coverflex_merchant_id, version
		FROM sales_points WHERE account_id = ? ORDER BY name, id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("sales points: %w", err)
	}
	defer rows.Close()
	var out []SalesPoint
	for rows.Next() {
		var sp SalesPoint
		var visible int
		if err := rows.Scan(&sp.ID, &sp.AccountID, &sp.Name, &visible, &sp.CoverflexMerchantID, &sp.Version); err != nil {
			return nil, err
		}
		sp.CoverflexVisible = visible == 1
		out = append(out, sp)
	}
	return out, rows.Err()
}

// SetVisible is step 2: whether Coverflex is offered in this sales point.
func (s *Store) SetVisible(ctx context.Context, accountID, salesPointID string, visible bool) error {
	return s.updateSalesPoint(ctx, accountID, salesPointID, "coverflex_visible", boolInt(visible))
}

// ValidateMerchantID applies the configuration contract's rule (config.ValidMerchantID, the
// one the till parses with) and says in Italian what is wrong.
func ValidateMerchantID(id string) error {
	switch {
	case config.ValidMerchantID(id):
		return nil
	case strings.TrimSpace(id) == "":
		return &ValidationError{"merchant_id", "Inserisci il Merchant ID rilasciato da Coverflex."}
	case len(id) > 32:
		return &ValidationError{"merchant_id", "Il Merchant ID può avere al massimo 32 caratteri."}
	}
	return &ValidationError{"merchant_id", "Il Merchant ID può contenere solo lettere, cifre e simboli ASCII stampabili."}
}

// SetMerchantID is step 3: the Merchant ID Coverflex gave for this sales point.
func (s *Store) SetMerchantID(ctx context.Context, accountID, salesPointID, merchantID string) error {
	merchantID = strings.TrimSpace(merchantID)
	if err := ValidateMerchantID(merchantID); err != nil {
		return err
	}
	return s.updateSalesPoint(ctx, accountID, salesPointID, "coverflex_merchant_id", merchantID)
}

// updateSalesPoint sets one column of the account's sales point and bumps its version when the
// value really changed, so a till's ETag stays valid after a save that changed nothing.
func (s *Store) updateSalesPoint(ctx context.Context, accountID, salesPointID, column string, value any) error {
	return s.inTx(ctx, func(tx *txConn) error {
		// column is one of the constants above, never outside input.
		res, err := tx.ExecContext(ctx, "UPDATE sales_points SET "+column+" = ?, version = version + 1 WHERE id = ? AND account_id = ? AND "+column+" <> ?",
			value, salesPointID, accountID, value)
		if err != nil {
			return fmt.Errorf("update %s of %s: %w", column, salesPointID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var one int
		err = tx.QueryRowContext(ctx, "SELECT 1 FROM sales_points WHERE id = ? AND account_id = ?", salesPointID, accountID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
}

// CreateTill adds a till to one of the account's sales points.
func (s *Store) CreateTill(ctx context.Context, accountID, salesPointID, name string) (Till, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return Till{}, &ValidationError{"name", "Il nome della cassa è obbligatorio (al massimo 100 caratteri)."}
	}
	t := Till{ID: newID(), SalesPointID: salesPointID, Name: name, PendingReported: -1}
	err := s.inTx(ctx, func(tx *txConn) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO tills (id, sales_point_id, name, created_at)
			SELECT CAST(? AS TEXT), id, CAST(? AS TEXT), CAST(? AS TEXT) FROM sales_points WHERE id = ? AND account_id = ?`,
			t.ID, name, formatTime(s.now()), salesPointID, accountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return bumpVersion(ctx, tx, salesPointID) // the document lists the tills
	})
	if err != nil {
		return Till{}, fmt.Errorf("create till: %w", err)
	}
	return t, nil
}

const tillColumns = `t.id, t.sales_point_id, t.name, CASE WHEN t.token_hash IS NULL THEN 0 ELSE 1 END, t.revoked, t.last_sync_at,
	t.config_version_seen, COALESCE(t.pending_reported, -1), t.catalogue_version_seen`

func scanTill(sc interface{ Scan(...any) error }) (Till, error) {
	var t Till
	var activated, revoked int
	var last sql.NullString
	err := sc.Scan(&t.ID, &t.SalesPointID, &t.Name, &activated, &revoked, &last, &t.ConfigVersionSeen, &t.PendingReported,
		&t.CatalogueVersionSeen)
	t.Activated, t.Revoked, t.LastSyncAt = activated == 1, revoked == 1, parseTime(last)
	return t, err
}

// Till returns a till of the account; another account's is ErrNotFound.
func (s *Store) Till(ctx context.Context, accountID, tillID string) (Till, error) {
	t, err := scanTill(s.db.QueryRowContext(ctx, "SELECT "+tillColumns+
		" FROM tills t JOIN sales_points sp ON sp.id = t.sales_point_id WHERE t.id = ? AND sp.account_id = ?", tillID, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return Till{}, ErrNotFound
	}
	if err != nil {
		return Till{}, fmt.Errorf("till %s: %w", tillID, err)
	}
	return t, nil
}

// Tills lists the tills of a sales point by name. The caller has checked the sales point's owner.
func (s *Store) Tills(ctx context.Context, salesPointID string) ([]Till, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+tillColumns+" FROM tills t WHERE t.sales_point_id = ? ORDER BY t.name, t.id", salesPointID)
	if err != nil {
		return nil, fmt.Errorf("tills of %s: %w", salesPointID, err)
	}
	defer rows.Close()
	var out []Till
	for rows.Next() {
		t, err := scanTill(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
