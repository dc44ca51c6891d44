// Package operatorcli is `till operators add|list|disable`: the till's operators without a
// window. It parses arguments and prints; the rules (PIN format, unique PINs, the first
// operator a manager, the last manager kept) are storage's.
package operatorcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"till/app/checkout"
	"till/app/opauth"
	"till/storage"
)

const usage = `uso / usage: till operators add --db PATH --name NOME --pin PIN --role cashier|manager [--operator PIN] [--json]
       till operators list --db PATH [--json]
       till operators disable --db PATH --number N [--operator PIN]
  PIN: 4-8 cifre / digits. Il primo operatore è un responsabile e si aggiunge senza PIN; poi
  aggiungere o disattivare vuole --operator con il PIN di un responsabile.
  The first operator is a manager and needs no PIN; after that, adding or disabling needs
  --operator with a manager's PIN.
`

// Run runs `till operators ARGS…` and returns the exit code: 0 done, 2 refused or error.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var o options
	fs := flag.NewFlagSet("till operators "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
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
		fmt.Fprintf(stderr, "till operators %q: usa add, list o disable / use add, list or disable\n%s", args[0], usage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if o.db == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, "manca --db / missing --db\n"+usage)
		return 2
	}
	ctx := context.Background()
	db, err := storage.Open(ctx, o.db)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer db.Close()
	if err := do(ctx, db, o, stdout); err != nil {
		fmt.Fprintln(stderr, explain(err))
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
		_, err := fmt.Fprintln(w, "nessun operatore: la cassa lavora come operatore 1 / no operators: the till works as operator 1")
		return err
	}
	for _, op := range ops {
		state := ""
		if !op.Active {
			state = "  disattivato / disabled"
		}
		if _, err := fmt.Fprintf(w, "%3d  %-20s  %s%s\n", op.Number, op.Name, roleName(op.Role), state); err != nil {
			return err
		}
	}
	return nil
}

func disable(ctx context.Context, db *storage.DB, o options, w io.Writer) error {
	if o.number <= 0 {
		return errors.New("manca --number N / missing --number N")
	}
	by, err := opauth.Check(ctx, db, o.operator, true)
	if err != nil {
		return err
	}
	if err := db.DisableOperator(ctx, o.number, by, time.Now()); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "operatore %d disattivato / operator %d disabled\n", o.number, o.number)
	return err
}

func roleName(role string) string {
	if role == checkout.RoleManager {
		return "responsabile / manager"
	}
	return "cassiere / cashier"
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// explain says what went wrong and what to do, Italian then English.
func explain(err error) string {
	var refused *opauth.Error
	switch {
	case errors.As(err, &refused):
		return refused.Text
	case errors.Is(err, storage.ErrBadPIN):
		return "il PIN è di 4-8 cifre / a PIN is 4 to 8 digits"
	case errors.Is(err, storage.ErrBadOperator):
		return "servono --name (al massimo 40 caratteri) e --role cashier o manager / --name (at most 40 characters) and --role cashier or manager are required"
	case errors.Is(err, storage.ErrPINInUse):
		return "PIN già in uso da un altro operatore: scegline un altro / PIN already in use by another operator: choose another"
	case errors.Is(err, storage.ErrFirstManager):
		return "il primo operatore dev'essere un responsabile (--role manager) / the first operator must be a manager (--role manager)"
	case errors.Is(err, storage.ErrNotManager):
		return "solo un responsabile può farlo: usa --operator con il PIN di un responsabile / only a manager may do this: give --operator a manager's PIN"
	case errors.Is(err, storage.ErrNoSuchOp):
		return "nessun operatore attivo con questo numero: vedi till operators list / no active operator with this number: see till operators list"
	case errors.Is(err, storage.ErrLastManager):
		return "è l'ultimo responsabile attivo: aggiungine un altro prima / it is the last active manager: add another first"
	}
	return err.Error()
}
