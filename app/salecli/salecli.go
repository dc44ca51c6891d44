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
	"strings"
	"time"

	"till/app/boot"
	"till/app/checkout"
	"till/app/configcli"
	"till/app/errtext"
	"till/app/opauth"
	"till/fiscal"
	"till/internal/crash"
	"till/internal/i18n"
	"till/pos"
	"till/storage"
)

// usage is the command's help, in the run's language; the flags are the same in both.
func usage() string { return i18n.T("cli.sale.usage") }

// CrashEnv names the step at which the process kills itself (SIGKILL): fault injection for the
// crash tests, never set in production.
const CrashEnv = "TILL_CRASH_AT"

// Exit statuses, as documented: documented or approved, declined or refused, unknown or error.
const (
	exitOK      = 0
	exitRefused = 1
	exitUnknown = 2
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

type options struct {
	db, configPath, printer, terminal, document, resume, printed string
	slip, manager, operator                                      string
	discount                                                     string
	notPrinted, confirmDiscount                                  bool
	printerTimeout                                               time.Duration
	courtesy                                                     bool
	lines, pays                                                  multi
	customer                                                     customerFlags
	json                                                         bool
}

// Run runs `till sale` with args (after "sale"); exit 0 documented, 1 declined or refused,
// 2 unknown outcome (a payment or a receipt) or error.
func Run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("till sale", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.db, "db", "", "database file")
	fs.StringVar(&o.configPath, "config", "", "configuration document to import first")
	fs.StringVar(&o.printer, "printer", "", "Epson RT printer URL (default: the demo printer)")
	fs.StringVar(&o.terminal, "terminal", "", "Terminal ID when several terminals are enabled")
	fs.StringVar(&o.document, "document", "receipt", "receipt or invoice")
	fs.Var(&o.lines, "line", `a line "DESCRIPTION;QTY;PRICE;DEPT[;DISCOUNT]", DISCOUNT 10% or 1,50 (repeatable)`)
	fs.StringVar(&o.discount, "discount", "", "a discount on the whole sale, after the lines' own: 10% or 1,50")
	fs.BoolVar(&o.confirmDiscount, "confirm-discount", false, "confirm discounts over 50 %")
	fs.Var(&o.pays, "pay", "cash[:AMOUNT], card[:AMOUNT] or coverflex[:AMOUNT] (repeatable, in order)")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	fs.StringVar(&o.resume, "resume", "", "complete the pending sale with this id instead of a new one")
	fs.StringVar(&o.printed, "printed", "", "with --resume: the uncertain receipt was issued with this number ZZZZ-NNNN")
	fs.BoolVar(&o.notPrinted, "not-printed", false, "with --resume: the uncertain receipt was not issued; print it now")
	fs.StringVar(&o.slip, "slip", "", "with --resume, by a manager: settle the unknown payment from the terminal's slip, approved:STAN:AMOUNT[:AUTH] or declined")
	fs.StringVar(&o.manager, "manager", "", "the manager who read the slip (audit log), on a till without operators")
	fs.StringVar(&o.operator, "operator", "", "the operator's PIN, required when the till has operators")
	fs.BoolVar(&o.courtesy, "courtesy-invoice", false, "also print a paper copy of the invoice on the RT printer")
	fs.DurationVar(&o.printerTimeout, "printer-timeout", 0, "how long to wait for the printer (default 20s)")
	o.customer.register(fs)
	if err := fs.Parse(args); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err)+usage())
		return exitUnknown
	}
	answer := o.printed != "" || o.notPrinted || o.slip != ""
	switch {
	case o.slip != "" && (o.printed != "" || o.notPrinted):
		fmt.Fprint(stderr, i18n.T("cli.sale.usage.slip.alone")+"\n"+usage())
		return exitUnknown
	case o.db == "" || fs.NArg() > 0:
		fmt.Fprint(stderr, i18n.T("cli.usage.missing.db")+"\n"+usage())
		return exitUnknown
	case answer && (o.resume == "" || len(o.lines) > 0 || len(o.pays) > 0 || (o.printed != "" && o.notPrinted)):
		fmt.Fprint(stderr, i18n.T("cli.sale.usage.answer.alone")+"\n"+usage())
		return exitUnknown
	case !answer && ((len(o.lines) == 0 && o.resume == "") || len(o.pays) == 0):
		fmt.Fprint(stderr, i18n.T("cli.sale.usage.missing.line")+"\n"+usage())
		return exitUnknown
	}
	if o.document != "receipt" && o.document != "invoice" {
		fmt.Fprintln(stderr, i18n.T("cli.sale.usage.document", map[string]any{"Document": o.document}))
		return exitUnknown
	}
	out := &printer{w: stdout, json: o.json}
	code, err := run(context.Background(), o, out, stderr)
	if err != nil {
		fmt.Fprintln(stderr, explain(err))
	}
	return code
}

// person names who answers for an uncertain receipt in the audit log.
func person(op checkout.Operator) string {
	if op.ID != "" {
		return fmt.Sprintf("till sale (%s, operatore %d)", op.Name, op.Number)
	}
	if u := os.Getenv("USER"); u != "" {
		return "till sale (" + u + ")"
	}
	return "till sale"
}

// operator checks --operator before anything is saved, charged or printed: settling a payment
// by hand and discounts over 50 % are a manager's. A manager who settles by hand is named in
// the audit log by the PIN's operator, or by --manager on a till without operators.
func operator(ctx context.Context, t *boot.Till, o *options) (checkout.Operator, error) {
	op, err := opauth.Check(ctx, t.DB, o.operator, o.slip != "" || o.confirmDiscount)
	switch {
	case err != nil:
		return op, err
	case o.slip != "" && op.ID != "":
		o.manager = fmt.Sprintf("%s (operatore %d)", op.Name, op.Number)
	case o.slip != "" && o.manager == "":
		return op, errtext.Say("cli.sale.slip.needs.manager", nil)
	}
	return op, nil
}

func run(ctx context.Context, o options, out *printer, stderr io.Writer) (int, error) {
	t, err := boot.OpenWith(ctx, boot.Options{DBPath: o.db, PrinterURL: o.printer, PrinterTimeout: o.printerTimeout,
		CourtesyInvoice: o.courtesy})
	if err != nil {
		return exitUnknown, err
	}
	defer t.Close()
	op, err := operator(ctx, t, &o)
	if err != nil {
		return exitUnknown, err
	}
	t.Checkout.Step = crash.At(os.Getenv(CrashEnv))
	if o.configPath != "" {
		if _, err := configcli.Import(ctx, t.DB, o.configPath); err != nil {
			return exitUnknown, errtext.Wrap(err, "cli.err.config.not.imported", nil)
		}
	}
	rec, err := t.Checkout.Recover(ctx)
	if err != nil {
		return exitUnknown, errtext.Wrap(err, "cli.err.recovery", nil)
	}
	reportRecovery(stderr, rec)
	sale := &checkout.Sale{ID: storage.NewID(), StartedAt: time.Now()}
	if o.resume != "" {
		if code, done, err := resume(ctx, t, o, op, out); done {
			return code, err
		}
		if sale, err = t.DB.LoadSale(ctx, o.resume); err != nil {
			return exitUnknown, errtext.Wrap(err, "cli.sale.sale", map[string]any{"ID": o.resume})
		}
	}
	sale.Operator = op.Number // who finishes a resumed sale prints its receipt
	deps, err := t.DB.Departments(ctx)
	if err != nil {
		return exitUnknown, err
	}
	var fresh []checkout.Line
	for _, l := range o.lines {
		line, err := parseLine(l, deps)
		if err != nil {
			return exitUnknown, err
		}
		fresh = append(fresh, line)
	}
	sale.Lines = append(sale.Lines, fresh...)
	// Discounts out of range, or over 50 % unconfirmed, stop the sale before anything is saved,
	// charged or printed.
	if err := applyDiscounts(sale, fresh, o); err != nil {
		return exitUnknown, err
	}
	p, err := plan(ctx, t, o, sale)
	if err != nil {
		return exitCode(err), err
	}
	// Everything the sale needs is checked before a terminal is asked for money.
	if err := t.Checkout.Preflight(ctx, sale, p.Plan); err != nil {
		return exitCode(err), err
	}
	for _, e := range p.electronic {
		e.req.Plan = p.Plan
		e.req.Progress = progress(stderr, t.Checkout.Step)
		a, err := t.Checkout.PayElectronic(ctx, sale, e.req)
		if err != nil {
			return finishFailed(ctx, t, sale, a, err, out)
		}
		p.Plan.Electronic = p.Plan.Electronic[1:]
	}
	var done checkout.Completed
	if p.Customer != nil {
		done, err = t.Checkout.CompleteInvoice(ctx, sale, p.Tendered, *p.Customer, checkout.DemoSeller())
	} else {
		done, err = t.Checkout.Complete(ctx, sale, p.Tendered)
	}
	if err != nil {
		out.sale(ctx, t.DB, sale.ID, 0, nil)
		return exitCode(err), err
	}
	return exitOK, out.sale(ctx, t.DB, done.SaleID, done.Change, done.Warning)
}

// exitCode maps an error to the documented exit statuses.
func exitCode(err error) int {
	switch {
	case errors.Is(err, checkout.ErrDeclined), errors.Is(err, checkout.ErrTenderTooLow), errors.Is(err, checkout.ErrPrinterNotReady),
		errors.Is(err, fiscal.ErrRefused), errors.Is(err, fiscal.ErrNotReady):
		return exitRefused
	}
	return exitUnknown
}

// reportRecovery tells on stderr what the start-up recovery settled and what waits.
func reportRecovery(w io.Writer, rec checkout.Recovery) {
	for _, p := range rec.Problems {
		fmt.Fprintln(w, i18n.T("cli.warning", map[string]any{"Warning": errtext.Explain(p)}))
	}
	if len(rec.Resolved)+len(rec.Documented)+len(rec.Unresolved)+len(rec.Pending)+len(rec.Uncertain) > 0 {
		fmt.Fprintln(w, i18n.T("cli.sale.recovery", map[string]any{"Resolved": len(rec.Resolved), "Documented": len(rec.Documented),
			"Unresolved": len(rec.Unresolved), "Pending": len(rec.Pending), "Uncertain": len(rec.Uncertain)}))
	}
}

// finishFailed reports a payment that was not approved: a sale with nothing approved and
// nothing unknown is cancelled; one holding approved or unknown payments stays pending.
func finishFailed(ctx context.Context, t *boot.Till, sale *checkout.Sale, a *checkout.Attempt, err error, out *printer) (int, error) {
	code := exitCode(err)
	attempts, aerr := t.DB.SaleAttempts(ctx, sale.ID)
	open := false
	for _, x := range attempts {
		open = open || x.State.Unresolved()
	}
	if aerr == nil && a != nil && checkout.Approved(attempts) == 0 && !open {
		if cerr := t.DB.CancelSale(ctx, sale.ID, "headless sale: payment not approved"); cerr != nil {
			return exitUnknown, fmt.Errorf("%w; cancel: %w", err, cerr)
		}
	}
	if a != nil {
		out.sale(ctx, t.DB, sale.ID, 0, nil)
	}
	if a != nil && a.TerminalText != "" {
		return code, fmt.Errorf("%w: %s", err, a.TerminalText)
	}
	return code, err
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
