package salecli

import (
	"strings"
	"testing"

	"till/internal/i18n"
)

// TestMessagesSpeakOneLanguage: what `till sale` says comes in one language, Italian by
// default and English under an English environment; the core's English errors ("cash
// tendered is below the amount due", "customer vatNumber: checksum") only follow as the
// technical detail, on a line of their own.
func TestMessagesSpeakOneLanguage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		key    string // the text expected
		goText string // the core's own error text, allowed only as the detail
	}{
		{"cash below the rest", []string{"--line", "Menu pranzo;1;12,00;2", "--pay", "coverflex:5,00", "--pay", "cash:1,00"},
			"cli.err.tender.too.low", "cash tendered is below the amount due"},
		{"a wrong P.IVA", []string{"--line", "Menu pranzo;1;12,00;2", "--pay", "coverflex", "--document", "invoice",
			"--customer-vat", "12345678901", "--customer-name", "Studio Bianchi", "--customer-address", "Via Roma 1, 20121, Milano, MI",
			"--customer-sdi", "ABC1234"}, "customer.err.vatNumber.checksum", "customer vatNumber: checksum"},
		{"a discount that is not one", []string{"--line", "Torta;1;20,00;2;dieci", "--pay", "coverflex"}, "cli.err.bad.discount", ""},
		{"no payment", []string{"--line", "Torta;1;20,00;2"}, "cli.sale.usage.missing.line", ""},
	}
	for _, lang := range []struct{ env, lang, other, detail string }{
		{"it_IT.UTF-8", "it", "en", "  dettaglio: "},
		{"C.UTF-8", "it", "en", "  dettaglio: "},
		{"en_US.UTF-8", "en", "it", "  detail: "},
	} {
		for _, tt := range tests {
			t.Run(lang.env+"/"+tt.name, func(t *testing.T) {
				t.Setenv("LANG", lang.env)
				w := newWorld(t, "")
				code, _, out := w.run("", append([]string{"--config", w.config}, tt.args...)...)
				if code == 0 || !strings.Contains(out, i18n.In(lang.lang, tt.key)) || strings.Contains(out, i18n.In(lang.other, tt.key)) {
					t.Fatalf("exit %d; want the %s text of %s and not the %s one:\n%s", code, lang.lang, tt.key, lang.other, out)
				}
				for _, line := range strings.Split(out, "\n") {
					if tt.goText != "" && strings.Contains(line, tt.goText) && !strings.HasPrefix(line, lang.detail) {
						t.Errorf("the core's English error outside the detail line: %q", line)
					}
				}
				if lang.lang == "it" && strings.Contains(out, "usage:") || lang.lang == "en" && strings.Contains(out, "uso:") {
					t.Errorf("usage in the other language:\n%s", out)
				}
			})
		}
	}
}

// TestReceiptInEnglish: a documented sale reads in English under an English environment.
func TestReceiptInEnglish(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	w := newWorld(t, "")
	args := []string{"--db", w.db, "--printer", w.url, "--printer-timeout", "1s", "--line", "Caffè;2;1,20;1", "--pay", "cash:5,00"}
	var out, errb strings.Builder
	if code := Run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"DOCUMENTED, total 2,40 €", "document: receipt ", "change 2,60 €", "payment cash (documented)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
	for _, italian := range []string{"Vendita", "totale", "scontrino", "resto", "pagamento"} {
		if strings.Contains(out.String(), italian) {
			t.Errorf("Italian %q in\n%s", italian, out.String())
		}
	}
}
