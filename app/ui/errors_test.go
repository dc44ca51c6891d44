package ui

import (
	"encoding/json"
	"fmt"
	"testing"

	"till/assets"
	"till/fiscal"
	"till/fiscal/epson"
)

// TestEveryPrinterCodeHasTheCashiersWords: the cashier's texts for printer failures come from
// the till's translations, in Italian and English, for every code and native status the
// driver reports; a failure without one still gets a sentence saying what kind it was.
func TestEveryPrinterCodeHasTheCashiersWords(t *testing.T) {
	files := map[string]map[string]string{}
	for _, l := range []string{"it", "en"} {
		data, err := assets.Translations.ReadFile("translations/printer." + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		files[l] = m
	}
	var keys []string
	for _, c := range epson.Codes() {
		keys = append(keys, printerCodeKey(c))
	}
	for _, s := range epson.Statuses() {
		keys = append(keys, printerStatusKey(s))
	}
	keys = append(keys, "printer.cannot.tell", "printer.cannot.tell.unknown", "printer.outcome.unknown", "printer.not.ready",
		"printer.refused", "printer.error")
	for _, k := range keys {
		for l, m := range files {
			if m[k] == "" {
				t.Errorf("%s: no %s text", k, l)
			}
		}
	}
	tests := []struct {
		err  error
		want string
	}{
		{&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "EPTR_REC_EMPTY"}, files["it"]["printer.code.EPTR_REC_EMPTY"]},
		{&fiscal.Error{Kind: fiscal.ErrRefused, Code: "PRINTER ERROR", Status: 21}, files["it"]["printer.status.21"]},
		{&fiscal.Error{Kind: fiscal.ErrRefused, Code: "PRINTER ERROR", Status: 99}, files["it"]["printer.refused"]},
		{&fiscal.Error{Kind: fiscal.ErrNotReady, Code: "SOMETHING_NEW"}, files["it"]["printer.not.ready"]},
		{fmt.Errorf("print: %w: %w", fiscal.ErrOutcomeUnknown, fiscal.ErrCannotTell), files["it"]["printer.cannot.tell.unknown"]},
	}
	for _, tt := range tests {
		if got := errorText(tt.err); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.err, got, tt.want)
		}
	}
}
