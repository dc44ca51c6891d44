// Package invoicecli is the command line that hands the till's invoices to the accountant or
// the SdI intermediary: `till invoices export DIR --db PATH [--year YYYY]` writes each stored
// FatturaPA XML as a file named the way SdI expects. It only reads invoices already issued; it
// never numbers or changes one. Messages are in the run's language (internal/i18n).
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

	"till/app/errtext"
	"till/internal/i18n"
	"till/storage"
)

// Exit statuses.
const (
	ExitOK    = 0
	ExitError = 2 // bad usage, a database that cannot be read, a folder that cannot be written
)

// Run executes one verb; args start with the verb ("export"). It returns the exit status.
func Run(args []string, stdout, stderr io.Writer) int {
	say := func(text string) { fmt.Fprintln(stderr, text) }
	explain := func(err error, key string, data map[string]any) {
		say(errtext.Explain(errtext.Wrap(err, key, data)))
	}
	if len(args) == 0 || args[0] != "export" {
		say(i18n.T("tool.invoices.usage"))
		return ExitError
	}
	dir, dbPath, year, ok := parse(args[1:], stderr)
	if !ok {
		return ExitError
	}
	ctx := context.Background()
	// Never a new, empty database: exporting from it says nothing useful.
	db, err := storage.OpenExisting(ctx, dbPath)
	switch {
	case errors.Is(err, storage.ErrNoDatabase):
		say(i18n.T("tool.db.missing", map[string]any{"Path": dbPath}))
		return ExitError
	case err != nil:
		explain(err, "tool.db.open", map[string]any{"Path": dbPath})
		return ExitError
	}
	defer db.Close()
	invoices, err := db.Invoices(ctx, year)
	if err != nil {
		explain(err, "tool.invoices.read", nil)
		return ExitError
	}
	if len(invoices) == 0 {
		if year != 0 {
			say(i18n.T("tool.invoices.none.year", map[string]any{"Year": year}))
		} else {
			say(i18n.T("tool.invoices.none"))
		}
		return ExitOK
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		explain(err, "tool.invoices.dir", map[string]any{"Dir": dir})
		return ExitError
	}
	for _, inv := range invoices {
		name, err := FileName(inv.XML, inv.Number, inv.Year)
		if err != nil {
			explain(err, "tool.invoices.name", map[string]any{"Number": inv.Number, "Year": inv.Year})
			return ExitError
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, inv.XML, 0o644); err != nil {
			explain(err, "tool.invoices.dir", map[string]any{"Dir": dir})
			return ExitError
		}
		fmt.Fprintln(stdout, path)
	}
	say(i18n.N("tool.invoices.exported", len(invoices), map[string]any{"Dir": dir}))
	return ExitOK
}

// parse reads DIR and the flags, in any order.
func parse(args []string, stderr io.Writer) (dir, dbPath string, year int, ok bool) {
	usage := i18n.T("tool.invoices.usage")
	fl := flag.NewFlagSet("till invoices export", flag.ContinueOnError)
	fl.SetOutput(io.Discard) // the flag package's words are English: errtext says them
	fl.StringVar(&dbPath, "db", "", "the till's database file")
	yearText := fl.String("year", "", "only the invoices of this year (default: all)")
	var positional []string
	for {
		if err := fl.Parse(args); err != nil {
			fmt.Fprint(stderr, errtext.Flag(err))
			fmt.Fprintln(stderr, usage)
			return "", "", 0, false
		}
		if fl.NArg() == 0 {
			break
		}
		positional = append(positional, fl.Arg(0))
		args = fl.Args()[1:]
	}
	if len(positional) != 1 || dbPath == "" {
		fmt.Fprintln(stderr, usage)
		return "", "", 0, false
	}
	if *yearText != "" {
		y, err := strconv.Atoi(*yearText)
		if err != nil || y < 2000 || y > 2099 {
			fmt.Fprintln(stderr, i18n.T("tool.invoices.year", map[string]any{"Year": *yearText}))
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
