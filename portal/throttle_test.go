package portal

import (
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"testing"
	"time"
)

// TestThrottleStaysBoundedUnderAFlood: a hundred thousand distinct addresses and e-mails never hold
// more than the limit, and once the table is full the newcomers share one key, so the flood
// is still throttled; a key already known keeps its own count.
func TestThrottleStaysBoundedUnderAFlood(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := newLoginThrottle(func() time.Time { return now })
	known := netip.MustParseAddr("192.0.2.1")
	if w := l.begin(known, "owner@esempio.it"); w != 0 {
		t.Fatalf("first attempt waits %v", w)
	}
	refused := 0
	for i := range 100_000 {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		if l.begin(a, fmt.Sprintf("guess%d@esempio.it", i)) > 0 {
			refused++
		}
	}
	if n, m := len(l.byAddr.keys), len(l.byAccount.keys); n > throttleKeys+1 || m > throttleKeys+1 {
		t.Fatalf("%d address keys and %d account keys kept, limit %d", n, m, throttleKeys)
	}
	if refused < 100_000-2*throttleKeys {
		t.Fatalf("only %d of 100,000 attempts from new keys refused once the tables were full", refused)
	}
	if e := l.byAddr.keys[addrKey(known)]; e == nil || e.failures != 1 {
		t.Fatalf("the known address lost its count: %+v", e)
	}
	// An hour later the stale keys make room again.
	now = now.Add(2 * time.Hour)
	if w := l.begin(netip.MustParseAddr("198.51.100.1"), "new@esempio.it"); w != 0 {
		t.Fatalf("a new key after the flood went stale waits %v", w)
	}
	if _, ok := l.byAddr.keys["198.51.100.1"]; !ok {
		t.Fatal("the stale keys were not swept")
	}
}

func TestGrowingWait(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{
		{1, time.Second}, {2, 2 * time.Second}, {5, 16 * time.Second}, {10, 512 * time.Second},
		{11, longestWait}, {64, longestWait}, {math.MaxInt32, longestWait},
	}
	for _, tt := range tests {
		if got := growingWait(tt.n); got != tt.want {
			t.Errorf("growingWait(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	s := &server{proxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct client, header ignored", "203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},
		{"through the proxy", "127.0.0.1:4000", "198.51.100.1", "198.51.100.1"},
		{"a forged entry on the left is not believed", "127.0.0.1:4000", "6.6.6.6, 198.51.100.1", "198.51.100.1"},
		{"chain of trusted proxies", "127.0.0.1:4000", "198.51.100.1, 10.1.2.3", "198.51.100.1"},
		{"several header lines", "127.0.0.1:4000", "198.51.100.1\n10.1.2.3", "198.51.100.1"},
		{"with a port", "127.0.0.1:4000", "198.51.100.1:5555", "198.51.100.1"},
		{"IPv6 with a port", "127.0.0.1:4000", "[2001:db8::1]:5555", "2001:db8::1"},
		{"garbage falls back to the proxy", "127.0.0.1:4000", "unknown", "127.0.0.1"},
		{"no header", "127.0.0.1:4000", "", "127.0.0.1"},
		{"IPv4-mapped peer", "[::ffff:127.0.0.1]:4000", "198.51.100.1", "198.51.100.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: tt.remote, Header: http.Header{}}
			for _, line := range splitLines(tt.xff) {
				r.Header.Add("X-Forwarded-For", line)
			}
			if got := s.clientAddr(r).String(); got != tt.want {
				t.Fatalf("client %s, want %s", got, tt.want)
			}
		})
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

func TestJoinHalves(t *testing.T) {
	tests := []struct {
		values []int64
		want   int64
		fits   bool
	}{
		{[]int64{150, 1250}, 1400, true},
		{[]int64{-7, 1<<32 + 1, -(1<<32 + 3)}, -9, true},
		{[]int64{math.MaxInt64}, math.MaxInt64, true},
		{[]int64{math.MinInt64}, math.MinInt64, true},
		{[]int64{math.MaxInt64, 1}, math.MaxInt64, false},
		{[]int64{math.MaxInt64, math.MaxInt64}, math.MaxInt64, false},
		{[]int64{math.MinInt64, -1}, math.MinInt64, false},
		{[]int64{math.MaxInt64, math.MinInt64}, -1, true},
	}
	for _, tt := range tests {
		// The halves as SQL computes them: integer division and remainder truncate toward zero.
		var hi, lo int64
		for _, v := range tt.values {
			hi += v / (1 << halfShift)
			lo += v % (1 << halfShift)
		}
		got, fits := joinHalves(hi, lo)
		if got != tt.want || fits != tt.fits {
			t.Errorf("%v: %d (fits %v), want %d (fits %v)", tt.values, got, fits, tt.want, tt.fits)
		}
	}
}

func TestSameSale(t *testing.T) {
	a := `{"id":"0190AAAA-0000-7000-8000-000000000000","total_cents":100,"lines":[{"d":"x"}]}`
	tests := []struct {
		b    string
		same bool
	}{
		{a, true},
		{`{ "lines":[ {"d":"x"} ], "total_cents":100, "id":"0190aaaa-0000-7000-8000-000000000000" }`, true},
		{`{"id":"0190aaaa-0000-7000-8000-000000000000","total_cents":100,"lines":[{"d":"\u0078"}]}`, true},
		{`{"id":"0190aaaa-0000-7000-8000-000000000000","total_cents":100.0,"lines":[{"d":"x"}]}`, false},
		{`{"id":"0190aaaa-0000-7000-8000-000000000000","total_cents":100,"lines":[{"d":"X"}]}`, false},
		{`{"id":"0190aaaa-0000-7000-8000-000000000000","total_cents":100,"lines":[{"d":"x"}],"more":1}`, false},
		{`not json`, false},
	}
	for _, tt := range tests {
		if got := sameSale([]byte(a), []byte(tt.b)); got != tt.same {
			t.Errorf("sameSale(%s) = %v, want %v", tt.b, got, tt.same)
		}
	}
}

func TestHasNUL(t *testing.T) {
	tests := []struct {
		doc  string
		want bool
	}{
		{`{"a":"b"}`, false},
		{`{"a":"b\u0000"}`, true},
		{`{"a\u0000":"b"}`, true},
		{`{"a":["x",{"y":"\u0000"}]}`, true},
		{`{"a":"b\\u0000"}`, false}, // a backslash, then the letters u0000
		{`{"a":"\u0000`, false},     // malformed: the JSON decoder refuses it anyway
		{`{"a": \u0000}`, false},    // malformed: the JSON decoder refuses it anyway
	}
	for _, tt := range tests {
		if got := hasNUL([]byte(tt.doc)); got != tt.want {
			t.Errorf("hasNUL(%s) = %v, want %v", tt.doc, got, tt.want)
		}
	}
}
