// Package closecli is `till close`: the day's close with terminal reconciliation and the Z
// report, without a window. It parses arguments, wires the till's terminals and printer into
// app/dayclose and prints; every decision is the close's.
package closecli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"till/app/boot"
	"till/app/checkout"
	"till/app/configcli"
	"till/app/dayclose"
	"till/app/errtext"
	"till/app/opauth"
	"till/internal/crash"
	"till/internal/i18n"
	"till/money"
)

// usage is the command's help, in the run's language; the flags are the same in both.
func usage() string { return i18n.T("cli.close.usage") }

// CrashEnv names the step at which the process kills itself (SIGKILL): fault injection for the
// crash tests, never set in production.
const CrashEnv = "TILL_CLOSE_CRASH_AT"

// Exit statuses, as documented.
const (
	exitMatch  = 0
	exitDiffer = 1
	exitError  = 2
)

type options struct {
	db, configPath, operator, printer, cash string
	printerTimeout                          time.Duration
	acknowledge, zNotPrinted, json          bool
	zPrinted                                int
}

// Run runs `till close ARGS…` and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	o, cash, err := parse(args, stderr)
	if err != nil {
		var bad usageError
		if errors.As(err, &bad) {
			fmt.Fprintf(stderr, "%s\n\n", bad)
		} else if line := errtext.Flag(err); line != "" {
			fmt.Fprint(stderr, line+"\n")
		}
		fmt.Fprint(stderr, usage())
		return exitError
	}
	out := &printer{w: stdout, json: o.json}
	rep, err := run(context.Background(), o, cash, stderr)
	return out.report(rep, err)
}

func parse(args []string, stderr io.Writer) (options, *money.Cents, error) {
	var o options
	fs := flag.NewFlagSet("till close", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.db, "db", "", "")
	fs.StringVar(&o.configPath, "config", "", "")
	fs.StringVar(&o.operator, "operator", "", "")
	fs.StringVar(&o.printer, "printer", "", "")
	fs.DurationVar(&o.printerTimeout, "printer-timeout", 0, "")
	fs.StringVar(&o.cash, "cash", "", "")
	fs.BoolVar(&o.acknowledge, "acknowledge-open", false, "")
	fs.IntVar(&o.zPrinted, "z-printed", 0, "")
	fs.BoolVar(&o.zNotPrinted, "z-not-printed", false, "")
	fs.BoolVar(&o.json, "json", false, "")
	if err := fs.Parse(args); err != nil {
		return o, nil, err
	}
	switch {
	case fs.NArg() > 0:
		return o, nil, usageError(i18n.T("cli.usage.extra", map[string]any{"Arg": fs.Arg(0)}))
	case o.db == "" || o.printer == "":
		return o, nil, usageError(i18n.T("cli.close.usage.missing"))
	case o.zPrinted < 0 || (o.zPrinted > 0 && o.zNotPrinted):
		return o, nil, usageError(i18n.T("cli.close.usage.z"))
	}
	if o.cash == "" {
		return o, nil, nil
	}
	c, err := money.Parse(o.cash)
	if err != nil || c < 0 || c > money.MaxAmount {
		return o, nil, usageError(i18n.T("cli.close.usage.cash", map[string]any{"Cash": o.cash}))
	}
	return o, &c, nil
}

// run opens the till, checks the manager, settles what start-up settles, and runs the close.
func run(ctx context.Context, o options, cash *money.Cents, stderr io.Writer) (*dayclose.Report, error) {
	t, err := boot.OpenWith(ctx, boot.Options{DBPath: o.db, PrinterURL: o.printer, PrinterTimeout: o.printerTimeout})
	if err != nil {
		return nil, err
	}
	defer t.Close()
	op, err := opauth.Check(ctx, t.DB, o.operator, true)
	if err != nil {
		return nil, err
	}
	if o.configPath != "" {
		if _, err := configcli.Import(ctx, t.DB, o.configPath); err != nil {
			return nil, errtext.Wrap(err, "cli.err.config.not.imported", nil)
		}
	}
	// As at every start-up: payments that may have reached a terminal are asked to it first, so
	// the open payments the close lists are only those evidence could not settle.
	rec, err := t.Checkout.Recover(ctx)
	if err != nil {
		return nil, errtext.Wrap(err, "cli.err.recovery", nil)
	}
	for _, p := range rec.Problems {
		fmt.Fprintln(stderr, i18n.T("cli.warning", map[string]any{"Warning": errtext.Explain(p)}))
	}
	devices, err := devices(ctx, t)
	if err != nil {
		return nil, err
	}
	c := &dayclose.Closer{DB: t.DB, Devices: devices, Printer: t.Printer, Step: crash.At(os.Getenv(CrashEnv))}
	return c.Run(ctx, dayclose.Options{Operator: operatorName(op), Cash: cash, AcknowledgeOpen: o.acknowledge,
		ZOnPaper: o.zPrinted, ZNotOnPaper: o.zNotPrinted})
}

// devices are the terminals enabled on this till in the cached configuration.
func devices(ctx context.Context, t *boot.Till) ([]dayclose.Device, error) {
	doc, err := t.Config(ctx)
	if err != nil || doc == nil {
		return nil, err
	}
	var out []dayclose.Device
	for _, dev := range doc.TerminalsFor(doc.Till.ID) {
		d, err := t.DeviceFor(ctx, doc, dev)
		if err != nil {
			return nil, err
		}
		out = append(out, dayclose.Device{ID: d.ID, Name: d.Name, TerminalID: d.TerminalID, Shared: !d.Exclusive, Terminal: d.Terminal})
	}
	return out, nil
}

// usageError is a command line that cannot run, already in words for people; Run prints it
// above the usage. The flag package's own errors are translated by errtext.Flag.
type usageError string

func (e usageError) Error() string { return string(e) }

// operatorName is how the close record names who ran it.
func operatorName(op checkout.Operator) string {
	if op.Name != "" {
		return strconv.Itoa(op.Number) + " " + op.Name
	}
	return strconv.Itoa(op.Number)
}
