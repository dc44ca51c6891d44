package i18n

import (
	"testing"
)

func TestLanguageFromTheEnvironment(t *testing.T) {
	for _, c := range []struct {
		lcAll, lcMessages, lang string
		want                    string
	}{
		{"", "", "", "it"},
		{"", "", "C", "it"},
		{"", "", "C.UTF-8", "it"},
		{"", "", "POSIX", "it"},
		{"", "", "it_IT.UTF-8", "it"},
		{"", "", "en_US.UTF-8", "en"},
		{"", "", "en_GB", "en"},
		{"", "", "fr_FR.UTF-8", "it"},
		{"it_IT.UTF-8", "", "en_US.UTF-8", "it"},
		{"", "en_US.UTF-8", "it_IT.UTF-8", "en"},
	} {
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", c.lcMessages)
		t.Setenv("LANG", c.lang)
		if got := Lang(); got != c.want {
			t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q: %q, want %q", c.lcAll, c.lcMessages, c.lang, got, c.want)
		}
	}
}

func TestTextsFillPlaceholdersAndPlurals(t *testing.T) {
	if got := In("it", "page", map[string]any{"Page": 2, "Pages": 5}); got != "2/5" {
		t.Errorf("page: %q", got)
	}
	if got := In("it", "pay"); got != "PAGA" {
		t.Errorf("pay in Italian: %q", got)
	}
	if got := In("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key: %q", got)
	}
}
