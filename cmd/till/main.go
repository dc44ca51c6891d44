// Command till is the desktop till. With no subcommand it opens the till window; subcommands
// serve installers and scripts (see usage). main only parses flags and wires packages.
package main

import (
	// First of all: the language default must be in place before fyne's lang package reads it.
	_ "cassa.local/earlyenv"

	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"till/app/boot"
	"till/app/cataloguecli"
	"till/app/checkout"
	"till/app/closecli"
	"till/app/dbcli"
	"till/app/errtext"
	"till/app/invoicecli"
	"till/app/journalcli"
	"till/app/operatorcli"
	"till/app/refundcli"
	"till/app/salecli"
	"till/app/synccli"
	"till/app/ui"
	"till/fiscal/fiscalcli"
	"till/internal/i18n"
	"till/pos/ecrcli"
	"till/storage"
)

// usage is the help of every command, in the run's language (set before main: see
// cassa.local/earlyenv); the flags are the same in both.
var usage = i18n.T("cli.till.usage")

func main() {
	if len(os.Args) > 1 {
		attachConsole() // on Windows, a subcommand prints in the console it was typed in
	}
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
		case "sale":
			return salecli.Run(args[1:], stdout, stderr)
		case "catalogue":
			return cataloguecli.Run(args[1:], stdout, stderr)
		case "db":
			return dbcli.Run(args[1:], stdout, stderr)
		case "operators":
			return operatorcli.Run(args[1:], stdout, stderr)
		case "refund":
			return refundcli.RunRefund(args[1:], stdout, stderr)
		case "void":
			return refundcli.RunVoid(args[1:], stdout, stderr)
		case "close":
			return closecli.Run(args[1:], stdout, stderr)
		case "journal":
			return journalcli.RunJournal(args[1:], stdout, stderr)
		case "audit":
			return journalcli.RunAudit(args[1:], stdout, stderr)
		case "invoices":
			return invoicecli.Run(args[1:], stdout, stderr)
		case "activate":
			return synccli.RunActivate(args[1:], stdout, stderr)
		case "sync":
			return synccli.RunSync(args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, version)
			return 0
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		}
	}
	fs := flag.NewFlagSet("till", flag.ContinueOnError)
	// The flag package's messages are English: errtext.Flag says them in the run's language.
	fs.SetOutput(io.Discard)
	var o guiOptions
	fs.StringVar(&o.db, "db", "", "database file (default: the user's data folder)")
	fs.StringVar(&o.config, "config", "", "configuration document to import (docs/spec/config.md)")
	fs.StringVar(&o.printer, "printer", "", "Epson RT printer URL, e.g. http://192.168.1.20 (default: the demo printer)")
	fs.BoolVar(&o.courtesy, "courtesy-invoice", false, "also print a paper copy of every invoice on the RT printer")
	fs.BoolVar(&o.reprintByNumber, "printer-reprint-by-number", false,
		"ASSUMPTION beyond the printer contract: reprint any document of the day by number (printContentByNumbers, docs/fiscal.md)")
	fs.BoolVar(&o.demo, "demo", true, "simulated payment terminals and a demo configuration when none is imported")
	window := fs.String("window", "", i18n.T("layout.flag.window"))
	if err := fs.Parse(args); err != nil {
		fmt.Fprint(stderr, errtext.Flag(err)+usage)
		return 2
	}
	if *window != "" {
		size, err := parseSize(*window)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		o.window = size
	}
	if fs.NArg() > 0 {
		fmt.Fprint(stderr, i18n.T("cli.till.unknown.command", map[string]any{"Command": fs.Arg(0)})+"\n"+usage)
		return 2
	}
	if o.db == "" {
		p, err := boot.DefaultDBPath()
		if err != nil {
			fmt.Fprintln(stderr, errtext.Explain(err))
			return 2
		}
		o.db = p
	}
	return runGUI(o, stderr)
}

func screenshots(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("till screenshots", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "database to use (default: a new temporary demo database)")
	sizeFlag := fs.String("size", "1024x768", i18n.T("layout.flag.size"))
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
		fmt.Fprint(stderr, i18n.T("cli.till.screenshots.no.dir")+"\n"+usage)
		return 2
	}
	size, err := parseSize(*sizeFlag)
	if err != nil {
		fmt.Fprintln(stderr, err)
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
	ctx := context.Background()
	t, err := boot.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(stderr, dbError(err))
		return 2
	}
	defer t.Close()
	stop, err := t.StartDemoTerminals(ctx, 0)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer stop()
	d := deps(t, title())
	d.Demo = true // the demo's database and terminals: the header says so, as in the demo window
	files, err := ui.Screenshots(dir, size, d)
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return 0
}

// deps connects the UI to an assembled till.
func deps(t *boot.Till, title string) ui.Deps {
	return ui.Deps{Store: t.DB, DB: t.DB, Returns: t.Returns(), Devices: t, Customers: t.DB, Configs: t.DB, Seller: checkout.DemoSeller(),
		Checkout: t.Checkout, NewID: storage.NewID, Title: title}
}
