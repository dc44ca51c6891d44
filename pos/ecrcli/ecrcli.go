// Package ecrcli is the technician's command line for a payment terminal ("till ecr ..."):
// it checks a terminal, pays, reverses and closes the day without the till's screens. It
// prints for people, in the run's language (internal/i18n), or JSON with --json, which is the
// same in every language.
// It never retries a payment: an unknown outcome is reported and left to "last".
package ecrcli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"till/app/errtext"
	"till/internal/i18n"
	"till/money"
	"till/pos"
	"till/pos/ecr17"
)

// Exit statuses.
const (
	ExitOK       = 0 // approved, or the command succeeded
	ExitDeclined = 1 // declined, closure or totals refused, terminal not operative
	ExitUnknown  = 2 // outcome unknown, error, bad arguments
)

var verbs = map[string]bool{"status": true, "pay": true, "reverse": true, "last": true, "totals": true, "close": true}

type options struct {
	verb, link, tid, ecrID, profile, amount, stan string
	json                                          bool
}

// Run executes one command; args start with the verb. It returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	usage := i18n.T("tool.ecr.usage") + "\n"
	o, err := parse(args)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "till ecr: %s\n\n", argumentText(err))
		}
		fmt.Fprint(stderr, usage)
		return ExitUnknown
	}
	var amount money.Cents
	if o.verb == "pay" {
		if amount, err = money.Parse(o.amount); err != nil || amount <= 0 || amount > money.MaxAmount {
			fmt.Fprintf(stderr, "till ecr: %s\n\n%s", i18n.T("tool.ecr.amount.bad", map[string]any{"Amount": o.amount}), usage)
			return ExitUnknown
		}
	}
	p := printer{w: stdout, json: o.json, verb: o.verb}
	ctx := context.Background()
	term, err := ecr17.Open(ctx, o.profile, o.link, o.tid, o.ecrID, nil)
	if err != nil {
		if !o.json { // --json keeps the error's own text, which scripts may read
			err = errtext.Wrap(err, "tool.ecr.open", map[string]any{"Link": o.link, "Profile": o.profile})
		}
		return p.fail(err)
	}
	defer term.Close()
	switch o.verb {
	case "status":
		st, err := term.Status(ctx)
		if err != nil {
			return p.fail(err)
		}
		return p.status(st)
	case "pay":
		r, err := term.Pay(ctx, amount, "ecr-cli", pos.PayOptions{Progress: p.progress})
		return p.result(r, err)
	case "reverse":
		r, err := term.Reverse(ctx, o.stan)
		return p.result(r, err)
	case "last":
		r, err := term.LastResult(ctx)
		return p.result(r, err)
	case "totals":
		t, err := term.Totals(ctx)
		if err != nil {
			return p.fail(err)
		}
		return p.totals(t)
	default: // close
		c, err := term.CloseSession(ctx)
		if errors.Is(err, pos.ErrOutcomeUnknown) {
			return p.closureUnknown(err)
		}
		if err != nil {
			return p.fail(err)
		}
		return p.closure(c)
	}
}

// argumentText says what is wrong with the command line: parse's own errors have their text,
// the flag package's are put in words by errtext.
func argumentText(err error) string {
	var said *errtext.Said
	if errors.As(err, &said) {
		return errtext.Text(err)
	}
	return strings.TrimSuffix(errtext.Flag(err), "\n")
}

func parse(args []string) (options, error) {
	var o options
	if len(args) == 0 {
		return o, errtext.Say("tool.ecr.missing.command", nil)
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		return o, flag.ErrHelp
	}
	o.verb = args[0]
	if !verbs[o.verb] {
		return o, errtext.Say("tool.ecr.unknown.command", map[string]any{"Verb": o.verb})
	}
	fs := flag.NewFlagSet("till ecr "+o.verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed once, with our usage
	fs.StringVar(&o.link, "link", "", "terminal link")
	fs.StringVar(&o.tid, "terminal-id", "", "terminal id, 8 digits")
	fs.StringVar(&o.ecrID, "ecr-id", "", "till id on the terminal, 8 digits")
	fs.StringVar(&o.profile, "profile", pos.ModelIngenicoEMW, "terminal model")
	fs.StringVar(&o.amount, "amount", "", "amount to pay, e.g. 12,50")
	fs.StringVar(&o.stan, "stan", "000000", "STAN of the payment to reverse")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, errtext.Say("tool.ecr.unexpected", map[string]any{"Arg": fs.Arg(0)})
	}
	switch {
	case o.link == "":
		return o, errtext.Say("tool.ecr.required", map[string]any{"Flag": "--link"})
	case o.tid == "":
		return o, errtext.Say("tool.ecr.required", map[string]any{"Flag": "--terminal-id"})
	case o.ecrID == "":
		return o, errtext.Say("tool.ecr.required", map[string]any{"Flag": "--ecr-id"})
	case o.verb == "pay" && o.amount == "":
		return o, errtext.Say("tool.ecr.pay.amount", nil)
	case o.verb != "pay" && o.amount != "":
		return o, errtext.Say("tool.ecr.amount.pay.only", nil)
	}
	return o, nil
}
