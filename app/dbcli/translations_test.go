package dbcli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"till/internal/i18n"
)

// TestEveryKeyHasItalianAndEnglish: a key missing from assets/translations would reach the
// person at the command line as the key itself.
func TestEveryKeyHasItalianAndEnglish(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	key := regexp.MustCompile(`"(tool\.[a-z0-9.]*[a-z0-9])"`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			found++
			if !i18n.Has(m[1]) && !(i18n.Has(m[1]+".one") && i18n.Has(m[1]+".other")) {
				t.Errorf("%s uses %q, which has no Italian and English text", f, m[1])
			}
		}
	}
	if found == 0 {
		t.Fatal("no key found: the pattern no longer matches the code")
	}
}
