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
	"till/app/cataloguecli"
	"till/app/checkout"
	"till/app/closecli"
	"till/app/dbcli"
	"till/app/invoicecli"
	"till/app/journalcli"
	"till/app/operatorcli"
	"till/app/refundcli"
	"till/app/salecli"
	"till/app/synccli"
	"till/app/ui"
	"till/fiscal/fiscalcli"
	"till/pos/ecrcli"
	"till/storage"
)

const usage = `Uso / usage:
  till [-db PATH] [-config PATH] [-printer URL[?serial=MATRICOLA]] [-printer-reprint-by-number]
       [-courtesy-invoice] [-demo=false]
                                  apre la cassa; in demo (predefinito) terminali e stampante simulati
  till sale --db PATH [--config PATH] --line "DESCR;QTA;PREZZO;REPARTO[;SCONTO]" ... [--discount 10%|1,50]
           [--confirm-discount] --pay coverflex[:IMPORTO] [--terminal TERMINAL_ID] --pay cash[:IMPORTO]
           --document receipt|invoice [--customer-...] [--printer URL] [--operator PIN] [--json]
                                  una vendita senza finestra (vedi README)
  till operators add --db PATH --name NOME --pin PIN --role cashier|manager [--operator PIN] [--json]
  till operators list --db PATH [--json]
  till operators disable --db PATH --number N [--operator PIN]
                                  gli operatori della cassa (vedi README, "Operatori")
  till refund --db PATH --document ZZZZ-NNNN [--line N[:QTA] ...] --operator PIN --printer URL [--json]
  till void --db PATH --document ZZZZ-NNNN --operator PIN --printer URL [--json]
                                  reso o annullo di uno scontrino (vedi docs/fiscal.md)
  till close --db PATH [--config PATH] --operator PIN --printer URL [--cash IMPORTO]
           [--acknowledge-open] [--json]
                                  chiusura giornaliera: terminali, contanti, Z (vedi docs/closing.md)
  till journal --db PATH --day AAAA-MM-GG [--json]
                                  il giornale di un giorno
  till audit verify --db PATH [--json]
                                  verifica che nessun dato sia stato alterato (vedi docs/audit.md)
  till catalogue import --db PATH FILE.csv [--replace] [--json]
  till catalogue export --db PATH FILE.csv
  till catalogue search --db PATH QUERY [--json]
                                  il catalogo prodotti in un file CSV (vedi README, "Catalogo CSV")
  till db check --db PATH [--json]
                                  controllo completo di integrità del database
  till screenshots DIR [-db PATH] salva in DIR le immagini PNG delle schermate principali
  till ecr status|pay|reverse|last|totals|close --link LINK --terminal-id 8CIFRE --ecr-id 8CIFRE
           [--profile Ingenico_EMW|"Ingenico EMW_IT"] [--amount 12,50] [--json]
                                  prova il terminale di pagamento (vedi docs/terminal.md)
  till fiscal status|x-report|z-report|test-receipt --printer URL [--json]
                                  prova la stampante fiscale RT (vedi docs/fiscal.md)
  till invoices export DIR --db PATH [--year AAAA]
                                  esporta le fatture elettroniche XML (vedi docs/invoices.md)
  till activate --db PATH --portal URL --code CODICE
                                  collega la cassa al portale con un codice monouso
  till sync --db PATH [--json]    scarica la configurazione, invia le vendite, legge lo stato del portale
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
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	var o guiOptions
	fs.StringVar(&o.db, "db", "", "database file (default: the user's data folder)")
	fs.StringVar(&o.config, "config", "", "configuration document to import (docs/spec/config.md)")
	fs.StringVar(&o.printer, "printer", "", "Epson RT printer URL, e.g. http://192.168.1.20 (default: the demo printer)")
	fs.BoolVar(&o.courtesy, "courtesy-invoice", false, "also print a paper copy of every invoice on the RT printer")
	fs.BoolVar(&o.reprintByNumber, "printer-reprint-by-number", false,
		"ASSUMPTION beyond the printer contract: reprint any document of the day by number (printContentByNumbers, docs/fiscal.md)")
	fs.BoolVar(&o.demo, "demo", true, "simulated payment terminals and a demo configuration when none is imported")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "comando sconosciuto %q / unknown command\n%s", fs.Arg(0), usage)
		return 2
	}
	if o.db == "" {
		p, err := boot.DefaultDBPath()
		if err != nil {
			fmt.Fprintln(stderr, err)
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
	files, err := ui.Screenshots(dir, deps(t, title()))
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
