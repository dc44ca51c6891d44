package refundcli

import (
	"bytes"
	"strings"
	"testing"

	"till/internal/i18n"
)

// TestRefundSpeaksOneLanguage: a refund and the refusal of a second one read in Italian by
// default and in English under an English environment, never both.
func TestRefundSpeaksOneLanguage(t *testing.T) {
	for _, lang := range []struct{ env, lang, other string }{{"C.UTF-8", "it", "en"}, {"en_US.UTF-8", "en", "it"}} {
		t.Run(lang.env, func(t *testing.T) {
			t.Setenv("LANG", lang.env)
			w := newWorld(t, true)
			a := w.sale("PANE;1;3,00;1")
			args := []string{"--db", w.db, "--printer", w.url, "--printer-timeout", "1s", "--document", a}
			var out, errb bytes.Buffer
			if code := RunRefund(args, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
			}
			done := i18n.In(lang.lang, "cli.refund.kind.refund") + " "
			cash := i18n.In(lang.lang, "cli.refund.money.cash")
			if !strings.HasPrefix(out.String(), done) || !strings.Contains(out.String(), cash) ||
				strings.Contains(out.String(), i18n.In(lang.other, "cli.refund.money.cash")) || strings.Contains(out.String(), " / ") {
				t.Fatalf("want %q and %q only:\n%s", done, cash, out.String())
			}
			out.Reset()
			errb.Reset()
			if code := RunRefund(args, &out, &errb); code != 1 {
				t.Fatalf("second refund: exit %d: %s%s", code, out.String(), errb.String())
			}
			if !strings.HasPrefix(errb.String(), i18n.In(lang.lang, "cli.err.already.returned")+"\n") ||
				strings.Contains(errb.String(), i18n.In(lang.other, "cli.err.already.returned")) {
				t.Fatalf("second refund says:\n%s", errb.String())
			}
			// --json: the fields stay; the error, free text for people, is in the run's language.
			o := w.run("refund", a)
			if o.code != 1 || o.res.OK || o.res.Exit != 1 || !strings.HasPrefix(o.res.Error, i18n.In(lang.lang, "cli.err.already.returned")) {
				t.Fatalf("--json: %+v", o.res)
			}
		})
	}
}
