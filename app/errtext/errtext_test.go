package errtext

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"till/app/checkout"
	"till/app/dayclose"
	"till/app/opauth"
	"till/fiscal"
	"till/internal/i18n"
	"till/storage"
)

// TestCoreErrorsSpeakTheRunsLanguage: the core's English errors, as the commands meet them
// (wrapped, behind opauth, with a field and a reason), come out in Italian by default and in
// English under an English environment, never as the Go error's own text.
func TestCoreErrorsSpeakTheRunsLanguage(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		it, en string
	}{
		{"cash tendered too low", fmt.Errorf("complete: %w", checkout.ErrTenderTooLow), "non coprono il totale", "do not cover the total"},
		{"a P.IVA's check digit", &checkout.CustomerError{Field: checkout.FieldVATNumber, Reason: checkout.ReasonChecksum},
			"P.IVA errata", "Wrong VAT number"},
		{"a missing postcode", &checkout.CustomerError{Field: checkout.FieldCAP, Reason: checkout.ReasonMissing},
			"Inserisci il CAP", "Type the postcode"},
		{"a wrong PIN through opauth", &opauth.Error{Text: "PIN operatore errato / wrong operator PIN", Err: storage.ErrWrongPIN},
			"PIN operatore errato", "Wrong operator PIN"},
		{"a locked PIN", &storage.PINLockedError{Until: time.Date(2026, 1, 2, 15, 4, 5, 0, time.Local)}, "riprovare dopo le 15:04:05",
			"try again after 15:04:05"},
		{"a printer not ready", fmt.Errorf("print: %w", fiscal.ErrNotReady), "Stampante non pronta", "Printer not ready"},
		{"a printer's own status", &fiscal.Error{Kind: fiscal.ErrNotReady, Code: "PRINTER ERROR", Status: 3},
			"Stampante non in linea", "Printer offline"},
		{"the Z's outcome", fmt.Errorf("%w: timeout", dayclose.ErrZUnknown), "Esito dello Z sconosciuto", "Z outcome unknown"},
		{"open payments", &dayclose.OpenError{Payments: make([]storage.OpenPayment, 3)}, "3 pagamenti aperti", "3 open payments"},
		{"a receipt total", &checkout.AmountMismatch{Document: "0001-0002", Sale: 1250, Printed: 1200},
			"diverso da quello della vendita (12,50 €)", "the sale 12,50 €"},
		{"a database that is not one", fmt.Errorf("open x: %w", storage.ErrNotSQLite), "non è un database della cassa",
			"not a till database"},
		{"an uncertain refund", checkout.ErrReturnUncertain, "potrebbe essere stato emesso", "may have been issued"},
		{"a discount in context", Wrap(fmt.Errorf("%q: %w", "dieci", checkout.ErrBadDiscount), "cli.sale.line",
			map[string]any{"Line": "Torta;1;20,00;2;dieci"}), "--line Torta;1;20,00;2;dieci: Sconto non valido",
			"--line Torta;1;20,00;2;dieci: Invalid discount"},
		{"an error of no known kind", errors.New("disk on fire"), "Operazione non riuscita.\n  dettaglio: disk on fire",
			"The operation failed.\n  detail: disk on fire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			for _, lang := range []struct{ env, want, other string }{{"C.UTF-8", tt.it, tt.en}, {"en_US.UTF-8", tt.en, tt.it}} {
				t.Setenv("LANG", lang.env)
				got := Text(tt.err)
				if got == "" || got == tt.err.Error() || !strings.Contains(got, lang.want) ||
					(lang.other != "" && strings.Contains(got, lang.other)) {
					t.Errorf("LANG=%s: %q, want it to contain %q and not %q", lang.env, got, lang.want, lang.other)
				}
				if tt.err.Error() != "disk on fire" && strings.Contains(got, tt.err.Error()) {
					t.Errorf("LANG=%s: the Go error's own text in %q", lang.env, got)
				}
			}
		})
	}
}

// TestPrinterCodesSayTheLanguageAsked: a printer's coded error is the driver's text in each
// language, and the two differ.
func TestPrinterCodesSayTheLanguageAsked(t *testing.T) {
	err := &fiscal.Error{Kind: fiscal.ErrRefused, Code: "PRINTER ERROR", Status: 11}
	it, en := In("it", err), In("en", err)
	if it == "" || en == "" || it == en {
		t.Fatalf("it %q, en %q", it, en)
	}
}

// TestExplainAddsTheDetailOnItsOwnLine: the translated text first, the technical detail after.
func TestExplainAddsTheDetailOnItsOwnLine(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANG", "it_IT.UTF-8")
	err := fmt.Errorf("sale 7: %w", checkout.ErrDeclined)
	got := Explain(err)
	want := i18n.In("it", "cli.err.declined") + "\n  dettaglio: sale 7: payment declined by the terminal"
	if got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if got := Explain(Say("cli.sale.no.terminal", nil)); got != i18n.In("it", "cli.sale.no.terminal") {
		t.Fatalf("a command's own error: %q", got)
	}
	pin := &opauth.Error{Text: "PIN operatore errato / wrong operator PIN", Err: storage.ErrWrongPIN}
	if got := Explain(pin); strings.Contains(got, " / ") || !strings.HasSuffix(got, "dettaglio: wrong PIN") {
		t.Fatalf("opauth's two-language text leaked: %q", got)
	}
}

// TestEveryErrorTextExists: each entry of the tables names a text both languages have.
func TestEveryErrorTextExists(t *testing.T) {
	for _, k := range append(append([]struct {
		err error
		key string
	}{}, keys...), laterKeys...) {
		if !i18n.Has(k.key) {
			t.Errorf("%v: no text %s", k.err, k.key)
		}
	}
	for _, key := range []string{"cli.err.unexpected", "cli.err.detail", "cli.err.close.open.one", "cli.err.close.open.other"} {
		if !i18n.Has(key) {
			t.Errorf("no text %s", key)
		}
	}
}

// TestFlagErrorsAreTranslated: the flag package's English messages come out in the run's
// language, naming the flag.
func TestFlagErrorsAreTranslated(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANG", "C")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	fs.Int("n", 0, "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "opzione sconosciuta: --bogus\n"},
		{[]string{"-n"}, "all'opzione --n manca il valore\n"},
		{[]string{"-n", "x"}, "valore di un'opzione non valido\n  dettaglio: invalid value"},
	} {
		err := fs.Parse(c.args)
		if got := Flag(err); !strings.HasPrefix(got, c.want) {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
	if got := Flag(flag.ErrHelp); got != "" {
		t.Errorf("help: %q", got)
	}
}
