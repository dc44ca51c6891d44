package boot

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestTheDefaultDatabaseIsInTheUsersDataFolder(t *testing.T) {
	home := func() (string, error) { return "/home/anna", nil }
	noHome := func() (string, error) { return "", errors.New("no home") }
	for _, c := range []struct {
		name, goos string
		env        map[string]string
		home       func() (string, error)
		want       string
	}{
		{"linux", "linux", nil, home, "/home/anna/.local/share/till/till.db"},
		{"linux with XDG_DATA_HOME", "linux", map[string]string{"XDG_DATA_HOME": "/data"}, home, "/data/till/till.db"},
		{"windows", "windows", map[string]string{"LOCALAPPDATA": "/Users/anna/AppData/Local"}, home, "/Users/anna/AppData/Local/till/till.db"},
		{"windows without LOCALAPPDATA", "windows", nil, home, "/home/anna/.local/share/till/till.db"},
		{"LOCALAPPDATA is not read outside Windows", "linux", map[string]string{"LOCALAPPDATA": "/x"}, home, "/home/anna/.local/share/till/till.db"},
		{"no home", "linux", nil, noHome, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := defaultDBPath(c.goos, func(k string) string { return c.env[k] }, c.home)
			if c.want == "" {
				if err == nil {
					t.Fatalf("%q, want an error", got)
				}
				return
			}
			if err != nil || got != filepath.FromSlash(c.want) {
				t.Fatalf("%q, %v; want %q", got, err, c.want)
			}
		})
	}
}
