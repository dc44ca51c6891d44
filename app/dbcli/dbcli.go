// Package dbcli is `till db check --db PATH [--json]`: the full integrity check of the till's
// database, which opening it runs only after an unclean shutdown (storage.Open). It reads the
// file only, so it may run beside a working till, and it never repairs: a damaged database is
// restored from a backup by a person. Messages are in the run's language (internal/i18n); the
// JSON is the same in every language, for installers' scripts.
package dbcli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"

	"till/app/errtext"
	"till/internal/i18n"
	"till/storage"
)

// Exit statuses.
const (
	ExitHealthy = 0
	ExitDamaged = 1 // the check found damage
	ExitError   = 2 // bad usage, no such file, not a database, or the check could not run
)

// Run runs `till db ARGS…`; args follow "db". It returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	usage := i18n.T("tool.db.check.usage")
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	flags := flag.NewFlagSet("till db check", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // the flag package's words are English: errtext says them
	dbPath := flags.String("db", "", "the till's database")
	asJSON := flags.Bool("json", false, "print the result as JSON")
	if err := flags.Parse(args[1:]); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err))
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	if *dbPath == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	h, err := storage.Check(ctx, *dbPath)
	path := map[string]any{"Path": *dbPath}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintln(stderr, i18n.T("tool.db.missing", path))
		return ExitError
	case errors.Is(err, storage.ErrNotSQLite):
		fmt.Fprintln(stderr, i18n.T("tool.db.not.till", path))
		return ExitError
	case err != nil:
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.db.check.failed", nil)))
		return ExitError
	}
	if *asJSON {
		return report(stdout, *dbPath, h)
	}
	if len(h.Problems) > 0 {
		fmt.Fprintln(stdout, i18n.T("tool.db.damaged", path))
		for _, p := range h.Problems {
			fmt.Fprintf(stdout, "  - %s\n", p)
		}
		fmt.Fprintln(stdout, i18n.T("tool.db.damaged.advice"))
		return ExitDamaged
	}
	fmt.Fprintln(stdout, i18n.T("tool.db.healthy", map[string]any{"Path": *dbPath, "Schema": h.Schema}))
	if h.Schema > h.Known {
		fmt.Fprintln(stdout, i18n.T("tool.db.newer", map[string]any{"Known": h.Known}))
	}
	return ExitHealthy
}

// report prints the outcome as one JSON object.
func report(w io.Writer, path string, h storage.Health) int {
	problems := h.Problems
	if problems == nil {
		problems = []string{}
	}
	out, _ := json.Marshal(struct {
		Path        string   `json:"path"`
		Healthy     bool     `json:"healthy"`
		Schema      int      `json:"schema"`
		KnownSchema int      `json:"known_schema"`
		Problems    []string `json:"problems"`
	}{path, len(problems) == 0, h.Schema, h.Known, problems})
	fmt.Fprintln(w, string(out))
	if len(problems) > 0 {
		return ExitDamaged
	}
	return ExitHealthy
}
