// Package boot assembles a till from its parts: the database, the catalogue, the fiscal printer
// and the checkout. The desktop app and the headless commands share it, so they behave alike.
// It holds no UI and no business rule.
package boot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"till/app/checkout"
	"till/fiscal"
	"till/fiscal/memprinter"
	"till/storage"
)

// DemoPrinterSerial is the serial of the in-process printer of demo mode.
const DemoPrinterSerial = "DEMO0000001"

// Till is an assembled till.
type Till struct {
	DB       *storage.DB
	Printer  fiscal.Printer
	Checkout *checkout.Checkout
}

// DefaultDBPath is the database in the user's data folder ($XDG_DATA_HOME/till/till.db, or
// ~/.local/share/till/till.db).
func DefaultDBPath() (string, error) {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the data folder: %w (pass -db PATH)", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "till", "till.db"), nil
}

// Open opens the database at path (creating its folder), seeds the demo catalogue when empty,
// and wires the demo printer, which continues the document numbers already recorded.
func Open(ctx context.Context, path string) (*Till, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	db, err := storage.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := db.SeedDemo(ctx); err != nil {
		db.Close()
		return nil, err
	}
	z, n, err := db.LastReceipt(ctx, DemoPrinterSerial)
	if err != nil {
		db.Close()
		return nil, err
	}
	printer := memprinter.NewAt(DemoPrinterSerial, z, n)
	return &Till{
		DB:       db,
		Printer:  printer,
		Checkout: &checkout.Checkout{Printer: printer, Journal: db, NewID: storage.NewID, Now: time.Now},
	}, nil
}

// Close closes the database.
func (t *Till) Close() error { return t.DB.Close() }
