package errtext

import (
	"errors"
	"flag"
	"strings"

	"till/internal/i18n"
)

// Flag says what is wrong with a command line the flag package refused, as a line ending in
// "\n", or "" for -h and --help. The flag package's own message is English and names the
// flag; the flag's name is kept, the rest translated.
func Flag(err error) string {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ""
	}
	msg := err.Error()
	lastWord := func(s string) string {
		fields := strings.Fields(s)
		if len(fields) == 0 {
			return ""
		}
		return "-" + strings.TrimLeft(strings.TrimSuffix(fields[len(fields)-1], ":"), "-")
	}
	var text string
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined:"):
		text = i18n.T("cli.flag.unknown", map[string]any{"Flag": "-" + lastWord(msg)})
	case strings.HasPrefix(msg, "flag needs an argument:"):
		text = i18n.T("cli.flag.needs.value", map[string]any{"Flag": "-" + lastWord(msg)})
	case strings.HasPrefix(msg, "bad flag syntax:"):
		text = i18n.T("cli.flag.syntax", map[string]any{"Arg": strings.TrimSpace(strings.TrimPrefix(msg, "bad flag syntax:"))})
	default:
		// "invalid value "x" for flag -n: …" and the like: the detail names the flag.
		text = i18n.T("cli.flag.bad.value") + "\n" + i18n.T("cli.err.detail", map[string]any{"Detail": msg})
	}
	return text + "\n"
}
