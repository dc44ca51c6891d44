package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"till/internal/i18n"
)

// TestNoLocaleErrorAndOneLanguage runs the built binary as a service manager or `env -i`
// would: under LANG=C, C.UTF-8, POSIX, LC_ALL=C.UTF-8 or no language at all it must speak
// Italian and print no "Fyne error … parsing user locale C" (fyne's lang package reads the
// language before main: cassa.local/earlyenv sets it first); under an English LANG, English.
func TestNoLocaleErrorAndOneLanguage(t *testing.T) {
	bin := buildTill(t)
	// The mechanism itself: the runtime's init trace lists earlyenv before fyne's lang.
	trace := exec.Command(bin, "version")
	trace.Env = []string{"PATH=" + os.Getenv("PATH"), "GODEBUG=inittrace=1", "LANG=C.UTF-8"}
	out, err := trace.CombinedOutput()
	early, fyneLang := bytes.Index(out, []byte("init cassa.local/earlyenv ")), bytes.Index(out, []byte("init fyne.io/fyne/v2/lang "))
	if err != nil || early < 0 || fyneLang < 0 || early > fyneLang {
		t.Fatalf("earlyenv at %d, fyne's lang at %d in the init trace (%v):\n%s", early, fyneLang, err, out)
	}
	envs := []struct {
		name string
		env  []string
		lang string
	}{
		{"LANG=C", []string{"LANG=C"}, "it"},
		{"LANG=C.UTF-8", []string{"LANG=C.UTF-8"}, "it"},
		{"LANG=POSIX", []string{"LANG=POSIX"}, "it"},
		{"LC_ALL=C.UTF-8", []string{"LC_ALL=C.UTF-8", "LANG=en_US.UTF-8"}, "it"},
		{"no language", nil, "it"},
		{"LANG=it_IT.UTF-8", []string{"LANG=it_IT.UTF-8"}, "it"},
		{"LANG=en_US.UTF-8", []string{"LANG=en_US.UTF-8"}, "en"},
	}
	commands := []struct {
		args []string
		code int
		// what stdout and stderr must say, as keys of the translations
		stdout, stderr []string
	}{
		{[]string{"help"}, 0, []string{"cli.till.usage"}, nil},
		{[]string{"version"}, 0, nil, nil},
		{[]string{"sale"}, 2, nil, []string{"cli.usage.missing.db", "cli.sale.usage"}},
		{[]string{"sale", "--db", "x.db", "--bogus"}, 2, nil, []string{"cli.sale.usage"}},
		{[]string{"no-such-command"}, 2, nil, []string{"cli.till.unknown.command", "cli.till.usage"}},
	}
	for _, e := range envs {
		for _, c := range commands {
			t.Run(e.name+"/"+strings.Join(c.args, " "), func(t *testing.T) {
				cmd := exec.Command(bin, c.args...)
				cmd.Dir = t.TempDir()
				cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, e.env...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				err := cmd.Run()
				code := 0
				var exit *exec.ExitError
				if errors.As(err, &exit) {
					code = exit.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				all := stdout.String() + stderr.String()
				if code != c.code {
					t.Errorf("exit %d, want %d\n%s", code, c.code, all)
				}
				for _, bad := range []string{"Fyne error", "locale", "not well-formed"} {
					if strings.Contains(all, bad) {
						t.Errorf("%q in the output:\n%s", bad, all)
					}
				}
				other := map[string]string{"it": "en", "en": "it"}[e.lang]
				check := func(stream string, got string, keys []string) {
					for _, key := range keys {
						want := strings.SplitN(i18n.In(e.lang, key, map[string]any{"Command": "no-such-command"}), "{{", 2)[0]
						not := strings.SplitN(i18n.In(other, key, map[string]any{"Command": "no-such-command"}), "{{", 2)[0]
						if !strings.Contains(got, want) || strings.Contains(got, not) {
							t.Errorf("%s: want the %s text of %s, not the %s one:\n%s", stream, e.lang, key, other, got)
						}
					}
				}
				check("stdout", stdout.String(), c.stdout)
				check("stderr", stderr.String(), c.stderr)
			})
		}
	}
}
