package ui

import (
	"encoding/json"
	"fmt"
	"strings"

	"cassa.local/earlyenv"
	"fyne.io/fyne/v2/lang"

	"till/assets"
)

// LoadTranslations registers the till's texts with fyne's lang package. The till speaks
// Italian unless the system language is English: fyne falls back to English for any other
// language, so for those the Italian texts are registered under the system's language too.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		return err
	}
	sys := lang.SystemLocale()
	if base, _, _ := strings.Cut(sys.LanguageString(), "-"); base != "en" && base != "it" && base != "" {
		// Every [prefix.]it.json, merged, under the system's language.
		files, err := assets.Translations.ReadDir("translations")
		if err != nil {
			return err
		}
		merged := map[string]any{}
		for _, f := range files {
			if f.Name() != "it.json" && !strings.HasSuffix(f.Name(), ".it.json") {
				continue
			}
			data, err := assets.Translations.ReadFile("translations/" + f.Name())
			if err != nil {
				return err
			}
			if err := json.Unmarshal(data, &merged); err != nil {
				return fmt.Errorf("%s: %w", f.Name(), err)
			}
		}
		data, err := json.Marshal(merged)
		if err != nil {
			return err
		}
		return lang.AddTranslationsForLocale(data, sys)
	}
	return nil
}

// DefaultLanguageEnv makes Italian the language when the environment names none (LANG=C or
// unset, as under a service manager): fyne rejects the C locale. Importing this package already
// did it, before fyne's lang package read the language (see cassa.local/earlyenv).
func DefaultLanguageEnv() { earlyenv.Default() }

// tr returns the text for key in the till's language; data fills {{.Name}} placeholders.
func tr(key string, data ...any) string { return lang.X(key, key, data...) }

// trn returns the text for key in the singular (key.one) when n is 1 and the plural
// (key.other) otherwise; data fills placeholders, with {{.Count}} set to n.
func trn(key string, n int, data map[string]any) string {
	fields := map[string]any{"Count": n}
	for k, v := range data {
		fields[k] = v
	}
	if n == 1 {
		return tr(key+".one", fields)
	}
	return tr(key+".other", fields)
}
