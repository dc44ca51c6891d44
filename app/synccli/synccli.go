// Package synccli is the command line of the till's link to the back office:
// `till activate --db PATH --portal URL --code CODE` and `till sync --db PATH [--json]`
// (docs/spec/sync.md). It only wires flags to tillsync and words the outcome, in the run's
// language (internal/i18n); --json and the exit statuses are for scripts and do not change
// with it. It never prints the device token.
package synccli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"till/app/errtext"
	"till/app/tillsync"
	"till/internal/i18n"
	"till/storage"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailed  = 1 // the portal refused (unknown or used code) or failed; the database failed
	ExitOffline = 2 // the portal cannot be reached or the token is revoked; also bad usage
)

// timeout bounds a whole command: a few calls and at most a few hundred batches.
const timeout = 10 * time.Minute

// Run runs `activate` or `sync`; args start with the command name.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "activate":
			return RunActivate(args[1:], stdout, stderr)
		case "sync":
			return RunSync(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, i18n.T("tool.sync.activate.usage")+"\n"+i18n.T("tool.sync.usage"))
	return ExitOffline
}

// RunActivate is `till activate`; args follow the command name. After activating it pulls
// the configuration and the catalogue once, so the till is ready; a failed pull is only a
// warning, since the activation itself is done and the till pulls again at start.
func RunActivate(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("till activate", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // the flag package's words are English: errtext says them
	dbPath := flags.String("db", "", "the till's database")
	portalURL := flags.String("portal", "", "portal URL, e.g. https://portale.esempio.it")
	code := flags.String("code", "", "activation code")
	if err := flags.Parse(args); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err)+i18n.T("tool.sync.activate.usage")+"\n")
		return ExitOffline
	}
	if *dbPath == "" || *portalURL == "" || *code == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, i18n.T("tool.sync.activate.usage"))
		return ExitOffline
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := os.MkdirAll(filepath.Dir(*dbPath), 0o755); err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.sync.folder", nil)))
		return ExitFailed
	}
	db, err := storage.Open(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.db.open", map[string]any{"Path": *dbPath})))
		return ExitFailed
	}
	defer db.Close()
	c := &tillsync.Client{DB: db}
	a, err := c.Activate(ctx, *portalURL, *code)
	if err != nil {
		return explain(stderr, *portalURL, err)
	}
	fmt.Fprintln(stdout, i18n.T("tool.sync.activated", map[string]any{"TillID": a.TillID, "SalesPointID": a.SalesPointID}))
	p, err := c.PullConfig(ctx)
	if err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.sync.config.not.pulled", nil)))
		return ExitOK
	}
	fmt.Fprintln(stdout, i18n.T("tool.sync.config.pulled", map[string]any{"Version": p.Version}))
	cp, err := c.PullCatalogue(ctx)
	switch {
	case err != nil:
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.sync.catalogue.not.pulled", nil)))
	case cp.Managed:
		fmt.Fprintln(stdout, i18n.T("tool.sync.catalogue.applied", map[string]any{"Version": cp.Version}))
	}
	return ExitOK
}

// RunSync is `till sync`; args follow the command name.
func RunSync(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("till sync", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // the flag package's words are English: errtext says them
	dbPath := flags.String("db", "", "the till's database")
	asJSON := flags.Bool("json", false, "print the result as JSON")
	if err := flags.Parse(args); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err)+i18n.T("tool.sync.usage")+"\n")
		return ExitOffline
	}
	if *dbPath == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, i18n.T("tool.sync.usage"))
		return ExitOffline
	}
	if _, err := os.Stat(*dbPath); errors.Is(err, fs.ErrNotExist) {
		// storage.Open would make a new empty database, which is never activated.
		fmt.Fprintln(stderr, i18n.T("tool.db.missing", map[string]any{"Path": *dbPath}))
		return ExitFailed
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	db, err := storage.Open(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.db.open", map[string]any{"Path": *dbPath})))
		return ExitFailed
	}
	defer db.Close()
	st, err := db.LoadSyncState(ctx)
	if err != nil {
		fmt.Fprintln(stderr, errtext.Explain(errtext.Wrap(err, "tool.sync.state", nil)))
		return ExitFailed
	}
	c := &tillsync.Client{DB: db}
	r, err := syncNow(ctx, c)
	if err != nil {
		return explain(stderr, st.PortalURL, err)
	}
	if *asJSON {
		fmt.Fprintf(stdout, "{\"pushed\": %d, \"pending\": %d, \"config_version\": %d, \"catalogue_version\": %d, \"portal_sales_received\": %d}\n",
			r.push.Pushed(), r.push.Pending, r.version, r.catalogue.Version, r.status.SalesReceived)
		return ExitOK
	}
	catalogue := i18n.T("tool.sync.catalogue.local")
	if r.catalogue.Managed {
		catalogue = i18n.T("tool.sync.catalogue.portal", map[string]any{"Version": r.catalogue.Version})
	}
	fmt.Fprintln(stdout, i18n.T("tool.sync.done", map[string]any{"Pushed": r.push.Pushed(), "Duplicates": r.push.Duplicates,
		"Pending": r.push.Pending, "Version": r.version, "Catalogue": catalogue, "Received": r.status.SalesReceived}))
	return ExitOK
}

type result struct {
	push      tillsync.Push
	version   int64
	catalogue tillsync.CataloguePull
	status    tillsync.Status
}

// syncNow is one `till sync`: configuration and catalogue first, so that a revoked token is
// found before any sale is sent, then the sales, then what the portal holds. A catalogue the
// till refuses stops the command (it says why), as a refused configuration does; the till
// keeps the one it has.
func syncNow(ctx context.Context, c *tillsync.Client) (result, error) {
	var r result
	p, err := c.PullConfig(ctx)
	if err != nil {
		return r, err
	}
	r.version = p.Version
	if r.catalogue, err = c.PullCatalogue(ctx); err != nil {
		return r, err
	}
	if r.push, err = c.PushSales(ctx); err != nil {
		return r, err
	}
	r.status, err = c.Status(ctx)
	return r, err
}

// explain words a failure for the person at the till and picks the exit status. The error's
// technical text follows on its own line where it tells more than the sentence.
func explain(w io.Writer, portalURL string, err error) int {
	var e *tillsync.Error
	say := func(key string, data map[string]any, detail bool) {
		text := i18n.T(key, data)
		if detail {
			text += "\n" + errtext.Detail(err)
		}
		fmt.Fprintln(w, text)
	}
	switch {
	case errors.Is(err, tillsync.ErrNotActivated):
		say("tool.sync.not.activated", nil, false)
		return ExitFailed
	case errors.Is(err, tillsync.ErrRevoked):
		say("tool.sync.revoked", nil, false)
		return ExitOffline
	case errors.Is(err, tillsync.ErrUnreachable):
		say("tool.sync.unreachable", map[string]any{"Portal": portalURL}, true)
		return ExitOffline
	case errors.As(err, &e) && e.Code == "unknown_code":
		say("tool.sync.code.unknown", nil, false)
	case errors.As(err, &e) && e.Code == "code_used":
		say("tool.sync.code.used", nil, false)
	case errors.As(err, &e):
		say("tool.sync.portal.error", nil, true)
	default:
		fmt.Fprintln(w, errtext.Explain(err))
	}
	return ExitFailed
}
