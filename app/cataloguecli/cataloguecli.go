// Package cataloguecli is `till catalogue import|export|search`: the shop's products in a CSV
// file (README, "Catalogo CSV"). An import is all or nothing: a file with any bad row changes
// nothing and every bad row is listed with its line and field. Text is Italian, English when
// LANG starts with "en".
package cataloguecli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"till/app/catalogue"
	"till/app/checkout"
	"till/storage"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitInvalid = 1 // the file was refused: nothing imported, every problem listed
	ExitError   = 2 // bad usage, a database or a file that cannot be read or written
)

const usage = `usage:
  till catalogue import --db PATH FILE.csv [--replace] [--json]
  till catalogue export --db PATH FILE.csv
  till catalogue search --db PATH QUERY [--json]`

// messages are the command's texts: Italian first, English second.
var messages = map[string][2]string{
	"usage": {`uso:
  till catalogue import --db PERCORSO FILE.csv [--replace] [--json]
  till catalogue export --db PERCORSO FILE.csv
  till catalogue search --db PERCORSO RICERCA [--json]`, usage},
	"no-db":    {"database %s non trovato: indica quello della cassa con --db", "database %s not found: give the till's one with --db"},
	"open-db":  {"impossibile aprire il database %s: %v", "cannot open the database %s: %v"},
	"db":       {"errore del database: %v", "database error: %v"},
	"read":     {"impossibile leggere %s: %v", "cannot read %s: %v"},
	"write":    {"impossibile scrivere %s: %v", "cannot write %s: %v"},
	"refused":  {"%s: nessun prodotto importato, %d errori da correggere:", "%s: nothing imported, %d problems to fix:"},
	"imported": {"%s: %d prodotti aggiunti, %d aggiornati, %d disattivati", "%s: %d products added, %d updated, %d deactivated"},
	"exported": {"%d prodotti esportati in %s", "%d products exported to %s"},
	"managed": {"%s: nessun prodotto importato: il catalogo di questa cassa è gestito dal portale; caricalo nella pagina Catalogo del portale",
		"%s: nothing imported: this till's catalogue is managed by the back office; upload it on the portal's Catalogo page"},
	"none": {"nessun prodotto trovato per %q", "no product found for %q"},
}

type printer struct {
	en  bool
	out io.Writer
}

func (p printer) say(key string, args ...any) {
	m := messages[key]
	text := m[0]
	if p.en {
		text = m[1]
	}
	fmt.Fprintf(p.out, text+"\n", args...)
}

// Run executes one verb; args start with the verb ("import", "export", "search"). It returns
// the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	errs := printer{en: strings.HasPrefix(os.Getenv("LANG"), "en"), out: stderr}
	if len(args) == 0 {
		errs.say("usage")
		return ExitError
	}
	verb := args[0]
	var o options
	switch verb {
	case "import", "export", "search":
		var ok bool
		if o, ok = parse(verb, args[1:], errs); !ok {
			return ExitError
		}
	default:
		errs.say("usage")
		return ExitError
	}
	ctx := context.Background()
	db, status := openDB(ctx, o.db, errs)
	if db == nil {
		return status
	}
	defer db.Close()
	c := command{ctx: ctx, db: db, opts: o, out: stdout, errs: errs}
	switch verb {
	case "import":
		return c.importFile()
	case "export":
		return c.export()
	}
	return c.search()
}

// options are a verb's flags and its one positional argument (the file or the query).
type options struct {
	db, arg       string
	replace, json bool
}

// parse reads the flags and the one positional argument, in any order.
func parse(verb string, args []string, errs printer) (options, bool) {
	var o options
	fl := flag.NewFlagSet("till catalogue "+verb, flag.ContinueOnError)
	fl.SetOutput(errs.out)
	fl.StringVar(&o.db, "db", "", "the till's database file")
	if verb == "import" {
		fl.BoolVar(&o.replace, "replace", false, "the file is the whole catalogue: deactivate the products it leaves out")
	}
	if verb != "export" {
		fl.BoolVar(&o.json, "json", false, "print JSON")
	}
	var positional []string
	for {
		if err := fl.Parse(args); err != nil {
			return o, false
		}
		if fl.NArg() == 0 {
			break
		}
		positional = append(positional, fl.Arg(0))
		args = fl.Args()[1:]
	}
	if len(positional) != 1 || o.db == "" {
		errs.say("usage")
		return o, false
	}
	o.arg = positional[0]
	return o, true
}

// openDB opens an existing database: storage.Open would create an empty one, and importing
// into it would only say that no department exists.
func openDB(ctx context.Context, path string, errs printer) (*storage.DB, int) {
	db, err := storage.OpenExisting(ctx, path)
	switch {
	case errors.Is(err, storage.ErrNoDatabase):
		errs.say("no-db", path)
		return nil, ExitError
	case err != nil:
		errs.say("open-db", path, err)
		return nil, ExitError
	}
	return db, ExitOK
}

type command struct {
	ctx  context.Context
	db   *storage.DB
	opts options
	out  io.Writer
	errs printer
}

// importResult is what `import --json` prints.
type importResult struct {
	OK          bool          `json:"ok"`
	File        string        `json:"file"`
	Added       int           `json:"added"`
	Updated     int           `json:"updated"`
	Deactivated int           `json:"deactivated"`
	Problems    []jsonProblem `json:"problems,omitempty"`
}

type jsonProblem struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

func (c command) importFile() int {
	path := c.opts.arg
	deps, err := c.db.Departments(c.ctx)
	if err != nil {
		c.errs.say("db", err)
		return ExitError
	}
	f, err := os.Open(path)
	if err != nil {
		c.errs.say("read", path, err)
		return ExitError
	}
	rows, err := catalogue.Parse(f, deps)
	f.Close()
	var res storage.ImportResult
	if err == nil {
		res, err = c.db.ImportCatalogue(c.ctx, rows, c.opts.replace)
	}
	var inv *catalogue.Invalid
	switch {
	case errors.As(err, &inv):
		return c.refused(path, inv)
	case errors.Is(err, storage.ErrCatalogueManaged):
		c.errs.say("managed", path)
		return ExitError
	case err != nil:
		c.errs.say("read", path, err)
		return ExitError
	}
	if c.opts.json {
		return c.printJSON(importResult{OK: true, File: path, Added: res.Added, Updated: res.Updated, Deactivated: res.Deactivated})
	}
	printer{en: c.errs.en, out: c.out}.say("imported", path, res.Added, res.Updated, res.Deactivated)
	return ExitOK
}

// refused lists every problem of a refused file: on stderr for people, or as JSON on stdout.
func (c command) refused(path string, inv *catalogue.Invalid) int {
	if c.opts.json {
		out := importResult{File: path, Problems: make([]jsonProblem, len(inv.Problems))}
		for i, p := range inv.Problems {
			out.Problems[i] = jsonProblem{Line: p.Line, Field: p.Field, Code: p.Code, Value: p.Value, Message: p.Message(c.errs.en)}
		}
		if status := c.printJSON(out); status != ExitOK {
			return status
		}
		return ExitInvalid
	}
	c.errs.say("refused", path, len(inv.Problems))
	for _, p := range inv.Problems {
		fmt.Fprintln(c.errs.out, "  "+p.Message(c.errs.en))
	}
	return ExitInvalid
}

func (c command) printJSON(v any) int {
	enc := json.NewEncoder(c.out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		c.errs.say("write", "stdout", err)
		return ExitError
	}
	return ExitOK
}

// catalogue reads the active products, the departments and the categories; false (after
// saying why) when the database cannot be read.
func (c command) catalogue() ([]checkout.Product, []checkout.Department, []checkout.Category, bool) {
	prods, err := c.db.Products(c.ctx)
	if err == nil {
		var deps []checkout.Department
		if deps, err = c.db.Departments(c.ctx); err == nil {
			var cats []checkout.Category
			if cats, err = c.db.Categories(c.ctx); err == nil {
				return prods, deps, cats, true
			}
		}
	}
	c.errs.say("db", err)
	return nil, nil, nil, false
}

// export writes the active products. It writes a temporary file beside the target and renames
// it, so an export that fails half way never leaves a half file where a whole one was.
func (c command) export() int {
	path := c.opts.arg
	prods, deps, cats, ok := c.catalogue()
	if !ok {
		return ExitError
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		c.errs.say("write", path, err)
		return ExitError
	}
	defer os.Remove(tmp.Name())
	err = catalogue.Write(tmp, catalogue.Rows(prods, deps, cats))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp's 0600 is for secrets; a price list is not one
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		c.errs.say("write", path, err)
		return ExitError
	}
	printer{en: c.errs.en, out: c.out}.say("exported", len(prods), path)
	return ExitOK
}
