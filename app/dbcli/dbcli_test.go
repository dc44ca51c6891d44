package dbcli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"till/storage"
)

// tillDB is a till's database with the demo catalogue, closed cleanly.
func tillDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "till.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// damage fills pages 2 to 4 with garbage, keeping the header.
func damage(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(b) && i < 4*4096; i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	code = Run(args, &out, &errs)
	return code, out.String(), errs.String()
}

// setLang sets the environment's language as a shell would, with nothing overriding LANG.
func setLang(t *testing.T, lang string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", lang)
}

func TestCheckTellsHealthyFromDamaged(t *testing.T) {
	setLang(t, "")
	healthy := tillDB(t)
	damaged := tillDB(t)
	damage(t, damaged)
	notes := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notes, []byte("shopping list: coffee, milk, receipt paper\n"), 0o600)
	missing := filepath.Join(t.TempDir(), "none.db")

	tests := []struct {
		name      string
		args      []string
		code      int
		out, errs string // expected in stdout, stderr
	}{
		{"healthy", []string{"check", "--db", healthy}, ExitHealthy, "Database integro: " + healthy, ""},
		{"damaged", []string{"check", "--db", damaged}, ExitDamaged, "Database danneggiato: " + damaged, ""},
		{"missing", []string{"check", "--db", missing}, ExitError, "", "non trovato: indica quello della cassa con --db"},
		{"not a database", []string{"check", "--db", notes}, ExitError, "", "non è un database della cassa"},
		{"no db flag", []string{"check"}, ExitError, "", "uso: till db check --db PERCORSO"},
		{"no verb", nil, ExitError, "", "uso: till db check --db PERCORSO"},
		{"other verb", []string{"repair", "--db", healthy}, ExitError, "", "uso: till db check --db PERCORSO"},
		{"extra argument", []string{"check", "--db", healthy, "now"}, ExitError, "", "uso: till db check --db PERCORSO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.errs) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
	if _, out, _ := run("check", "--db", damaged); !strings.Contains(out, "  - ") {
		t.Fatalf("the damage is not listed:\n%s", out)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("checking a missing database created it")
	}
}

// TestMessagesInTheRunsLanguage: Italian unless the environment's language is English, never
// both on one line.
func TestMessagesInTheRunsLanguage(t *testing.T) {
	healthy := tillDB(t)
	missing := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		lang          string
		args          []string
		want, notWant string // in stdout+stderr
	}{
		{"", []string{"check"}, "uso: till db check --db PERCORSO [--json]", "usage"},
		{"C.UTF-8", []string{"check", "--db", missing}, "database " + missing + " non trovato", "not found"},
		{"C.UTF-8", []string{"check", "--db", healthy}, "Database integro: " + healthy, "healthy"},
		{"it_IT.UTF-8", []string{"check", "--bogus"}, "uso: till db check", "usage"},
		{"en_US.UTF-8", []string{"check"}, "usage: till db check --db PATH [--json]", "uso"},
		{"en_US.UTF-8", []string{"check", "--db", missing}, "database " + missing + " not found: give the till's one with --db", "trovato"},
		{"en_US.UTF-8", []string{"check", "--db", healthy}, "Database healthy: " + healthy, "integro"},
		{"en_US.UTF-8", []string{"check", "--bogus"}, "usage: till db check", "uso"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, out, errs := run(tt.args...)
			if got := out + errs; !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
				t.Fatalf("got %q, want %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
}

// TestJSONIsTheSameInEveryLanguage: scripts read --json, whatever the language.
func TestJSONIsTheSameInEveryLanguage(t *testing.T) {
	path := tillDB(t)
	var outs []string
	for _, lang := range []string{"", "en_US.UTF-8"} {
		setLang(t, lang)
		code, out, _ := run("check", "--json", "--db", path)
		if code != ExitHealthy {
			t.Fatalf("LANG=%q: exit %d", lang, code)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] {
		t.Fatalf("Italian:\n%s\nEnglish:\n%s", outs[0], outs[1])
	}
	if !strings.Contains(outs[0], `"healthy":true`) {
		t.Fatalf("not the known JSON: %s", outs[0])
	}
}

func TestCheckJSON(t *testing.T) {
	damaged := tillDB(t)
	damage(t, damaged)
	for _, tt := range []struct {
		path    string
		code    int
		healthy bool
	}{{tillDB(t), ExitHealthy, true}, {damaged, ExitDamaged, false}} {
		code, out, errs := run("check", "--json", "--db", tt.path)
		var got struct {
			Path        string   `json:"path"`
			Healthy     bool     `json:"healthy"`
			Schema      int      `json:"schema"`
			KnownSchema int      `json:"known_schema"`
			Problems    []string `json:"problems"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v in %q (stderr %q)", err, out, errs)
		}
		if code != tt.code || got.Healthy != tt.healthy || got.Path != tt.path || got.Problems == nil ||
			(len(got.Problems) > 0) == tt.healthy || got.KnownSchema != storage.SchemaVersion() {
			t.Fatalf("exit %d, %+v", code, got)
		}
		if tt.healthy && got.Schema != storage.SchemaVersion() {
			t.Fatalf("schema %d", got.Schema)
		}
	}
}
