// Package cataloguecli is `till catalogue import|export|search`: the shop's products in a CSV
// file (README, "Catalogo CSV"). An import is all or nothing: a file with any bad row changes
// nothing and every bad row is listed with its line and field. Messages are in the run's language
// (internal/i18n); the JSON's field names and codes are the same in every language.
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

	"till/app/catalogue"
	"till/app/checkout"
	"till/app/errtext"
	"till/internal/i18n"
	"till/storage"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitInvalid = 1 // the file was refused: nothing imported, every problem listed
	ExitError   = 2 // bad usage, a database or a file that cannot be read or written
)

// printer says the command's texts, in the run's language, on one stream.
type printer struct {
	out io.Writer
}

func (p printer) say(key string, data map[string]any) {
	fmt.Fprintln(p.out, i18n.T(key, data))
}

// explain says what failed (key) and why (err), with its technical detail on its own line.
func (p printer) explain(err error, key string, data map[string]any) {
	fmt.Fprintln(p.out, errtext.Explain(errtext.Wrap(err, key, data)))
}

// en tells whether the run's language is English, for the texts of app/catalogue.
func en() bool { return i18n.Lang() == "en" }

// Run executes one verb; args start with the verb ("import", "export", "search"). It returns
// the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	errs := printer{out: stderr}
	if len(args) == 0 {
		errs.say("tool.catalogue.usage", nil)
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
		errs.say("tool.catalogue.usage", nil)
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
	fl.SetOutput(io.Discard) // the flag package's words are English: errtext says them
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
			fmt.Fprint(errs.out, errtext.Flag(err))
			errs.say("tool.catalogue.usage", nil)
			return o, false
		}
		if fl.NArg() == 0 {
			break
		}
		positional = append(positional, fl.Arg(0))
		args = fl.Args()[1:]
	}
	if len(positional) != 1 || o.db == "" {
		errs.say("tool.catalogue.usage", nil)
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
		errs.say("tool.db.missing", map[string]any{"Path": path})
		return nil, ExitError
	case err != nil:
		errs.explain(err, "tool.db.open", map[string]any{"Path": path})
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
		c.errs.explain(err, "tool.db.error", nil)
		return ExitError
	}
	f, err := os.Open(path)
	if err != nil {
		c.errs.explain(err, "tool.catalogue.read", map[string]any{"Path": path})
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
		c.errs.say("tool.catalogue.managed", map[string]any{"Path": path})
		return ExitError
	case err != nil:
		c.errs.explain(err, "tool.catalogue.read", map[string]any{"Path": path})
		return ExitError
	}
	if c.opts.json {
		return c.printJSON(importResult{OK: true, File: path, Added: res.Added, Updated: res.Updated, Deactivated: res.Deactivated})
	}
	printer{out: c.out}.say("tool.catalogue.imported", map[string]any{"Path": path, "Added": res.Added,
		"Updated": res.Updated, "Deactivated": res.Deactivated})
	return ExitOK
}

// refused lists every problem of a refused file: on stderr for people, or as JSON on stdout.
func (c command) refused(path string, inv *catalogue.Invalid) int {
	if c.opts.json {
		out := importResult{File: path, Problems: make([]jsonProblem, len(inv.Problems))}
		for i, p := range inv.Problems {
			out.Problems[i] = jsonProblem{Line: p.Line, Field: p.Field, Code: p.Code, Value: p.Value, Message: p.Message(en())}
		}
		if status := c.printJSON(out); status != ExitOK {
			return status
		}
		return ExitInvalid
	}
	fmt.Fprintln(c.errs.out, i18n.N("tool.catalogue.refused", len(inv.Problems), map[string]any{"Path": path}))
	for _, p := range inv.Problems {
		fmt.Fprintln(c.errs.out, "  "+p.Message(en()))
	}
	return ExitInvalid
}

func (c command) printJSON(v any) int {
	enc := json.NewEncoder(c.out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		c.errs.explain(err, "tool.catalogue.write", map[string]any{"Path": "stdout"})
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
	c.errs.explain(err, "tool.db.error", nil)
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
		c.errs.explain(err, "tool.catalogue.write", map[string]any{"Path": path})
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
		c.errs.explain(err, "tool.catalogue.write", map[string]any{"Path": path})
		return ExitError
	}
	fmt.Fprintln(c.out, i18n.N("tool.catalogue.exported", len(prods), map[string]any{"Path": path}))
	return ExitOK
}
