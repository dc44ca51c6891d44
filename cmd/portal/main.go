// Command portal runs the back office: the pages where a shop owner configures Coverflex and
// the API the tills sync with. It only parses flags and wires the portal package.
//
//	portal [-listen 127.0.0.1:8080] [-db portal.db | -dsn postgres://…]
//	portal seed-demo -db PATH [--json]
//	portal revoke -db PATH -till ID
//
// Every subcommand takes -dsn postgres://user:password@host/db to use PostgreSQL instead of
// the SQLite file.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"till/portal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "seed-demo":
			return seedDemo(ctx, args[1:], out)
		case "revoke":
			return revoke(ctx, args[1:], out)
		}
	}
	return serve(ctx, args, out)
}

func serve(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve on (host:port; port 0 picks a free one)")
	dbPath := fs.String("db", "portal.db", "SQLite database file (created if missing)")
	dsn := fs.String("dsn", "", "PostgreSQL URL (postgres://…); overrides -db")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := portal.Open(ctx, database(*dbPath, *dsn))
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	// Tests that pass port 0 read the real address from this line.
	fmt.Fprintf(out, "portal: serving http://%s (database %s)\n", ln.Addr(), store.Path())
	srv := &http.Server{Handler: portal.NewServer(store), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			slog.Error("portal shutdown", "err", err)
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

func seedDemo(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("portal seed-demo", flag.ContinueOnError)
	dbPath := fs.String("db", "portal.db", "SQLite database file (created if missing)")
	dsn := fs.String("dsn", "", "PostgreSQL URL (postgres://…); overrides -db")
	asJSON := fs.Bool("json", false, "print the demo account as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := portal.Open(ctx, database(*dbPath, *dsn))
	if err != nil {
		return err
	}
	defer store.Close()
	info, err := portal.SeedDemo(ctx, store)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	fmt.Fprintf(out, "Demo account %s\n  e-mail:   %s\n  password: %s\n  sales point %s (%s)\n",
		info.AccountID, info.Email, info.Password, info.SalesPointName, info.SalesPointID)
	for _, t := range info.Tills {
		fmt.Fprintf(out, "  till %s (%s): activation code %s\n", t.Name, t.ID, t.ActivationCode)
	}
	fmt.Fprintf(out, "  terminal %s: Terminal ID %s, Merchant ID %s\n", info.DeviceID, info.TerminalID, info.MerchantID)
	return nil
}

func revoke(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("portal revoke", flag.ContinueOnError)
	dbPath := fs.String("db", "portal.db", "SQLite database file")
	dsn := fs.String("dsn", "", "PostgreSQL URL (postgres://…); overrides -db")
	tillID := fs.String("till", "", "id of the till whose device token to revoke")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tillID == "" {
		return errors.New("revoke: -till ID is required")
	}
	if *dsn == "" {
		// Revoking never creates a database: a mistyped path must not look like success.
		if _, err := os.Stat(*dbPath); err != nil {
			return fmt.Errorf("revoke: %w", err)
		}
	}
	store, err := portal.Open(ctx, database(*dbPath, *dsn))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.RevokeTillByID(ctx, *tillID); err != nil {
		if errors.Is(err, portal.ErrNotFound) {
			return fmt.Errorf("revoke: no till %s in %s", *tillID, *dbPath)
		}
		return fmt.Errorf("revoke: %w", err)
	}
	fmt.Fprintf(out, "till %s revoked: it must be activated again with a new code\n", *tillID)
	return nil
}

// database is the -dsn URL when given, else the -db file.
func database(path, dsn string) string {
	if dsn != "" {
		return dsn
	}
	return path
}
