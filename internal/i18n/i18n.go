// Package i18n gives the headless commands (till sale, till close, …) the same texts as the
// window: the translation files of assets/translations, Italian unless the environment's
// language is English. It does not use Fyne's lang package, whose language is chosen once for
// the window; the rule here is the same one.
package i18n

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"text/template"

	"till/assets"
)

// Lang is "en" when the environment's language (LC_ALL, LC_MESSAGES, LANG, in that order, as
// gettext reads them) is English, and "it" otherwise: C, POSIX and an unset language too.
func Lang() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := os.Getenv(v); val != "" {
			if strings.HasPrefix(val, "en") {
				return "en"
			}
			return "it"
		}
	}
	return "it"
}

var (
	loadOnce sync.Once
	texts    map[string]map[string]string // language → key → text
	loadErr  error
)

func load() {
	texts = map[string]map[string]string{"it": {}, "en": {}}
	files, err := assets.Translations.ReadDir("translations")
	if err != nil {
		loadErr = err
		return
	}
	for _, f := range files {
		name := f.Name()
		lang := ""
		switch {
		case name == "it.json" || strings.HasSuffix(name, ".it.json"):
			lang = "it"
		case name == "en.json" || strings.HasSuffix(name, ".en.json"):
			lang = "en"
		default:
			continue
		}
		data, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			loadErr = err
			return
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			loadErr = fmt.Errorf("%s: %w", name, err)
			return
		}
		for k, v := range m {
			texts[lang][k] = v
		}
	}
}

// T returns the text for key in the environment's language, with {{.Name}} placeholders filled
// from data. A key missing from the translations comes back as the key itself, which the
// translation tests catch.
func T(key string, data ...map[string]any) string { return In(Lang(), key, data...) }

// N returns key.one when n is 1 and key.other otherwise, with {{.Count}} set to n.
func N(key string, n int, data ...map[string]any) string {
	fields := map[string]any{"Count": n}
	for _, d := range data {
		for k, v := range d {
			fields[k] = v
		}
	}
	if n == 1 {
		return T(key+".one", fields)
	}
	return T(key+".other", fields)
}

// In is T in a given language ("it" or "en"), for tests and for --json texts.
func In(lang, key string, data ...map[string]any) string {
	loadOnce.Do(load)
	if loadErr != nil {
		return key
	}
	text, ok := texts[lang][key]
	if !ok {
		if text, ok = texts["it"][key]; !ok {
			return key
		}
	}
	if len(data) == 0 || !strings.Contains(text, "{{") {
		return text
	}
	tpl, err := template.New(key).Option("missingkey=zero").Parse(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	if err := tpl.Execute(&b, data[0]); err != nil {
		return text
	}
	return b.String()
}

// Has tells whether key has a text in both languages.
func Has(key string) bool {
	loadOnce.Do(load)
	_, it := texts["it"][key]
	_, en := texts["en"][key]
	return it && en
}
