// Package operatorcli is `till operators add|list|disable`: the till's operators without a
// window. It parses arguments and prints; the rules (PIN format, unique PINs, the first
// operator a manager, the last manager kept) are storage's.
package operatorcli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"till/app/checkout"
	"till/app/errtext"
	"till/app/opauth"
	"till/internal/i18n"
	"till/storage"
)

// Run runs `till operators ARGS…` and returns the exit code: 0 done, 2 refused or error.
func Run(args []string, stdout, stderr io.Writer) int {
	usage := i18n.T("tool.operators.usage") + "\n"
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var o options
	fs := flag.NewFlagSet("till operators "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the flag package's words are English: errtext says them
	fs.StringVar(&o.db, "db", "", "database file")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	var do func(context.Context, *storage.DB, options, io.Writer) error
	switch args[0] {
	case "add":
		fs.StringVar(&o.name, "name", "", "the operator's name")
		fs.StringVar(&o.pin, "pin", "", "the new operator's PIN, 4 to 8 digits")
		fs.StringVar(&o.role, "role", "", "cashier or manager")
		fs.StringVar(&o.operator, "operator", "", "a manager's PIN (once operators exist)")
		do = add
	case "list":
		do = list
	case "disable":
		fs.IntVar(&o.number, "number", 0, "the operator's number")
		fs.StringVar(&o.operator, "operator", "", "a manager's PIN")
		do = disable
	default:
		fmt.Fprint(stderr, i18n.T("tool.operators.verb", map[string]any{"Verb": args[0]})+"\n"+usage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err)+usage)
		return 2
	}
	if o.db == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, i18n.T("tool.operators.missing.db")+"\n"+usage)
		return 2
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, o.db)
	if err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.db.open", map[string]any{"Path": o.db})))
		return 2
	}
	defer db.Close()
	if err := do(ctx, db, o, stdout); err != nil {
		fmt.Fprintln(stderr, errtext.Explain(err))
		return 2
	}
	return 0
}

type options struct {
	db, name, pin, role, operator string
	number                        int
	json                          bool
}

// operatorJSON is an operator as --json prints it: never the PIN or its hash.
type operatorJSON struct {
	Number int    `json:"number"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Active *bool  `json:"active,omitempty"`
}

func add(ctx context.Context, db *storage.DB, o options, w io.Writer) error {
	by, err := opauth.Check(ctx, db, o.operator, true)
	if err != nil {
		return err
	}
	op, err := db.AddOperator(ctx, o.name, o.pin, o.role, by, time.Now())
	if err != nil {
		return err
	}
	if o.json {
		return printJSON(w, operatorJSON{Number: op.Number, Name: op.Name, Role: op.Role})
	}
	_, err = fmt.Fprintln(w, op.Number)
	return err
}

func list(ctx context.Context, db *storage.DB, o options, w io.Writer) error {
	ops, err := db.Operators(ctx)
	if err != nil {
		return err
	}
	if o.json {
		out := []operatorJSON{}
		for _, op := range ops {
			out = append(out, operatorJSON{Number: op.Number, Name: op.Name, Role: op.Role, Active: &op.Active})
		}
		return printJSON(w, out)
	}
	if len(ops) == 0 {
		_, err := fmt.Fprintln(w, i18n.T("tool.operators.none"))
		return err
	}
	for _, op := range ops {
		state := ""
		if !op.Active {
			state = "  " + i18n.T("tool.operators.inactive")
		}
		if _, err := fmt.Fprintf(w, "%3d  %-20s  %s%s\n", op.Number, op.Name, roleName(op.Role), state); err != nil {
			return err
		}
	}
	return nil
}

func disable(ctx context.Context, db *storage.DB, o options, w io.Writer) error {
	if o.number <= 0 {
		return errtext.Say("tool.operators.missing.number", nil)
	}
	by, err := opauth.Check(ctx, db, o.operator, true)
	if err != nil {
		return err
	}
	if err := db.DisableOperator(ctx, o.number, by, time.Now()); err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, i18n.T("tool.operators.disabled", map[string]any{"Number": o.number}))
	return err
}

func roleName(role string) string {
	if role == checkout.RoleManager {
		return i18n.T("tool.operators.role.manager")
	}
	return i18n.T("tool.operators.role.cashier")
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
