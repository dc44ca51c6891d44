// Package fiscalcli is the technician's command line for the fiscal printer:
// `till fiscal status|x-report|z-report|test-receipt --printer URL [--json]`. It talks to an Epson
// RT through fiscal/epson and prints text in the run's language (internal/i18n), or JSON for
// scripts, whose field names and values other than "message" do not change with it. cmd/till wires it in; it never touches the till's database.
package fiscalcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"till/app/errtext"
	"till/fiscal"
	"till/fiscal/epson"
	"till/internal/i18n"
	"till/money"
)

// Exit statuses.
const (
	ExitOK      = 0 // done
	ExitRefused = 1 // the printer answered no (refused, not ready); nothing was issued
	ExitError   = 2 // outcome unknown, unreachable after sending, or bad usage
)

// options are the flags shared by every verb.
type options struct {
	printer    string
	json       bool
	timeout    time.Duration
	amount     string
	department int
	counters   bool
	lang       string
}

// Run executes one verb; args start with the verb. It returns the process exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	lang := i18n.Lang()
	usage := i18n.T("tool.fiscal.usage")
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	verb := args[0]
	fs := flag.NewFlagSet("till fiscal "+verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the flag package's words are English: errtext says them
	o := options{lang: lang}
	fs.StringVar(&o.printer, "printer", "", "printer base URL, e.g. http://192.168.1.50")
	fs.BoolVar(&o.json, "json", false, "print JSON instead of text")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "how long to wait for the printer")
	fs.StringVar(&o.amount, "amount", "0,10", "test-receipt: amount")
	fs.IntVar(&o.department, "department", 1, "test-receipt: printer department")
	fs.BoolVar(&o.counters, "assume-status-counters", false, "test-receipt: ASSUMPTION, not in the printer contract, "+
		"that the printer's status answer tells its last document; only then is an unknown outcome reconciled")
	if err := fs.Parse(args[1:]); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err)+usage+"\n")
		return ExitError
	}
	if o.printer == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	url, serial, err := epson.SplitAddress(o.printer) // the serial may come in the address (?serial=)
	if err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.fiscal.address", map[string]any{"Address": o.printer})))
		return ExitError
	}
	// status only shows the counters, and only when the printer sends them; nothing is decided
	// from them, so it reads them without the assumption being configured.
	d, err := epson.New(epson.Config{URL: url, Serial: serial, Timeout: o.timeout, ZTimeout: max(o.timeout, 120*time.Second),
		StatusCounters: o.counters || verb == "status"})
	if err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.fiscal.address", map[string]any{"Address": o.printer})))
		return ExitError
	}
	ctx := context.Background()
	out := report{Command: verb, OK: true}
	switch verb {
	case "status":
		err = runStatus(ctx, d, &out)
	case "x-report":
		err = d.XReport(ctx)
	case "z-report":
		var c fiscal.Closure
		if c, err = d.DailyClosure(ctx); err == nil {
			out.ZNumber, out.DayTotal, out.DayTotalCents = c.ZNumber, c.DayTotal.Decimal(), int64(c.DayTotal)
		}
	case "test-receipt":
		err = runTestReceipt(ctx, d, o, &out)
	default:
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	code := exitCode(err, out)
	if err != nil {
		out.fail(err, lang)
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else {
		writeText(stdout, stderr, out, err)
	}
	return code
}

// runStatus reports the printer's state; the last document only when the printer told it.
func runStatus(ctx context.Context, d *epson.Driver, out *report) error {
	st, err := d.Status(ctx)
	if err != nil {
		return err
	}
	s := statusOf(st)
	out.Status = &s
	last, err := d.LastDocument(ctx)
	if err != nil {
		return nil // not told (or not now): the status stands without it
	}
	lastZ := max(last.ZNumber-1, 0) // the answer's Z is the open day's; the last closure is the one before
	s.LastZ, s.LastDocument, s.CountersTold = &lastZ, &last.Number, true
	if last.Number > 0 {
		out.Document = last.ID()
		if last.AmountReported {
			out.AmountCents, out.Amount = int64(last.Amount), last.Amount.Decimal()
		}
	}
	return nil
}

// runTestReceipt issues a small cash receipt through fiscal.PrintOnce, so even a technician's
// test is never printed twice: when the answer is lost and the printer cannot tell its last
// document, it stops with the outcome unknown (exit 2) and the technician checks the paper.
func runTestReceipt(ctx context.Context, d *epson.Driver, o options, out *report) error {
	amount, err := money.Parse(o.amount)
	if err != nil || amount <= 0 {
		return &fiscal.Error{Kind: fiscal.ErrRefused, Code: epson.CodeBadAmount, Detail: "bad --amount " + o.amount}
	}
	r := fiscal.Receipt{
		Lines:    []fiscal.Line{{Description: "SCONTRINO DI PROVA", QtyMilli: 1000, UnitPrice: amount, Department: o.department}},
		Payments: []fiscal.Payment{{Method: fiscal.Cash, Amount: amount}},
	}
	ref, err := fiscal.PrintOnce(ctx, d, r)
	if err != nil {
		return err
	}
	out.Document = ref.ID()
	if ref.AmountReported {
		out.AmountCents, out.Amount = int64(ref.Amount), ref.Amount.Decimal()
	}
	return nil
}

// exitCode: refused and not ready mean nothing was issued (1); anything else is 2. A status
// whose printer is not ready also exits 1, so monitoring scripts can use the status alone.
func exitCode(err error, out report) int {
	switch {
	case err == nil && out.Status != nil && !out.Status.Ready:
		return ExitRefused
	case err == nil:
		return ExitOK
	case errors.Is(err, fiscal.ErrOutcomeUnknown):
		return ExitError
	case errors.Is(err, fiscal.ErrRefused), errors.Is(err, fiscal.ErrNotReady):
		return ExitRefused
	}
	return ExitError
}
