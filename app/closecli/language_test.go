package closecli

import (
	"bytes"
	"strings"
	"testing"

	"till/internal/i18n"
)

// TestReportInEnglish: under an English environment the manager reads the close in English
// only; the same close in Italian is TestTextReportNamesTheDifference.
func TestReportInEnglish(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	w := newWorld(t)
	w.sale("12,50", "coverflex")
	w.closeOutside()
	code, _, out := w.child("close", "", "--db", w.db, "--config", w.config, "--printer", w.url)
	for _, want := range []string{"till 12,50 € (Coverflex 12,50 €, card 0,00 €)", "terminal 0,00 €", "difference -12,50 €",
		"sale ", "Z no. ", "DIFFERENCES: close recorded", "Cash: expected 0,00 € (not counted)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, italian := range []string{"cassa", "differenza", "vendita", "Contanti", "DIFFERENZE", " / "} {
		if strings.Contains(out, italian) {
			t.Errorf("%q in\n%s", italian, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d", code)
	}
}

// TestBadArgumentsInEnglish: the usage and what is wrong, in English only.
func TestBadArgumentsInEnglish(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", "x.db"}, i18n.In("en", "cli.close.usage.missing")},
		{[]string{"--db", "x.db", "--printer", "http://x", "--cash", "tanti"}, "--cash tanti is not an amount like 250,00"},
		{[]string{"--db", "x.db", "--nope"}, "unknown option: --nope"},
	} {
		var out, errb bytes.Buffer
		code := Run(c.args, &out, &errb)
		if code != 2 || !strings.HasPrefix(errb.String(), c.want+"\n") || !strings.Contains(errb.String(), i18n.In("en", "cli.close.usage")) ||
			strings.Contains(errb.String(), "uso:") {
			t.Errorf("%q: exit %d\n%s", c.args, code, errb.String())
		}
	}
}
