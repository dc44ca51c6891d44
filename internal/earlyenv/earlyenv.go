// Package earlyenv makes Italian the language of a process whose environment names none
// (LANG unset, C, C.UTF-8 or POSIX, as under a service manager or `env -i`), before any other
// package reads it.
//
// It has to run first: fyne's lang package reads the language in its own init, before main,
// and logs "Error parsing user locale C" for C.UTF-8. Go initialises packages in import-path
// order, taking the first whose imports are done, so a package that imports only os and
// strings and whose path sorts before "fyne.io" is initialised before fyne's lang. The till's
// own module is "till", which sorts after; hence this small module, cassa.local/earlyenv,
// kept in the repository and required through a replace directive. Import it with _ from
// every command that links Fyne.
package earlyenv

import (
	"os"
	"strings"
)

func init() { Default() }

// Default sets LANG=it_IT.UTF-8, and unsets LC_ALL and LC_MESSAGES, when the language in force
// is none: the first of LC_ALL, LC_MESSAGES and LANG that is set (as gettext reads them) is C,
// C.<codeset> or POSIX, or none is set. A real language, any, is left alone.
func Default() {
	if NamesLanguage() {
		return
	}
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_MESSAGES")
	os.Setenv("LANG", "it_IT.UTF-8")
}

// NamesLanguage tells whether the environment's language in force is a real one.
func NamesLanguage() bool {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if val := os.Getenv(v); val != "" {
			return !cLocale(val)
		}
	}
	return false
}

// cLocale tells whether a locale is the C (POSIX) one, which names no language.
func cLocale(val string) bool {
	return val == "C" || val == "POSIX" || strings.HasPrefix(val, "C.") || strings.HasPrefix(val, "POSIX.")
}
