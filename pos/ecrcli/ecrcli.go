// Package ecrcli is the technician's command line for a payment terminal ("till ecr ..."):
// it checks a terminal, pays, reverses and closes the day without the till's screens. It
// prints for people (Italian, or English when LANG starts with "en") or JSON with --json.
// It never retries a payment: an unknown outcome is reported and left to "last".
package ecrcli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

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

const usage = `usage: till ecr status|pay|reverse|last|totals|close --link LINK --terminal-id 8DIGITS --ecr-id 8DIGITS
                [--profile Ingenico_EMW|"Ingenico EMW_IT"] [--amount 12,50] [--stan 000000] [--json]

  LINK is tcp://HOST:PORT or serial:///dev/ttyUSB0?baud=9600&parity=none
  pay needs --amount; reverse takes --stan (000000 = no check)
  exit status: 0 approved/ok, 1 declined or refused, 2 unknown or error
`

var verbs = map[string]bool{"status": true, "pay": true, "reverse": true, "last": true, "totals": true, "close": true}

type options struct {
	verb, link, tid, ecrID, profile, amount, stan string
	json                                          bool
}

// Run executes one command; args start with the verb. It returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "till ecr: %v\n\n", err)
		}
		fmt.Fprint(stderr, usage)
		return ExitUnknown
	}
	var amount money.Cents
	if o.verb == "pay" {
		if amount, err = money.Parse(o.amount); err != nil || amount <= 0 || amount > money.MaxAmount {
			fmt.Fprintf(stderr, "till ecr: --amount %q is not an amount like 12,50\n\n%s", o.amount, usage)
			return ExitUnknown
		}
	}
	p := printer{w: stdout, json: o.json, verb: o.verb, en: strings.HasPrefix(os.Getenv("LANG"), "en")}
	ctx := context.Background()
	term, err := ecr17.Open(ctx, o.profile, o.link, o.tid, o.ecrID, nil)
	if err != nil {
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

func parse(args []string, stderr io.Writer) (options, error) {
	var o options
	if len(args) == 0 {
		return o, errors.New("missing command")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		return o, flag.ErrHelp
	}
	o.verb = args[0]
	if !verbs[o.verb] {
		return o, fmt.Errorf("unknown command %q", o.verb)
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
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case o.link == "":
		return o, errors.New("--link is required")
	case o.tid == "":
		return o, errors.New("--terminal-id is required")
	case o.ecrID == "":
		return o, errors.New("--ecr-id is required")
	case o.verb == "pay" && o.amount == "":
		return o, errors.New("pay needs --amount")
	case o.verb != "pay" && o.amount != "":
		return o, fmt.Errorf("--amount is only for pay")
	}
	return o, nil
}
