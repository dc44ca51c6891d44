// Package refundcli is `till refund` and `till void`: documents of reso and annullo that refer
// to an original receipt (or, for an invoice, a FatturaPA credit note), and the money going
// back. It only parses flags, wires the till and prints; app/checkout decides.
package refundcli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"till/app/boot"
	"till/app/checkout"
	"till/app/errtext"
	"till/app/invoicing"
	"till/app/opauth"
	"till/fiscal"
	"till/internal/crash"
	"till/internal/i18n"
	"till/storage"
)

// Exit statuses.
const (
	exitOK      = 0
	exitRefused = 1 // the rules or the printer said no: nothing issued, no money moved
	exitUnknown = 2 // outcome unknown (a person must look), or an error, or bad usage
)

// CrashEnv names the step at which the process kills itself (SIGKILL): fault injection for the
// crash tests, as in `till sale`.
const CrashEnv = "TILL_CRASH_AT"

// RefundUsage and VoidUsage are the commands' help, in the run's language; the flags are the
// same in both.
func RefundUsage() string { return i18n.T("cli.refund.usage") }

// VoidUsage: see RefundUsage.
func VoidUsage() string { return i18n.T("cli.void.usage") }

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

type options struct {
	kind                           checkout.ReturnKind
	db, document, operator, printr string
	lines                          multi
	json, notPrinted               bool
	resume, printed                string
	printerTimeout                 time.Duration
}

// RunRefund runs `till refund ARGS…` and returns the exit code.
func RunRefund(args []string, stdout, stderr io.Writer) int {
	return run(checkout.KindRefund, args, stdout, stderr)
}

// RunVoid runs `till void ARGS…` and returns the exit code.
func RunVoid(args []string, stdout, stderr io.Writer) int {
	return run(checkout.KindVoid, args, stdout, stderr)
}

func run(kind checkout.ReturnKind, args []string, stdout, stderr io.Writer) int {
	o := options{kind: kind}
	usage := RefundUsage()
	if kind == checkout.KindVoid {
		usage = VoidUsage()
	}
	fs := flag.NewFlagSet("till "+string(kind), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.db, "db", "", "database file")
	fs.StringVar(&o.document, "document", "", "the original document: ZZZZ-NNNN (an invoice: N/YYYY)")
	fs.StringVar(&o.operator, "operator", "", "a manager's PIN")
	fs.StringVar(&o.printr, "printer", "", "Epson RT printer URL")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	fs.DurationVar(&o.printerTimeout, "printer-timeout", 0, "how long to wait for the printer (default 20s)")
	fs.StringVar(&o.resume, "resume", "", "settle the uncertain return with this id, from the paper or the printer's journal")
	fs.StringVar(&o.printed, "printed", "", "with --resume: its document was issued with this number ZZZZ-NNNN")
	fs.BoolVar(&o.notPrinted, "not-printed", false, "with --resume: its document was not issued")
	if kind == checkout.KindRefund {
		fs.Var(&o.lines, "line", "a line of the original, N (what is left of it) or N:QTY, e.g. 2:1 or 3:0,5 (repeatable; none: every line)")
	}
	if err := fs.Parse(args); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err)+usage)
		return exitUnknown
	}
	switch {
	case o.db == "" || fs.NArg() > 0:
		fmt.Fprint(stderr, i18n.T("cli.usage.missing.db")+"\n"+usage)
		return exitUnknown
	case o.resume != "" && ((o.printed == "") == !o.notPrinted || o.document != "" || len(o.lines) > 0):
		fmt.Fprint(stderr, i18n.T("cli.refund.usage.resume")+"\n"+usage)
		return exitUnknown
	case o.resume == "" && (o.document == "" || o.printr == "" || o.printed != "" || o.notPrinted):
		fmt.Fprint(stderr, i18n.T("cli.refund.usage.missing")+"\n"+usage)
		return exitUnknown
	}
	wanted, err := parseLines(o.lines)
	if err != nil {
		fmt.Fprintf(stderr, "%s\n%s", errtext.Text(err), usage)
		return exitUnknown
	}
	out := &report{w: stdout, json: o.json, kind: kind, original: o.document}
	if o.resume != "" {
		out.original = ""
	}
	r, err := do(context.Background(), o, wanted, stderr)
	code := exitCode(err)
	out.print(r, err, code)
	if err != nil && !o.json {
		fmt.Fprintln(stderr, explain(err))
	}
	return code
}

// parseLines reads "N" or "N:QTY" (N from 1, QTY with a comma or a dot, up to 3 decimals).
func parseLines(in []string) ([]checkout.Wanted, error) {
	var out []checkout.Wanted
	for _, s := range in {
		n, q, _ := strings.Cut(s, ":")
		pos, err := strconv.Atoi(n)
		if err != nil || pos < 1 {
			return nil, errtext.Say("cli.refund.line.number", map[string]any{"Line": s})
		}
		w := checkout.Wanted{Position: pos - 1}
		if q != "" {
			if w.QtyMilli, err = parseQty(q); err != nil {
				return nil, errtext.Say("cli.refund.line.quantity", map[string]any{"Line": s})
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// errBadQty is a quantity that is not from 0,001 to 9999 with at most 3 decimals.
var errBadQty = errors.New("bad quantity")

func parseQty(s string) (int64, error) {
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if len(frac) > 3 || whole == "" {
		return 0, errBadQty
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	frac += strings.Repeat("0", 3-len(frac))
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || w > 9999 || w*1000+f <= 0 {
		return 0, errBadQty
	}
	return w*1000 + f, nil
}

func do(ctx context.Context, o options, wanted []checkout.Wanted, stderr io.Writer) (*checkout.Return, error) {
	t, err := boot.OpenWith(ctx, boot.Options{DBPath: o.db, PrinterURL: o.printr, PrinterTimeout: o.printerTimeout})
	if err != nil {
		return nil, err
	}
	defer t.Close()
	// Who asks is checked before anything changes, recovery included.
	op, err := opauth.Check(ctx, t.DB, o.operator, true)
	if err != nil {
		return nil, err
	}
	co := &checkout.Checkout{Journal: t.DB, Devices: t, NewID: storage.NewID, Now: time.Now, Step: crash.At(os.Getenv(CrashEnv))}
	rs := &checkout.Returns{Checkout: co, Journal: t.DB, CreditNotes: invoicing.CreditNotes{}}
	open, err := rs.Recover(ctx)
	if err != nil {
		return nil, errtext.Wrap(err, "cli.err.recovery", nil)
	}
	for _, r := range open {
		data := map[string]any{"Kind": kindText(r.Kind), "ID": r.ID, "Original": r.Original.Label}
		if r.ID != o.resume && r.State != checkout.ReturnDocumented {
			fmt.Fprintln(stderr, i18n.T("cli.warning", map[string]any{"Warning": i18n.T("cli.refund.open.uncertain", data)}))
		} else if r.State == checkout.ReturnDocumented {
			fmt.Fprintln(stderr, i18n.T("cli.warning", map[string]any{"Warning": i18n.T("cli.refund.open.money", data)}))
		}
	}
	if o.resume != "" {
		return rs.SettleUncertain(ctx, o.resume, o.printed, op)
	}
	// The returns' own driver: the till's printer is a fiscal.Printer, and a return also asks
	// the printer (directIO 9205) before printing and prints the operator's number.
	drv, ok := t.Printer.(checkout.ReturnPrinter)
	if !ok {
		return nil, errtext.Say("cli.refund.printer.cannot", nil)
	}
	co.Printer, rs.Printer = t.Printer, drv
	return rs.Do(ctx, checkout.ReturnRequest{Kind: o.kind, Number: o.document, Lines: wanted, Operator: op})
}

// exitCode maps an outcome to the documented exit statuses. A return whose document is out
// but whose money back is unknown is not "done": a person must check the terminal.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, checkout.ErrReturnUncertain), errors.Is(err, checkout.ErrMoneyUnknown),
		errors.Is(err, fiscal.ErrOutcomeUnknown):
		return exitUnknown
	case errors.Is(err, checkout.ErrNotUncertain), errors.Is(err, checkout.ErrBadDocumentNumber):
		return exitRefused
	case errors.Is(err, checkout.ErrNotManager), errors.Is(err, checkout.ErrNotReturnable),
		errors.Is(err, checkout.ErrAlreadyReturned), errors.Is(err, checkout.ErrSerialUnknown),
		errors.Is(err, fiscal.ErrRefused), errors.Is(err, fiscal.ErrNotReady):
		return exitRefused
	}
	return exitUnknown
}
