// Command till is the desktop till. With no subcommand it opens the till window; subcommands
// serve installers and scripts (see usage). main only parses flags and wires packages.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"till/app/boot"
	"till/app/ui"
	"till/fiscal/fiscalcli"
	"till/pos/ecrcli"
	"till/storage"
)

const usage = `Uso / usage:
  till [-db PATH]                 apre la cassa (demo: stampante simulata, reparti di esempio)
  till screenshots DIR [-db PATH] salva in DIR le immagini PNG delle schermate principali
  till ecr status|pay|reverse|last|totals|close --link LINK --terminal-id 8CIFRE --ecr-id 8CIFRE
           [--profile Ingenico_EMW|"Ingenico EMW_IT"] [--amount 12,50] [--json]
                                  prova il terminale di pagamento (vedi docs/terminal.md)
  till fiscal status|x-report|z-report|test-receipt --printer URL [--json]
                                  prova la stampante fiscale RT (vedi docs/fiscal.md)
  till version                    mostra la versione
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "screenshots":
			return screenshots(args[1:], stdout, stderr)
		case "ecr":
			return ecrcli.Run(args[1:], stdout, stderr)
		case "fiscal":
			return fiscalcli.Run(args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, version)
			return 0
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		}
	}
	fs := flag.NewFlagSet("till", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	dbPath := fs.String("db", "", "database file (default: the user's data folder)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "comando sconosciuto %q / unknown command\n%s", fs.Arg(0), usage)
		return 2
	}
	path, err := dbPathOrDefault(*dbPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return runGUI(path, stderr)
}

func dbPathOrDefault(p string) (string, error) {
	if p != "" {
		return p, nil
	}
	return boot.DefaultDBPath()
}

func screenshots(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("till screenshots", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "database to use (default: a new temporary demo database)")
	dir := ""
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		dir, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if dir == "" && fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	if dir == "" {
		fmt.Fprint(stderr, "manca la cartella / missing DIR\n"+usage)
		return 2
	}
	ui.DefaultLanguageEnv()
	if err := ui.LoadTranslations(); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	path := *dbPath
	if path == "" {
		tmp, err := os.MkdirTemp("", "till-screenshots-")
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		defer os.RemoveAll(tmp)
		path = filepath.Join(tmp, "demo.db")
	}
	t, err := boot.Open(context.Background(), path)
	if err != nil {
		fmt.Fprintln(stderr, dbError(err))
		return 2
	}
	defer t.Close()
	files, err := ui.Screenshots(dir, ui.Deps{Store: t.DB, Checkout: t.Checkout, NewID: storage.NewID, Title: title()})
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return 0
}
