// Package dbcli is `till db check --db PATH [--json]`: the full integrity check of the till's
// database, which opening it runs only after an unclean shutdown (storage.Open). It reads the
// file only, so it may run beside a working till, and it never repairs: a damaged database is
// restored from a backup by a person. Messages are Italian and English together, like the rest
// of the command line, since they end up in installers' scripts and support tickets.
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

	"till/storage"
)

// Exit statuses.
const (
	ExitHealthy = 0
	ExitDamaged = 1 // the check found damage
	ExitError   = 2 // bad usage, no such file, not a database, or the check could not run
)

const usage = "uso / usage: till db check --db PERCORSO [--json]"

// Run runs `till db ARGS…`; args follow "db". It returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	flags := flag.NewFlagSet("till db check", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dbPath := flags.String("db", "", "database della cassa / the till's database")
	asJSON := flags.Bool("json", false, "risultato in JSON / print the result as JSON")
	if err := flags.Parse(args[1:]); err != nil {
		return ExitError
	}
	if *dbPath == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, usage)
		return ExitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	h, err := storage.Check(ctx, *dbPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(stderr, "database %s non trovato / not found: indica quello della cassa con --db / give the till's one with --db\n", *dbPath)
		return ExitError
	case errors.Is(err, storage.ErrNotSQLite):
		fmt.Fprintf(stderr, "%s non è un database della cassa / is not a till database\n", *dbPath)
		return ExitError
	case err != nil:
		fmt.Fprintf(stderr, "impossibile controllare il database / cannot check the database: %v\n", err)
		return ExitError
	}
	if *asJSON {
		return report(stdout, *dbPath, h)
	}
	if len(h.Problems) > 0 {
		fmt.Fprintf(stdout, "Database danneggiato / database damaged: %s\n", *dbPath)
		for _, p := range h.Problems {
			fmt.Fprintf(stdout, "  - %s\n", p)
		}
		fmt.Fprintln(stdout, "Non usarlo: ripristina una copia di sicurezza o chiama l'assistenza / "+
			"do not use it: restore a backup or call support.")
		return ExitDamaged
	}
	fmt.Fprintf(stdout, "Database integro / database healthy: %s (schema %d)\n", *dbPath, h.Schema)
	if h.Schema > h.Known {
		fmt.Fprintf(stdout, "Scritto da una versione più recente della cassa (questa conosce lo schema %d) / "+
			"written by a newer version of the till (this one knows schema %d)\n", h.Known, h.Known)
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
