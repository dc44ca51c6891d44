// Package synccli is the command line of the till's link to the back office:
// `till activate --db PATH --portal URL --code CODE` and `till sync --db PATH [--json]`
// (docs/spec/sync.md). It only wires flags to tillsync and words the outcome; messages are
// Italian and English together, since they end up in installers' scripts and logs. It never
// prints the device token.
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

	"till/app/tillsync"
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

const (
	activateUsage = "uso / usage: till activate --db PERCORSO --portal URL --code CODICE"
	syncUsage     = "uso / usage: till sync --db PERCORSO [--json]"
)

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
	fmt.Fprintln(stderr, activateUsage+"\n"+syncUsage)
	return ExitOffline
}

// RunActivate is `till activate`; args follow the command name. After activating it pulls
// the configuration and the catalogue once, so the till is ready; a failed pull is only a
// warning, since the activation itself is done and the till pulls again at start.
func RunActivate(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("till activate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dbPath := flags.String("db", "", "database della cassa / the till's database")
	portalURL := flags.String("portal", "", "indirizzo del portale / portal URL, e.g. https://portale.esempio.it")
	code := flags.String("code", "", "codice di attivazione / activation code")
	if err := flags.Parse(args); err != nil {
		return ExitOffline
	}
	if *dbPath == "" || *portalURL == "" || *code == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, activateUsage)
		return ExitOffline
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := os.MkdirAll(filepath.Dir(*dbPath), 0o755); err != nil {
		fmt.Fprintf(stderr, "impossibile creare la cartella del database / cannot create the database folder: %v\n", err)
		return ExitFailed
	}
	db, err := storage.Open(ctx, *dbPath)
	if err != nil {
		fmt.Fprintf(stderr, "impossibile aprire il database %s / cannot open the database: %v\n", *dbPath, err)
		return ExitFailed
	}
	defer db.Close()
	c := &tillsync.Client{DB: db}
	a, err := c.Activate(ctx, *portalURL, *code)
	if err != nil {
		return explain(stderr, *portalURL, err)
	}
	fmt.Fprintf(stdout, "Cassa attivata / till activated: till_id %s, sales_point_id %s\n", a.TillID, a.SalesPointID)
	p, err := c.PullConfig(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "attenzione / warning: configurazione non scaricata / configuration not pulled: %v\n", err)
		return ExitOK
	}
	fmt.Fprintf(stdout, "Configurazione versione %d scaricata / configuration version %d pulled\n", p.Version, p.Version)
	cp, err := c.PullCatalogue(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "attenzione / warning: catalogo non scaricato / catalogue not pulled: %v\n", err)
	case cp.Managed:
		fmt.Fprintf(stdout, "Catalogo versione %d del portale applicato / back office catalogue version %d applied\n", cp.Version, cp.Version)
	}
	return ExitOK
}

// RunSync is `till sync`; args follow the command name.
func RunSync(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("till sync", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dbPath := flags.String("db", "", "database della cassa / the till's database")
	asJSON := flags.Bool("json", false, "risultato in JSON / print the result as JSON")
	if err := flags.Parse(args); err != nil {
		return ExitOffline
	}
	if *dbPath == "" || flags.NArg() > 0 {
		fmt.Fprintln(stderr, syncUsage)
		return ExitOffline
	}
	if _, err := os.Stat(*dbPath); errors.Is(err, fs.ErrNotExist) {
		// storage.Open would make a new empty database, which is never activated.
		fmt.Fprintf(stderr, "database %s non trovato / not found: indica quello della cassa con --db / give the till's one with --db\n", *dbPath)
		return ExitFailed
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	db, err := storage.Open(ctx, *dbPath)
	if err != nil {
		fmt.Fprintf(stderr, "impossibile aprire il database %s / cannot open the database: %v\n", *dbPath, err)
		return ExitFailed
	}
	defer db.Close()
	st, err := db.LoadSyncState(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "impossibile leggere lo stato della sincronizzazione / cannot read the sync state: %v\n", err)
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
	catalogue := "catalogo della cassa (non gestito dal portale)"
	if r.catalogue.Managed {
		catalogue = fmt.Sprintf("catalogo del portale versione %d", r.catalogue.Version)
	}
	fmt.Fprintf(stdout, "Sincronizzazione completata: %d vendite inviate (%d già presenti sul portale), %d in attesa, "+
		"configurazione versione %d, %s, il portale ha ricevuto %d vendite di questa cassa.\n",
		r.push.Pushed(), r.push.Duplicates, r.push.Pending, r.version, catalogue, r.status.SalesReceived)
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

// explain words a failure for the person at the till and picks the exit status.
func explain(w io.Writer, portalURL string, err error) int {
	var e *tillsync.Error
	switch {
	case errors.Is(err, tillsync.ErrNotActivated):
		fmt.Fprintln(w, "La cassa non è attivata: usa till activate con un codice generato nel portale. / "+
			"The till is not activated: run till activate with a code generated in the portal.")
		return ExitFailed
	case errors.Is(err, tillsync.ErrRevoked):
		fmt.Fprintln(w, "Token della cassa revocato o sconosciuto: la cassa conserva i suoi dati e continua a vendere offline; "+
			"riattivala con un nuovo codice (till activate). / Device token revoked or unknown: the till keeps its data and "+
			"keeps selling offline; activate it again with a new code (till activate).")
		return ExitOffline
	case errors.Is(err, tillsync.ErrUnreachable):
		fmt.Fprintf(w, "Portale %s non raggiungibile: la cassa continua a vendere offline e invierà le vendite più tardi. / "+
			"Portal %s unreachable: the till keeps selling offline and will send the sales later. (%v)\n", portalURL, portalURL, err)
		return ExitOffline
	case errors.As(err, &e) && e.Code == "unknown_code":
		fmt.Fprintln(w, "Codice di attivazione sconosciuto: generane uno nel portale per questa cassa. / "+
			"Unknown activation code: generate one in the portal for this till.")
	case errors.As(err, &e) && e.Code == "code_used":
		fmt.Fprintln(w, "Codice di attivazione già usato: generane uno nuovo nel portale. / "+
			"Activation code already used: generate a new one in the portal.")
	case errors.As(err, &e):
		fmt.Fprintf(w, "Il portale ha risposto con un errore; nessuna vendita è andata persa. / "+
			"The portal answered with an error; no sale was lost. (%v)\n", err)
	default:
		fmt.Fprintf(w, "Errore della cassa / till error: %v\n", err)
	}
	return ExitFailed
}
