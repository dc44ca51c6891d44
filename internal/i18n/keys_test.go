package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Key literals as the headless commands write them: a whole literal argument (a literal joined
// to something else with + is a prefix, checked where its keys are built). A key of N stands for
// its .one and .other forms; errtext.Say takes a key too, and every "cli.…" or "tool.…" literal is
// one (or the stem of a plural, passed to N through a variable).
var (
	pluralCall = regexp.MustCompile(`\bi18n\.N\(\s*"([^"]+)"\s*[,)]`)
	keyCalls   = []*regexp.Regexp{
		regexp.MustCompile(`\bi18n\.T\(\s*"([^"]+)"\s*[,)]`),
		regexp.MustCompile(`\bi18n\.In\(\s*[^,()]+,\s*"([^"]+)"\s*[,)]`),
		regexp.MustCompile(`\berrtext\.Say\(\s*"([^"]+)"\s*[,)]`),
		regexp.MustCompile(`"(cli\.[a-z0-9_.]*[a-z0-9_])"`),
		regexp.MustCompile(`"(tool\.[a-z0-9_.]*[a-z0-9_])"`),
	}
)

// TestEveryKeyInUseHasBothLanguages reads the repository's Go sources (tests aside) and fails on
// a key used through i18n that either language lacks: such a key would print as itself.
func TestEveryKeyInUseHasBothLanguages(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string][]string{} // key → files
	plural := map[string]bool{}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		src := string(data)
		for _, m := range pluralCall.FindAllStringSubmatch(src, -1) {
			plural[m[1]] = true
			used[m[1]+".one"] = append(used[m[1]+".one"], rel)
			used[m[1]+".other"] = append(used[m[1]+".other"], rel)
		}
		for _, re := range keyCalls {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				used[m[1]] = append(used[m[1]], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 || len(used) < 50 {
		t.Fatalf("read %d files and found %d keys: the scan missed the sources", files, len(used))
	}
	t.Logf("%d keys in %d files", len(used), files)
	var missing []string
	for key, where := range used {
		if plural[key] {
			continue // its .one and .other are checked
		}
		if !Has(key) && !(Has(key+".one") && Has(key+".other")) {
			missing = append(missing, key+" (in "+strings.Join(where, ", ")+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("no Italian or no English text for %s", m)
	}
}

// TestCommandTextsHaveTheSameKeysInBothLanguages: cli.it.json and cli.en.json list the same keys.
func TestCommandTextsHaveTheSameKeysInBothLanguages(t *testing.T) {
	loadOnce.Do(load)
	for lang, other := range map[string]string{"it": "en", "en": "it"} {
		for key := range texts[lang] {
			if strings.HasPrefix(key, "cli.") {
				if _, ok := texts[other][key]; !ok {
					t.Errorf("%s has no %s text", key, other)
				}
			}
		}
	}
}
