// Package invoicecli is the command line that hands the till's invoices to the accountant or
// the SdI intermediary: `till invoices export DIR --db PATH [--year YYYY]` writes each stored
// FatturaPA XML as a file named the way SdI expects. It only reads invoices already issued; it
// never numbers or changes one. Text is Italian, English when LANG starts with "en".
package invoicecli

import (
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"till/storage"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitError = 2 // bad usage, a database that cannot be read, a folder that cannot be written
)

const usage = `usage: till invoices export DIR --db PATH [--year YYYY]`

// messages are the command's texts: Italian first, English second.
var messages = map[string][2]string{
	"usage":    {"uso: till invoices export CARTELLA --db PERCORSO [--year AAAA]", usage},
	"no-db":    {"database %s non trovato: indica quello della cassa con --db", "database %s not found: give the till's one with --db"},
	"open-db":  {"impossibile aprire il database %s: %v", "cannot open the database %s: %v"},
	"read":     {"impossibile leggere le fatture: %v", "cannot read the invoices: %v"},
	"dir":      {"impossibile scrivere nella cartella %s: %v", "cannot write to the folder %s: %v"},
	"name":     {"fattura %d/%d: %v", "invoice %d/%d: %v"},
	"none":     {"nessuna fattura da esportare", "no invoices to export"},
	"none-in":  {"nessuna fattura del %d da esportare", "no invoices of %d to export"},
	"exported": {"%d fatture esportate in %s", "%d invoices exported to %s"},
	"year":     {"anno non valido %q: usa 4 cifre, es. 2026", "invalid year %q: use 4 digits, e.g. 2026"},
}

type printer struct {
	en  bool
	out io.Writer
}

func (p printer) say(key string, args ...any) {
	m := messages[key]
	text := m[0]
	if p.en {
		text = m[1]
	}
	fmt.Fprintf(p.out, text+"\n", args...)
}

// Run executes one verb; args start with the verb ("export"). It returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	errs := printer{en: strings.HasPrefix(os.Getenv("LANG"), "en"), out: stderr}
	if len(args) == 0 || args[0] != "export" {
		errs.say("usage")
		return ExitError
	}
	dir, dbPath, year, ok := parse(args[1:], errs)
	if !ok {
		return ExitError
	}
	ctx := context.Background()
	// Never a new, empty database: exporting from it says nothing useful.
	db, err := storage.OpenExisting(ctx, dbPath)
	switch {
	case errors.Is(err, storage.ErrNoDatabase):
		errs.say("no-db", dbPath)
		return ExitError
	case err != nil:
		errs.say("open-db", dbPath, err)
		return ExitError
	}
	defer db.Close()
	invoices, err := db.Invoices(ctx, year)
	if err != nil {
		errs.say("read", err)
		return ExitError
	}
	if len(invoices) == 0 {
		if year != 0 {
			errs.say("none-in", year)
		} else {
			errs.say("none")
		}
		return ExitOK
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		errs.say("dir", dir, err)
		return ExitError
	}
	for _, inv := range invoices {
		name, err := FileName(inv.XML, inv.Number, inv.Year)
		if err != nil {
			errs.say("name", inv.Number, inv.Year, err)
			return ExitError
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, inv.XML, 0o644); err != nil {
			errs.say("dir", dir, err)
			return ExitError
		}
		fmt.Fprintln(stdout, path)
	}
	errs.say("exported", len(invoices), dir)
	return ExitOK
}

// parse reads DIR and the flags, in any order.
func parse(args []string, errs printer) (dir, dbPath string, year int, ok bool) {
	fl := flag.NewFlagSet("till invoices export", flag.ContinueOnError)
	fl.SetOutput(errs.out)
	fl.StringVar(&dbPath, "db", "", "the till's database file")
	yearText := fl.String("year", "", "only the invoices of this year (default: all)")
	var positional []string
	for {
		if err := fl.Parse(args); err != nil {
			return "", "", 0, false
		}
		if fl.NArg() == 0 {
			break
		}
		positional = append(positional, fl.Arg(0))
		args = fl.Args()[1:]
	}
	if len(positional) != 1 || dbPath == "" {
		errs.say("usage")
		return "", "", 0, false
	}
	if *yearText != "" {
		y, err := strconv.Atoi(*yearText)
		if err != nil || y < 2000 || y > 2099 {
			errs.say("year", *yearText)
			return "", "", 0, false
		}
		year = y
	}
	return positional[0], dbPath, year, true
}

// header is the part of an FPR12 document that names the transmitter.
type header struct {
	Country string `xml:"FatturaElettronicaHeader>DatiTrasmissione>IdTrasmittente>IdPaese"`
	Code    string `xml:"FatturaElettronicaHeader>DatiTrasmissione>IdTrasmittente>IdCodice"`
}

// FileName is the SdI file name of an invoice: the transmitter's country and code (from the
// XML's IdTrasmittente, the shop's P.IVA for the till's invoices), "_", and a progressive of 5
// letters or digits unique for that transmitter: the year's last two digits followed by the
// yearly number in base 36 on 3 characters (1/2026 is 26001, 10/2026 is 2600A, 46655/2026 is
// 26ZZZ). For example IT02468135799_26001.xml.
func FileName(invoiceXML []byte, number, year int) (string, error) {
	var h header
	if err := xml.Unmarshal(invoiceXML, &h); err != nil {
		return "", fmt.Errorf("read the transmitter: %w", err)
	}
	if len(h.Country) != 2 || h.Code == "" || strings.ContainsAny(h.Code, `/\_. `) {
		return "", fmt.Errorf("no usable IdTrasmittente in the XML (%q %q)", h.Country, h.Code)
	}
	if year < 2000 || year > 2099 || number < 1 || number >= 36*36*36 {
		return "", fmt.Errorf("number %d/%d does not fit a 5-character progressive", number, year)
	}
	seq := strings.ToUpper(strconv.FormatInt(int64(number), 36))
	seq = strings.Repeat("0", 3-len(seq)) + seq
	return fmt.Sprintf("%s%s_%02d%s.xml", h.Country, h.Code, year%100, seq), nil
}
