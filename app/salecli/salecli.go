// Package salecli is `till sale`: a whole sale without a window, on the same checkout core as
// the desktop till, for scripting, support and the crash tests. It parses arguments and
// prints; every decision is the checkout's.
package salecli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"till/app/boot"
	"till/app/checkout"
	"till/app/config"
	"till/app/configcli"
	"till/fiscal"
	"till/money"
	"till/pos"
	"till/storage"
)

const usage = `uso / usage: till sale --db PATH [--config PATH] --line "DESCRIZIONE;QTA;PREZZO;REPARTO" ...
       --pay coverflex[:IMPORTO] [--terminal TERMINAL_ID] --pay card[:IMPORTO] --pay cash[:IMPORTO]
       --document receipt|invoice [--customer-vat P.IVA --customer-cf CF --customer-name NOME
       --customer-address "VIA, CAP, CITTÀ, PR" --customer-sdi CODICE] [--printer URL] [--json]
`

// CrashEnv names the step at which the process kills itself (SIGKILL): fault injection for the
// crash tests, never set in production.
const CrashEnv = "TILL_CRASH_AT"

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

type options struct {
	db, configPath, printer, terminal, document, resume string
	printerTimeout                                      time.Duration
	courtesy                                            bool
	lines, pays                                         multi
	customer                                            customerFlags
	json                                                bool
}

// Run runs `till sale` with args (after "sale"); exit 0 documented, 1 declined or refused,
// 2 unknown outcome or error.
func Run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("till sale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	fs.StringVar(&o.db, "db", "", "database file")
	fs.StringVar(&o.configPath, "config", "", "configuration document to import first")
	fs.StringVar(&o.printer, "printer", "", "Epson RT printer URL (default: the demo printer)")
	fs.StringVar(&o.terminal, "terminal", "", "Terminal ID when several terminals are enabled")
	fs.StringVar(&o.document, "document", "receipt", "receipt or invoice")
	fs.Var(&o.lines, "line", `a line "DESCRIPTION;QTY;PRICE;DEPT" (repeatable)`)
	fs.Var(&o.pays, "pay", "cash[:AMOUNT], card[:AMOUNT] or coverflex[:AMOUNT] (repeatable, in order)")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	fs.StringVar(&o.resume, "resume", "", "complete the pending sale with this id instead of a new one")
	fs.BoolVar(&o.courtesy, "courtesy-invoice", false, "also print a paper copy of the invoice on the RT printer")
	fs.DurationVar(&o.printerTimeout, "printer-timeout", 0, "how long to wait for the printer (default 20s)")
	o.customer.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.db == "" || (len(o.lines) == 0 && o.resume == "") || len(o.pays) == 0 || fs.NArg() > 0 {
		fmt.Fprint(stderr, "mancano --db, --line o --pay / missing --db, --line or --pay\n"+usage)
		return 2
	}
	if o.document != "receipt" && o.document != "invoice" {
		fmt.Fprintf(stderr, "--document %q: usa receipt o invoice / use receipt or invoice\n", o.document)
		return 2
	}
	out := &printer{w: stdout, json: o.json}
	code, err := run(context.Background(), o, out, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
	}
	return code
}

func run(ctx context.Context, o options, out *printer, stderr io.Writer) (int, error) {
	t, err := boot.OpenWith(ctx, boot.Options{DBPath: o.db, PrinterURL: o.printer, PrinterTimeout: o.printerTimeout,
		CourtesyInvoice: o.courtesy})
	if err != nil {
		return 2, err
	}
	defer t.Close()
	t.Checkout.Step = crashAt(os.Getenv(CrashEnv))
	if o.configPath != "" {
		if _, err := configcli.Import(ctx, t.DB, o.configPath); err != nil {
			return 2, fmt.Errorf("configurazione non importata / configuration not imported: %w", err)
		}
	}
	rec, err := t.Checkout.Recover(ctx, t.DB, func(dev string) (pos.Terminal, error) { return t.Terminal(ctx, dev) })
	if err != nil {
		return 2, fmt.Errorf("recovery: %w", err)
	}
	for _, p := range rec.Problems {
		fmt.Fprintf(stderr, "attenzione / warning: %v\n", p)
	}
	if len(rec.Resolved)+len(rec.Documented)+len(rec.Unresolved)+len(rec.Pending) > 0 {
		fmt.Fprintf(stderr, "recupero / recovery: %d resolved, %d documented, %d unresolved, %d pending\n",
			len(rec.Resolved), len(rec.Documented), len(rec.Unresolved), len(rec.Pending))
	}
	deps, err := t.DB.Departments(ctx)
	if err != nil {
		return 2, err
	}
	sale := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now()}
	if o.resume != "" {
		if sale, err = t.DB.LoadSale(ctx, o.resume); err != nil {
			return 2, fmt.Errorf("vendita / sale %s: %w", o.resume, err)
		}
	}
	for _, l := range o.lines {
		line, err := parseLine(l, deps)
		if err != nil {
			return 2, err
		}
		sale.Lines = append(sale.Lines, line)
	}
	if sale.Total() > money.MaxAmount {
		return 2, checkout.ErrAmountTooLarge
	}
	doc, err := t.Config(ctx)
	if err != nil {
		return 2, err
	}
	var tendered money.Cents
	for _, p := range o.pays {
		method, amount, err := parsePay(p)
		if err != nil {
			return 2, err
		}
		if method == fiscal.Cash {
			tendered = amount
			continue
		}
		due, _, err := t.Checkout.Due(ctx, sale)
		if err != nil {
			return 2, err
		}
		if amount == 0 || amount > due {
			amount = due
		}
		dev, err := pickTerminal(doc, method, o.terminal)
		if err != nil {
			return 2, err
		}
		term, err := t.Terminal(ctx, dev.ID)
		if err != nil {
			return 2, err
		}
		req := checkout.ElectronicRequest{Method: method, Amount: amount, DeviceID: dev.ID, TerminalID: dev.TerminalID,
			Terminal: term, Progress: progress(stderr, t.Checkout.Step)}
		if method == fiscal.Coverflex {
			req.MerchantID = doc.SalesPoint.CoverflexMerchantID
		}
		a, err := t.Checkout.PayElectronic(ctx, sale, req)
		if err != nil {
			return finishFailed(ctx, t, sale, a, err, out)
		}
	}
	due, _, err := t.Checkout.Due(ctx, sale)
	if err != nil {
		return 2, err
	}
	if due > 0 && tendered == 0 {
		tendered = due // cash with no amount: the exact rest
	}
	var done checkout.Completed
	if o.document == "invoice" {
		done, err = completeInvoice(ctx, t, sale, tendered, o.customer)
	} else {
		done, err = t.Checkout.Complete(ctx, sale, tendered)
	}
	if err != nil {
		code := 2
		if errors.Is(err, checkout.ErrTenderTooLow) || errors.Is(err, fiscal.ErrRefused) || errors.Is(err, fiscal.ErrNotReady) {
			code = 1
		}
		out.sale(ctx, t.DB, sale.ID, 0)
		return code, err
	}
	return 0, out.sale(ctx, t.DB, done.SaleID, done.Change)
}

// finishFailed reports a payment that was not approved: a sale with nothing approved is
// cancelled; one holding approved payments stays pending for the cashier.
func finishFailed(ctx context.Context, t *boot.Till, sale *checkout.Sale, a *checkout.Attempt, err error, out *printer) (int, error) {
	code := 2
	if errors.Is(err, checkout.ErrDeclined) {
		code = 1
	}
	attempts, aerr := t.DB.SaleAttempts(ctx, sale.ID)
	if aerr == nil && checkout.Approved(attempts) == 0 && !errors.Is(err, checkout.ErrUnresolved) && a != nil {
		if cerr := t.DB.CancelSale(ctx, sale.ID, "headless sale: payment not approved"); cerr != nil {
			return 2, fmt.Errorf("%v; cancel: %w", err, cerr)
		}
	}
	if a != nil {
		out.sale(ctx, t.DB, sale.ID, 0)
	}
	if a != nil && a.TerminalText != "" {
		return code, fmt.Errorf("%w: %s", err, a.TerminalText)
	}
	return code, err
}

// pickTerminal chooses the device for an electronic payment: the only one enabled for this
// till, or the one named by --terminal; with several and no choice it fails with the list, as
// the UI would prompt.
func pickTerminal(doc *config.Document, method fiscal.PaymentMethod, terminalID string) (config.Device, error) {
	if doc == nil {
		return config.Device{}, errors.New("nessuna configurazione: importala con --config / no configuration: import one with --config")
	}
	devices := doc.TerminalsFor(doc.Till.ID)
	if method == fiscal.Coverflex {
		if a := config.Coverflex(doc); !a.Offered {
			return config.Device{}, fmt.Errorf("Coverflex non disponibile su questa cassa / not offered on this till: %v", a.Failing)
		}
	}
	if terminalID != "" {
		for _, d := range devices {
			if d.TerminalID == terminalID {
				return d, nil
			}
		}
		return config.Device{}, fmt.Errorf("terminale %s non abilitato su questa cassa / terminal not enabled on this till", terminalID)
	}
	switch len(devices) {
	case 0:
		return config.Device{}, errors.New("nessun terminale abilitato su questa cassa / no terminal enabled on this till")
	case 1:
		return devices[0], nil
	}
	var list []string
	for _, d := range devices {
		list = append(list, fmt.Sprintf("%s (%s, %s)", d.TerminalID, d.Name, d.Model))
	}
	return config.Device{}, fmt.Errorf("più terminali abilitati, scegli con --terminal / several terminals enabled, choose with --terminal: %s",
		strings.Join(list, "; "))
}

func parseLine(s string, deps []checkout.Department) (checkout.Line, error) {
	parts := strings.Split(s, ";")
	if len(parts) != 4 {
		return checkout.Line{}, fmt.Errorf("--line %q: usa DESCRIZIONE;QTA;PREZZO;REPARTO / want DESCRIPTION;QTY;PRICE;DEPT", s)
	}
	qty, err := parseQty(parts[1])
	if err != nil {
		return checkout.Line{}, fmt.Errorf("--line %q: quantità / quantity: %w", s, err)
	}
	price, err := money.Parse(parts[2])
	if err != nil || price <= 0 || price > money.MaxAmount {
		return checkout.Line{}, fmt.Errorf("--line %q: prezzo non valido / bad price (0,01 … 99.999,99)", s)
	}
	for _, d := range deps {
		if strconv.Itoa(d.Number) == strings.TrimSpace(parts[3]) || strings.EqualFold(d.Name, strings.TrimSpace(parts[3])) {
			return checkout.Line{Description: strings.TrimSpace(parts[0]), QtyMilli: qty, UnitPrice: price, Department: d}, nil
		}
	}
	return checkout.Line{}, fmt.Errorf("--line %q: reparto %q sconosciuto / unknown department", s, parts[3])
}

// parseQty reads "2", "0,5" or "1.25" as thousandths.
func parseQty(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 3 {
		return 0, errors.New("at most 3 decimals")
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 9999 {
		return 0, errors.New("not a number from 0 to 9999")
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt((frac + "00")[:3], 10, 64); err != nil {
			return 0, errors.New("not a number")
		}
	}
	if q := w*1000 + f; q > 0 {
		return q, nil
	}
	return 0, errors.New("must be above 0")
}

func parsePay(s string) (fiscal.PaymentMethod, money.Cents, error) {
	name, amount, hasAmount := strings.Cut(s, ":")
	method := fiscal.PaymentMethod(strings.ToLower(strings.TrimSpace(name)))
	if method != fiscal.Cash && method != fiscal.Card && method != fiscal.Coverflex {
		return "", 0, fmt.Errorf("--pay %q: usa cash, card o coverflex / use cash, card or coverflex", s)
	}
	if !hasAmount {
		return method, 0, nil
	}
	v, err := money.Parse(amount)
	if err != nil || v <= 0 || v > money.MaxAmount*10 {
		return "", 0, fmt.Errorf("--pay %q: importo non valido / bad amount", s)
	}
	return method, v, nil
}

// crashAt returns a step hook that kills the process with SIGKILL at the named step.
func crashAt(step string) func(string) {
	if step == "" {
		return nil
	}
	return func(name string) {
		if name == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // SIGKILL is not instant: never run past the step
		}
	}
}

// progress prints the terminal's texts and reports the first one as the step "request-left":
// the terminal has acknowledged the request.
func progress(w io.Writer, step func(string)) func(pos.Event) {
	first := true
	return func(e pos.Event) {
		if e.Kind == pos.EventProgress {
			fmt.Fprintf(w, "POS: %s\n", strings.TrimSpace(e.Text))
		}
		if first && step != nil {
			first = false
			step("request-left")
		}
	}
}
