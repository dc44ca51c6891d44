package earlyenv

import (
	"os"
	"testing"
)

func TestNoLanguageBecomesItalian(t *testing.T) {
	for _, c := range []struct {
		lcAll, lcMessages, lang string
		wantLang                string // LANG afterwards
		cleared                 bool   // LC_ALL and LC_MESSAGES unset afterwards
	}{
		{"", "", "", "it_IT.UTF-8", true},
		{"", "", "C", "it_IT.UTF-8", true},
		{"", "", "C.UTF-8", "it_IT.UTF-8", true},
		{"", "", "POSIX", "it_IT.UTF-8", true},
		{"C.UTF-8", "", "", "it_IT.UTF-8", true},
		// LC_ALL=C rules over LANG: the language in force is none, so Italian.
		{"C.UTF-8", "", "en_US.UTF-8", "it_IT.UTF-8", true},
		{"", "C", "en_US.UTF-8", "it_IT.UTF-8", true},
		{"", "", "en_US.UTF-8", "en_US.UTF-8", false},
		{"", "", "de_DE.UTF-8", "de_DE.UTF-8", false},
		{"", "en_GB.UTF-8", "C.UTF-8", "C.UTF-8", false},
		{"it_IT.UTF-8", "", "C", "C", false},
	} {
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", c.lcMessages)
		t.Setenv("LANG", c.lang)
		Default()
		_, allSet := os.LookupEnv("LC_ALL")
		_, messagesSet := os.LookupEnv("LC_MESSAGES")
		if got := os.Getenv("LANG"); got != c.wantLang || (allSet || messagesSet) != !c.cleared {
			t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q: LANG=%q, LC_ALL set %v, LC_MESSAGES set %v", c.lcAll, c.lcMessages, c.lang,
				got, allSet, messagesSet)
		}
	}
}
