package configcli_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"till/app/config"
	"till/app/configcli"
	"till/storage"
)

// Import a document, then run from the cached copy; a bad file leaves that copy in force.
func ExampleImport() {
	dir, _ := os.MkdirTemp("", "till")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(dir, "till.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	good := filepath.Join(dir, "config.json")
	os.WriteFile(good, []byte(`{"format": 1, "version": 7,
		"account": {"id": "acc-1", "coverflex_enabled": true},
		"sales_point": {"id": "sp-1", "coverflex_visible": true, "coverflex_merchant_id": "CFX0001234"},
		"till": {"id": "till-1"}, "tills": [{"id": "till-1"}],
		"payment_devices": [{"id": "dev-1", "model": "Ingenico_EMW", "terminal_id": "12345678",
			"link": "tcp://127.0.0.1:9100", "enabled_tills": ["till-1"]}]}`), 0o644)
	if _, err := configcli.Import(ctx, db, good); err != nil {
		fmt.Println(err)
		return
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"format": 1, "version": 8, "till": {"id": "till-1"}, "tills": [{"id": "till-1"}],
		"payment_devices": [{"model": "Ingenico_EMW", "terminal_id": "1234", "link": "tcp://127.0.0.1:9100"}]}`), 0o644)
	_, err = configcli.Import(ctx, db, bad)
	var fe *config.FieldError
	if errors.As(err, &fe) {
		fmt.Println("refused:", fe.Field, fe.Code)
	}

	doc, _, _ := db.LoadConfig(ctx)
	fmt.Println("version", doc.Version, "offered", config.Coverflex(doc).Offered)
	// Output:
	// refused: payment_devices[0].terminal_id format
	// version 7 offered true
}
