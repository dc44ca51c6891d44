// Package boot assembles a till from its parts: the database, the catalogue, the cached
// configuration, the fiscal printer, the payment terminals and the checkout. The desktop app
// and the headless commands share it, so they behave alike. It holds no UI and no business
// rule.
package boot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"till/app/checkout"
	"till/app/config"
	"till/app/invoicing"
	"till/fiscal"
	"till/fiscal/epson"
	"till/fiscal/memprinter"
	"till/pos"
	"till/pos/ecr17"
	"till/storage"
)

// DemoPrinterSerial is the serial of the in-process printer of demo mode.
const DemoPrinterSerial = "DEMO0000001"

// Options choose the till's devices.
type Options struct {
	DBPath         string
	PrinterURL     string        // an Epson RT (fpmate); empty: the in-process demo printer
	PrinterTimeout time.Duration // per request; 0: the driver's default
	ECRID          string        // this till's 8-digit id on the terminals; default 00000001
	// CourtesyInvoice prints a paper copy of every invoice on the RT printer.
	CourtesyInvoice bool
	// PrinterReprintByNumber turns on an ASSUMPTION beyond the printer contract: the Epson RT
	// reprints any document of its day by number (epson.Config.ReprintByNumber, fpmate
	// printContentByNumbers, docs/fiscal.md). Off, only the last document can be copied.
	PrinterReprintByNumber bool
}

// Till is an assembled till.
type Till struct {
	DB       *storage.DB
	Printer  fiscal.Printer
	Checkout *checkout.Checkout
	ECRID    string

	mu        sync.Mutex
	terminals map[string]pos.Terminal // by device id, opened on first use
}

// DefaultDBPath is the database in the user's data folder: $XDG_DATA_HOME/till/till.db, else
// ~/.local/share/till/till.db; on Windows %LOCALAPPDATA%\till\till.db (the folder Windows
// keeps per user and per machine, not roamed to other PCs: a till's database belongs to it).
func DefaultDBPath() (string, error) {
	return defaultDBPath(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

func defaultDBPath(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" && goos == "windows" {
		dir = getenv("LOCALAPPDATA")
	}
	if dir == "" {
		h, err := home()
		if err != nil {
			return "", fmt.Errorf("find the data folder: %w (pass -db PATH)", err)
		}
		dir = filepath.Join(h, ".local", "share")
	}
	return filepath.Join(dir, "till", "till.db"), nil
}

// Open opens the database at path with the demo printer; see OpenWith.
func Open(ctx context.Context, path string) (*Till, error) {
	return OpenWith(ctx, Options{DBPath: path})
}

// OpenWith opens (or creates) the database, seeds the demo catalogue when empty, and wires the
// printer: the Epson driver for PrinterURL, or the demo printer, which continues the document
// numbers already recorded.
func OpenWith(ctx context.Context, o Options) (*Till, error) {
	if err := os.MkdirAll(filepath.Dir(o.DBPath), 0o755); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	db, err := storage.Open(ctx, o.DBPath)
	if err != nil {
		return nil, err
	}
	if _, err := db.SeedDemo(ctx); err != nil {
		db.Close()
		return nil, err
	}
	var printer fiscal.Printer
	if o.PrinterURL != "" {
		url, serial, perr := epson.SplitAddress(o.PrinterURL)
		if perr != nil {
			db.Close()
			return nil, perr
		}
		if printer, err = epson.New(epson.Config{URL: url, Timeout: o.PrinterTimeout, Serial: serial,
			ReprintByNumber: o.PrinterReprintByNumber}); err != nil {
			db.Close()
			return nil, fmt.Errorf("printer %s: %w", o.PrinterURL, err)
		}
	} else {
		z, n, err := db.LastReceipt(ctx, DemoPrinterSerial)
		if err != nil {
			db.Close()
			return nil, err
		}
		printer = memprinter.NewAt(DemoPrinterSerial, z, n)
	}
	if o.ECRID == "" {
		o.ECRID = "00000001"
	}
	t := &Till{
		DB:        db,
		Printer:   printer,
		ECRID:     o.ECRID,
		terminals: map[string]pos.Terminal{},
	}
	t.Checkout = &checkout.Checkout{Printer: printer, Journal: db, Devices: t, Invoices: invoicing.FatturaPA{}, NewID: storage.NewID, Now: time.Now,
		CourtesyInvoice: o.CourtesyInvoice}
	return t, nil
}

// Close closes the terminals and the database.
func (t *Till) Close() error {
	t.mu.Lock()
	for _, term := range t.terminals {
		if c, ok := term.(interface{ Close() error }); ok {
			c.Close()
		}
	}
	t.terminals = map[string]pos.Terminal{}
	t.mu.Unlock()
	return t.DB.Close()
}

// Config returns the cached configuration (nil when none).
func (t *Till) Config(ctx context.Context) (*config.Document, error) {
	doc, _, err := t.DB.LoadConfig(ctx)
	return doc, err
}

// Terminal returns the terminal of a payment device of the cached configuration, opening its
// link on first use. A device that left the configuration is refused.
func (t *Till) Terminal(ctx context.Context, deviceID string) (pos.Terminal, error) {
	d, err := t.Device(ctx, deviceID)
	return d.Terminal, err
}

// Device implements checkout.Devices: a payment device of the cached configuration, with its
// terminal opened, whether it serves this till alone, and its own timeout.
func (t *Till) Device(ctx context.Context, deviceID string) (checkout.Device, error) {
	doc, err := t.Config(ctx)
	if err != nil {
		return checkout.Device{}, err
	}
	if doc == nil {
		return checkout.Device{}, fmt.Errorf("no configuration: no payment device %s", deviceID)
	}
	for _, dev := range doc.PaymentDevices {
		if dev.ID == deviceID {
			return t.DeviceFor(ctx, doc, dev)
		}
	}
	return checkout.Device{}, fmt.Errorf("payment device %s is not in the configuration", deviceID)
}

// DeviceFor is a device as the caller saw it in doc (the payment screen keeps the configuration
// it showed, so one arriving during a payment applies only to the next).
func (t *Till) DeviceFor(ctx context.Context, doc *config.Document, dev config.Device) (checkout.Device, error) {
	term, err := t.OpenTerminal(ctx, dev)
	if err != nil {
		return checkout.Device{}, err
	}
	profile, err := pos.ProfileFor(dev.Model)
	if err == nil {
		profile, err = profile.With(dev.Profile)
	}
	if err != nil {
		return checkout.Device{}, fmt.Errorf("payment device %s (%s): %w", dev.Name, dev.TerminalID, err)
	}
	exclusive := len(dev.EnabledTills) == 1 && dev.EnabledTills[0] == doc.Till.ID
	return checkout.Device{ID: dev.ID, Name: dev.Name, TerminalID: dev.TerminalID, Exclusive: exclusive,
		WorkTimeout: profile.ResultTimeout, Terminal: term}, nil
}

// OpenTerminal returns the terminal of a device as the caller saw it in the configuration (the
// payment screen keeps the device it showed, so a configuration that arrives during a payment
// applies only to the next one). Terminals are opened once per link and Terminal ID.
func (t *Till) OpenTerminal(ctx context.Context, dev config.Device) (pos.Terminal, error) {
	key := dev.ID + "|" + dev.Link + "|" + dev.TerminalID + "|" + fmt.Sprint(dev.Profile)
	t.mu.Lock()
	defer t.mu.Unlock()
	if term, ok := t.terminals[key]; ok {
		return term, nil
	}
	term, err := ecr17.Open(ctx, dev.Model, dev.Link, dev.TerminalID, t.ECRID, dev.Profile)
	if err != nil {
		return nil, fmt.Errorf("payment device %s (%s): %w", dev.Name, dev.TerminalID, err)
	}
	t.terminals[key] = term
	return term, nil
}

// Returns does refunds and voids by reference (and credit notes for invoices) on this till's
// printer; nil when the printer cannot print them (the demo printer).
func (t *Till) Returns() *checkout.Returns {
	p, ok := t.Printer.(checkout.ReturnPrinter)
	if !ok {
		return nil
	}
	return &checkout.Returns{Checkout: t.Checkout, Journal: t.DB, Printer: p, CreditNotes: invoicing.CreditNotes{}}
}
