package portal

import (
	"context"
	"fmt"
)

// DemoInfo is what SeedDemo created: enough to log in and to activate both tills.
type DemoInfo struct {
	Email          string     `json:"email"`
	Password       string     `json:"password"`
	AccountID      string     `json:"account_id"`
	SalesPointID   string     `json:"sales_point_id"`
	SalesPointName string     `json:"sales_point_name"`
	MerchantID     string     `json:"merchant_id"`
	DeviceID       string     `json:"device_id"`
	TerminalID     string     `json:"terminal_id"`
	Tills          []DemoTill `json:"tills"`
}

// DemoTill is one demo till with its one-time activation code.
type DemoTill struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	ActivationCode string `json:"activation_code"`
}

// SeedDemo creates a demo account with a fresh e-mail and password, a sales point "Milano
// Centro" with the tills "Cassa 1" and "Cassa 2", and one Ingenico terminal. Coverflex is fully
// configured (enabled, visible, Merchant ID, Terminal ID, both tills enabled) so an activated
// till offers it at once. Each call makes a new account, so tests can seed several.
func SeedDemo(ctx context.Context, s *Store) (DemoInfo, error) {
	suffix := randomToken(4)
	info := DemoInfo{
		Email:      "demo-" + suffix + "@esempio.it",
		Password:   "demo-" + randomToken(6),
		MerchantID: "CFX" + suffix,
		DeviceID:   "demo-pos-1",
		TerminalID: "12345678",
	}
	acc, err := s.CreateAccount(ctx, "Bar Demo "+suffix, info.Email, info.Password)
	if err != nil {
		return DemoInfo{}, fmt.Errorf("seed demo: %w", err)
	}
	info.AccountID = acc.ID
	sp, err := s.CreateSalesPoint(ctx, acc.ID, "Milano Centro")
	if err != nil {
		return DemoInfo{}, fmt.Errorf("seed demo: %w", err)
	}
	info.SalesPointID, info.SalesPointName = sp.ID, sp.Name
	var tillIDs []string
	for _, name := range []string{"Cassa 1", "Cassa 2"} {
		t, err := s.CreateTill(ctx, acc.ID, sp.ID, name)
		if err != nil {
			return DemoInfo{}, fmt.Errorf("seed demo: %w", err)
		}
		code, err := s.NewActivationCode(ctx, acc.ID, t.ID)
		if err != nil {
			return DemoInfo{}, fmt.Errorf("seed demo: %w", err)
		}
		tillIDs = append(tillIDs, t.ID)
		info.Tills = append(info.Tills, DemoTill{ID: t.ID, Name: t.Name, ActivationCode: code})
	}
	// The terminal is registered as if Cassa 1 had added it in its payment settings.
	_, err = s.RegisterDevices(ctx, TillIdentity{TillID: tillIDs[0], SalesPointID: sp.ID, AccountID: acc.ID},
		[]Device{{ID: info.DeviceID, Name: "POS banco", Model: ModelIngenicoEMW, Link: "tcp://127.0.0.1:9100"}})
	if err != nil {
		return DemoInfo{}, fmt.Errorf("seed demo: %w", err)
	}
	steps := []func() error{
		func() error { return s.SetCoverflexEnabled(ctx, acc.ID, true) },
		func() error { return s.SetVisible(ctx, acc.ID, sp.ID, true) },
		func() error { return s.SetMerchantID(ctx, acc.ID, sp.ID, info.MerchantID) },
		func() error { return s.ConfigureDevice(ctx, acc.ID, sp.ID, info.DeviceID, info.TerminalID, tillIDs) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return DemoInfo{}, fmt.Errorf("seed demo: %w", err)
		}
	}
	return info, nil
}
