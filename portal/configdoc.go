package portal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"till/app/config"
)

// ConfigDoc is the configuration document of docs/spec/config.md for one till. It is declared
// once, in app/config, for the portal that serves it and the till that runs on it.
type ConfigDoc = config.Document

// ConfigFor builds the document for a till. The parts are read by separate queries, so the
// version is read before and after and the read is repeated if a change slipped in between:
// a document must never carry a version it does not match. The document is then checked with
// the till's own rules (config.Check): one the tills would refuse is never served, since a
// till refusing it keeps an older copy and stops taking the portal's changes.
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
		if v != doc.Version {
			continue
		}
		if err := config.Check(&doc); err != nil {
			return ConfigDoc{}, fmt.Errorf("config of till %s, version %d, would be refused by the till: %w", till.TillID, doc.Version, err)
		}
		return doc, nil
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
	doc := ConfigDoc{Format: config.Format}
	acc, err := s.Account(ctx, till.AccountID)
	if err != nil {
		return ConfigDoc{}, err
	}
	doc.Account = config.Account{ID: acc.ID, Name: acc.Name, CoverflexEnabled: acc.CoverflexEnabled}
	sp, err := s.SalesPoint(ctx, till.AccountID, till.SalesPointID)
	if err != nil {
		return ConfigDoc{}, err
	}
	doc.Version = sp.Version
	doc.SalesPoint = config.SalesPoint{ID: sp.ID, Name: sp.Name, CoverflexVisible: sp.CoverflexVisible, CoverflexMerchantID: sp.CoverflexMerchantID}
	tills, err := s.Tills(ctx, sp.ID)
	if err != nil {
		return ConfigDoc{}, err
	}
	doc.Tills = []config.Till{}
	for _, t := range tills {
		ct := config.Till{ID: t.ID, Name: t.Name}
		doc.Tills = append(doc.Tills, ct)
		if t.ID == till.TillID {
			doc.Till = ct
		}
	}
	if doc.Till.ID == "" {
		return ConfigDoc{}, ErrNotFound
	}
	// Only the Coverflex models are served: the till would list another model but never use
	// it, and the portal has nothing of it to configure.
	devices, err := s.Devices(ctx, sp.ID, true)
	if err != nil {
		return ConfigDoc{}, err
	}
	doc.PaymentDevices = []config.Device{}
	for _, d := range devices {
		if servable(d) {
			doc.PaymentDevices = append(doc.PaymentDevices, d)
		}
	}
	return doc, nil
}

// servable tells whether a device may be in a till's document. A device registered by a till
// but still without its Terminal ID (step 4 not done) cannot exchange amounts, and a device
// whose link breaks the rule (stored before the portal checked links) cannot be dialled: both
// are left out, rather than making every till of the sales point refuse the whole document,
// until the owner completes or corrects them (step 4 says what is wrong).
func servable(d Device) bool { return d.TerminalID != "" && d.Validate() == nil }
