// Command portal runs the back office: the pages where a shop owner configures Coverflex and
// the API the tills sync with. It only parses flags and wires the portal package.
//
//	portal [-listen 127.0.0.1:8080] [-trusted-proxy ADDR,…] [-db portal.db | -dsn postgres://… | -dsn-file PATH]
//	portal seed-demo -db PATH [--json]
//	portal revoke -db PATH -till ID
//
// Every subcommand takes -dsn postgres://user@host/db or -dsn-file PATH to use PostgreSQL
// instead of the SQLite file. The password never goes on the command line, where any user of
// the machine can read it: it comes from PGPASSWORD (or ~/.pgpass), or from the DSN in a file
// that only its owner can read.
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
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
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
	proxies := fs.String("trusted-proxy", "", "comma-separated addresses or networks (127.0.0.1, 10.0.0.0/8) of the TLS reverse proxy in front:\n"+
		"its X-Forwarded-For gives the client address and its requests get Secure cookies")
	db := databaseFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	trusted, err := parseProxies(*proxies)
	if err != nil {
		return err
	}
	store, err := db.open(ctx)
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
	srv := &http.Server{Handler: portal.NewServer(store, portal.TrustedProxies(trusted...)), ReadHeaderTimeout: 10 * time.Second,
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
	db := databaseFlags(fs)
	asJSON := fs.Bool("json", false, "print the demo account as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := db.open(ctx)
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
	db := databaseFlags(fs)
	tillID := fs.String("till", "", "id of the till whose device token to revoke")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tillID == "" {
		return errors.New("revoke: -till ID is required")
	}
	if !db.postgres() {
		// Revoking never creates a database: a mistyped path must not look like success.
		if _, err := os.Stat(*db.path); err != nil {
			return fmt.Errorf("revoke: %w", err)
		}
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.RevokeTillByID(ctx, *tillID); err != nil {
		if errors.Is(err, portal.ErrNotFound) {
			return fmt.Errorf("revoke: no till %s in %s", *tillID, store.Path())
		}
		return fmt.Errorf("revoke: %w", err)
	}
	fmt.Fprintf(out, "till %s revoked: it must be activated again with a new code\n", *tillID)
	return nil
}

// dbFlags are the flags that say which database to use, the same for every subcommand.
type dbFlags struct {
	path, dsn, dsnFile *string
}

func databaseFlags(fs *flag.FlagSet) dbFlags {
	return dbFlags{
		path: fs.String("db", "portal.db", "SQLite database file (created if missing)"),
		dsn: fs.String("dsn", "", "PostgreSQL URL without password (postgres://user@host/db); overrides -db;\n"+
			"the password comes from PGPASSWORD or ~/.pgpass"),
		dsnFile: fs.String("dsn-file", "", "file holding the PostgreSQL URL, password included; it must not be\n"+
			"readable by group or others (chmod 600)"),
	}
}

func (f dbFlags) postgres() bool { return *f.dsn != "" || *f.dsnFile != "" }

func (f dbFlags) open(ctx context.Context) (*portal.Store, error) {
	name, err := f.database()
	if err != nil {
		return nil, err
	}
	return portal.Open(ctx, name)
}

// database is the PostgreSQL URL of -dsn or -dsn-file, else the -db file.
func (f dbFlags) database() (string, error) {
	switch {
	case *f.dsn != "" && *f.dsnFile != "":
		return "", errors.New("give -dsn or -dsn-file, not both")
	case *f.dsn != "":
		if hasPassword(*f.dsn) {
			return "", errors.New("-dsn must not hold the password: any user of this machine can read a command line; " +
				"set PGPASSWORD, or put the URL in a file readable only by you and pass -dsn-file")
		}
		return *f.dsn, nil
	case *f.dsnFile != "":
		return readDSNFile(*f.dsnFile)
	}
	return *f.path, nil
}

// readDSNFile reads a PostgreSQL URL from a file that only its owner may read.
func readDSNFile(path string) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("-dsn-file: %w", err)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return "", fmt.Errorf("-dsn-file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("-dsn-file %s is readable by others (mode %v): it holds the database password; run chmod 600 %s",
			path, st.Mode().Perm(), path)
	}
	data, err := io.ReadAll(io.LimitReader(file, 64<<10))
	if err != nil {
		return "", fmt.Errorf("-dsn-file: %w", err)
	}
	dsn := strings.TrimSpace(string(data))
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return "", fmt.Errorf("-dsn-file %s must hold one postgres:// URL", path)
	}
	return dsn, nil
}

// hasPassword reports whether a PostgreSQL URL carries a password, in its user part or as a
// password= parameter.
func hasPassword(dsn string) bool {
	u, err := url.Parse(dsn)
	if err != nil {
		return false // not a URL: opening it fails with a message that does not repeat it
	}
	_, set := u.User.Password()
	return set || u.Query().Has("password")
}

// parseProxies reads -trusted-proxy: addresses or networks, separated by commas.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("-trusted-proxy: %q is not an IP address or network (127.0.0.1, ::1, 10.0.0.0/8)", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
