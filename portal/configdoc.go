package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ConfigDoc is the configuration document of docs/spec/config.md for one till.
type ConfigDoc struct {
	Format         int           `json:"format"`
	Version        int64         `json:"version"`
	Account        ConfigAccount `json:"account"`
	SalesPoint     ConfigSalesPt `json:"sales_point"`
	Till           ConfigTill    `json:"till"`
	Tills          []ConfigTill  `json:"tills"`
	PaymentDevices []Device      `json:"payment_devices"`
}

// ConfigAccount is the account part of the document (step 1).
type ConfigAccount struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	CoverflexEnabled bool   `json:"coverflex_enabled"`
}

// ConfigSalesPt is the sales point part of the document (steps 2 and 3).
type ConfigSalesPt struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	CoverflexVisible    bool   `json:"coverflex_visible"`
	CoverflexMerchantID string `json:"coverflex_merchant_id"`
}

// ConfigTill names a till in the document.
type ConfigTill struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ConfigFor builds the document for a till. The parts are read by separate queries, so the
// version is read before and after and the read is repeated if a change slipped in between:
// a document must never carry a version it does not match.
func (s *Store) ConfigFor(ctx context.Context, till TillIdentity) (ConfigDoc, error) {
	for range 5 {
		doc, err := s.readConfig(ctx, till)
		if err != nil {
			return ConfigDoc{}, err
		}
		v, err := s.version(ctx, till.SalesPointID)
		if err != nil {
			return ConfigDoc{}, err
		}
		if v == doc.Version {
			return doc, nil
		}
	}
	return ConfigDoc{}, fmt.Errorf("config of till %s: changing too fast to read", till.TillID)
}

func (s *Store) version(ctx context.Context, salesPointID string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, "SELECT version FROM sales_points WHERE id = ?", salesPointID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return v, err
}

func (s *Store) readConfig(ctx context.Context, till TillIdentity) (ConfigDoc, error) {
	doc := ConfigDoc{Format: 1}
	acc, err := s.Account(ctx, till.AccountID)
	if err != nil {
		return ConfigDoc{}, err
	}
	doc.Account = ConfigAccount{ID: acc.ID, Name: acc.Name, CoverflexEnabled: acc.CoverflexEnabled}
	sp, err := s.SalesPoint(ctx, till.AccountID, till.SalesPointID)
	if err != nil {
		return ConfigDoc{}, err
	}
	doc.Version = sp.Version
	doc.SalesPoint = ConfigSalesPt{ID: sp.ID, Name: sp.Name, CoverflexVisible: sp.CoverflexVisible, CoverflexMerchantID: sp.CoverflexMerchantID}
	tills, err := s.Tills(ctx, sp.ID)
	if err != nil {
		return ConfigDoc{}, err
	}
	doc.Tills = []ConfigTill{}
	for _, t := range tills {
		ct := ConfigTill{ID: t.ID, Name: t.Name}
		doc.Tills = append(doc.Tills, ct)
		if t.ID == till.TillID {
			doc.Till = ct
		}
	}
	if doc.Till.ID == "" {
		return ConfigDoc{}, ErrNotFound
	}
	// Other models cannot take Coverflex and a till would refuse a document listing them.
	devices, err := s.Devices(ctx, sp.ID, true)
	if err != nil {
		return ConfigDoc{}, err
	}
	// A device registered by a till but still without its Terminal ID (step 4 not done) cannot
	// exchange amounts, and a till refuses a document with a device missing it: it is left out
	// until the owner sets it.
	doc.PaymentDevices = []Device{}
	for _, d := range devices {
		if d.TerminalID != "" {
			doc.PaymentDevices = append(doc.PaymentDevices, d)
		}
	}
	return doc, nil
}
