package operatorcli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"till/storage"
)

// newTill makes an empty till whose PINs hash with few iterations: these tests check who may
// do what, not the derivation's cost.
func newTill(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "till.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQL().Exec(`UPDATE operator_pins SET iterations = 1000`); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestOperatorsCommand walks a till from no operators to a manager and a cashier, through
// every refusal: each step runs on the database the steps before it left.
func TestOperatorsCommand(t *testing.T) {
	setLang(t, "")
	db := newTill(t)
	steps := []struct {
		name string
		args []string
		code int
		want string // in stdout on success, in stderr otherwise
	}{
		{"no subcommand", nil, 2, "uso: till operators add --db PERCORSO"},
		{"an unknown subcommand", []string{"promote", "--db", db}, 2, "usa add, list o disable"},
		{"no database", []string{"list"}, 2, "manca --db"},
		{"an empty list", []string{"list", "--db", db}, 0, "nessun operatore"},
		{"a cashier first", []string{"add", "--db", db, "--name", "Bruno", "--pin", "2222", "--role", "cashier"}, 2, "primo operatore"},
		{"a short PIN", []string{"add", "--db", db, "--name", "Anna", "--pin", "111", "--role", "manager"}, 2, "Un PIN ha da 4 a 8 cifre."},
		{"an unknown role", []string{"add", "--db", db, "--name", "Anna", "--pin", "1111", "--role", "boss"}, 2, "il ruolo cashier o manager"},
		{"a PIN on a till without operators", []string{"add", "--db", db, "--name", "Anna", "--pin", "1111", "--role", "manager",
			"--operator", "1111"}, 2, "Nessun operatore su questa cassa"},
		{"the first manager, without a PIN", []string{"add", "--db", db, "--name", "Anna", "--pin", "1111", "--role", "manager", "--json"},
			0, `"number": 1`},
		{"a second without a PIN", []string{"add", "--db", db, "--name", "Bruno", "--pin", "2222", "--role", "cashier"}, 2, "Serve il PIN"},
		{"a second with a wrong PIN", []string{"add", "--db", db, "--name", "Bruno", "--pin", "2222", "--role", "cashier",
			"--operator", "9999"}, 2, "PIN operatore errato"},
		{"a cashier by the manager", []string{"add", "--db", db, "--name", "Bruno", "--pin", "2222", "--role", "cashier",
			"--operator", "1111"}, 0, "2\n"},
		{"a manager by the cashier", []string{"add", "--db", db, "--name", "Carla", "--pin", "3333", "--role", "manager",
			"--operator", "2222"}, 2, "solo un responsabile"},
		{"a PIN already in use", []string{"add", "--db", db, "--name", "Carla", "--pin", "2222", "--role", "cashier",
			"--operator", "1111"}, 2, "già usato da un altro operatore"},
		{"the list", []string{"list", "--db", db}, 0, "Bruno"},
		{"the last manager", []string{"disable", "--db", db, "--number", "1", "--operator", "1111"}, 2, "ultimo responsabile"},
		{"disabling without a number", []string{"disable", "--db", db, "--operator", "1111"}, 2, "--number"},
		{"disabling without a PIN", []string{"disable", "--db", db, "--number", "2"}, 2, "Serve il PIN"},
		{"disabling by the cashier", []string{"disable", "--db", db, "--number", "2", "--operator", "2222"}, 2, "solo un responsabile"},
		{"disabling someone unknown", []string{"disable", "--db", db, "--number", "7", "--operator", "1111"}, 2, "Operatore inesistente"},
		{"disabling the cashier", []string{"disable", "--db", db, "--number", "2", "--operator", "1111"}, 0, "operatore 2 disattivato"},
		{"the disabled cashier's PIN", []string{"disable", "--db", db, "--number", "2", "--operator", "2222"}, 2, "PIN operatore errato"},
	}
	for _, s := range steps {
		code, stdout, stderr := run(s.args...)
		got := stdout
		if s.code != 0 {
			got = stderr
		}
		if code != s.code || !strings.Contains(got, s.want) {
			t.Fatalf("%s: exit %d, want %d and %q\nstdout: %s\nstderr: %s", s.name, code, s.code, s.want, stdout, stderr)
		}
	}
}

// TestOperatorsListNeverShowsPINs: the list, as text or JSON, has numbers, names, roles and
// states, never a PIN or its hash.
func TestOperatorsListNeverShowsPINs(t *testing.T) {
	setLang(t, "")
	db := newTill(t)
	for _, args := range [][]string{
		{"add", "--db", db, "--name", "Anna", "--pin", "48151623", "--role", "manager"},
		{"add", "--db", db, "--name", "Bruno", "--pin", "4242", "--role", "cashier", "--operator", "48151623"},
		{"disable", "--db", db, "--number", "2", "--operator", "48151623"},
	} {
		if code, _, stderr := run(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	_, text, _ := run("list", "--db", db)
	code, js, _ := run("list", "--db", db, "--json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(js), &got); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, js)
	}
	if len(got) != 2 || got[0]["number"] != 1.0 || got[0]["role"] != "manager" || got[1]["active"] != false || len(got[0]) != 4 {
		t.Fatalf("list %v", got)
	}
	for _, out := range []string{text, js} {
		if strings.Contains(out, "48151623") || strings.Contains(out, "4242") || strings.Contains(out, "pbkdf2") {
			t.Fatalf("a PIN or hash listed:\n%s", out)
		}
	}
	if !strings.Contains(text, "disattivato") || !strings.Contains(text, "responsabile") {
		t.Fatalf("text list:\n%s", text)
	}
}

// setLang sets the environment's language as a shell would, with nothing overriding LANG.
func setLang(t *testing.T, lang string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", lang)
}

// TestMessagesInTheRunsLanguage: Italian unless the environment's language is English, and
// never the other language beside it.
func TestMessagesInTheRunsLanguage(t *testing.T) {
	db := newTill(t)
	for _, tt := range []struct {
		lang          string
		args          []string
		want, notWant string // in stdout+stderr
	}{
		{"", nil, "uso: till operators add --db PERCORSO --name NOME", "usage"},
		{"C.UTF-8", []string{"promote"}, "till operators «promote»: usa add, list o disable", "use add"},
		{"", []string{"list"}, "manca --db\nuso:", "missing"},
		{"", []string{"list", "--db", db, "--bogus"}, "opzione sconosciuta", "usage"},
		{"C.UTF-8", []string{"list", "--db", db}, "nessun operatore: la cassa lavora come operatore 1", "no operators"},
		{"", []string{"disable", "--db", db}, "manca --number N", "missing"},
		{"", []string{"add", "--db", db, "--name", "Anna", "--pin", "11", "--role", "manager"}, "Un PIN ha da 4 a 8 cifre.\n  dettaglio: ", "usage"},
		{"en_US.UTF-8", nil, "usage: till operators add --db PATH --name NAME", "uso"},
		{"en_US.UTF-8", []string{"promote"}, "till operators “promote”: use add, list or disable", "usa add"},
		{"en_US.UTF-8", []string{"list"}, "missing --db\nusage:", "manca"},
		{"en_US.UTF-8", []string{"list", "--db", db}, "no operators: the till works as operator 1", "nessun"},
		{"en_US.UTF-8", []string{"disable", "--db", db}, "missing --number N", "manca"},
	} {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, out, errs := run(tt.args...)
			if got := out + errs; !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
				t.Fatalf("got %q, want %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
	for _, args := range [][]string{
		{"add", "--db", db, "--name", "Anna", "--pin", "1111", "--role", "manager"},
		{"add", "--db", db, "--name", "Bruno", "--pin", "2222", "--role", "cashier", "--operator", "1111"},
		{"disable", "--db", db, "--number", "2", "--operator", "1111"},
	} {
		if code, _, errs := run(args...); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
	}
	for lang, want := range map[string]string{
		"":            "  1  Anna                  responsabile\n  2  Bruno                 cassiere  disattivato\n",
		"en_US.UTF-8": "  1  Anna                  manager\n  2  Bruno                 cashier  disabled\n",
	} {
		setLang(t, lang)
		if code, out, _ := run("list", "--db", db); code != 0 || out != want {
			t.Errorf("LANG=%q: exit %d\n%q\nwant\n%q", lang, code, out, want)
		}
	}
}

// TestJSONIsTheSameInEveryLanguage: scripts read --json, whatever the language.
func TestJSONIsTheSameInEveryLanguage(t *testing.T) {
	db := newTill(t)
	if code, _, errs := run("add", "--db", db, "--name", "Anna", "--pin", "1111", "--role", "manager"); code != 0 {
		t.Fatal(errs)
	}
	var outs []string
	for _, lang := range []string{"", "en_US.UTF-8"} {
		setLang(t, lang)
		code, out, _ := run("list", "--db", db, "--json")
		if code != 0 || !strings.Contains(out, `"role": "manager"`) {
			t.Fatalf("LANG=%q: exit %d %s", lang, code, out)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] {
		t.Fatalf("Italian:\n%s\nEnglish:\n%s", outs[0], outs[1])
	}
}
