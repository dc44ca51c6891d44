package portal

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	if DefaultPasswordIterations < 600_000 {
		t.Fatalf("production PBKDF2 iterations %d, want at least 600,000", DefaultPasswordIterations)
	}
	saved := passwordIterations
	passwordIterations = DefaultPasswordIterations
	defer func() { passwordIterations = saved }()
	h1, err := hashPassword("segreto-lungo")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := hashPassword("segreto-lungo")
	tests := []struct {
		name, stored, password string
		ok                     bool
	}{
		{"right", h1, "segreto-lungo", true},
		{"wrong", h1, "segreto-lungO", false},
		{"empty", h1, "", false},
		{"other salt same password", h2, "segreto-lungo", true},
		{"garbage hash", "pbkdf2-sha256$x$y$z", "segreto-lungo", false},
		{"absurd iterations", "pbkdf2-sha256$999999999$AAAA$AAAA", "segreto-lungo", false},
		{"plain text stored", "segreto-lungo", "segreto-lungo", false},
	}
	for _, tt := range tests {
		if got := checkPassword(tt.stored, tt.password); got != tt.ok {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.ok)
		}
	}
	if h1 == h2 || !strings.HasPrefix(h1, "pbkdf2-sha256$600000$") || strings.Contains(h1, "segreto") {
		t.Fatalf("hashes %q %q: want salted PBKDF2 with 600000 iterations", h1, h2)
	}
}
