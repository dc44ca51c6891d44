package portal_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"till/portal"
)

// loginFrom posts the login form as this browser, from the client address from when the
// portal trusts the proxy (X-Forwarded-For), and returns the status, headers and page.
func (b *browser) loginFrom(from, email, password string) (int, http.Header, string) {
	b.t.Helper()
	req := loginRequest(b, from, email, password)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	st, body := b.read(resp)
	return st, resp.Header, body
}

func loginRequest(b *browser, from, email, password string) *http.Request {
	form := url.Values{"email": {email}, "password": {password}, "csrf": {b.csrf}}
	req, _ := http.NewRequest("POST", b.p.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	return req
}

// throttled checks a 429 answer and returns its wait in seconds.
func throttled(t *testing.T, st int, h http.Header, body string) int {
	t.Helper()
	secs, err := strconv.Atoi(h.Get("Retry-After"))
	if st != http.StatusTooManyRequests || err != nil || secs < 1 {
		t.Fatalf("status %d, Retry-After %q: want 429 with a wait", st, h.Get("Retry-After"))
	}
	if want := fmt.Sprintf("Troppi tentativi: riprova tra %d secondi", secs); !strings.Contains(body, want) {
		t.Fatalf("the page does not say %q", want)
	}
	return secs
}

func signedIn(st int, body string) bool { return st == http.StatusOK && strings.Contains(body, "Esci") }

// testLoginFloodIsThrottled is 130 wrong passwords at full speed: only the free ones and the
// one that starts the wait are checked; the rest are 429, and so is the right password while
// the wait lasts, which shows the throttle decides before the password is hashed. After the
// wait the right password works.
func testLoginFloodIsThrottled(t *testing.T, start starter) {
	clock := newFakeClock()
	p := start(t, portal.WithClock(clock.Now))
	demo := p.seed(t)
	b := p.newBrowser(t)
	count := map[int]int{}
	wait := 0
	for range 130 {
		st, h, body := b.loginFrom("", demo.Email, "password-sbagliata")
		count[st]++
		if st == http.StatusTooManyRequests {
			wait = throttled(t, st, h, body)
		}
	}
	checked := portal.AccountFreeFailures + 1
	if count[http.StatusUnauthorized] != checked || count[http.StatusTooManyRequests] != 130-checked {
		t.Fatalf("answers %v: want %d × 401 and the rest 429", count, checked)
	}
	st, h, body := b.loginFrom("", demo.Email, demo.Password)
	throttled(t, st, h, body)
	clock.Advance(time.Duration(wait) * time.Second)
	if st, _, body := b.loginFrom("", demo.Email, demo.Password); !signedIn(st, body) {
		t.Fatalf("right password after the wait: %d", st)
	}
}

// testLoginWaitsGrow: each failure past the free ones doubles the wait; an hour without
// failures starts afresh.
func testLoginWaitsGrow(t *testing.T, start starter) {
	clock := newFakeClock()
	p := start(t, portal.WithClock(clock.Now))
	demo := p.seed(t)
	b := p.newBrowser(t)
	for i := range portal.AccountFreeFailures + 1 {
		if st, _, _ := b.loginFrom("", demo.Email, "no"); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, st)
		}
	}
	var waits []int
	for range 5 {
		st, h, body := b.loginFrom("", demo.Email, "no")
		secs := throttled(t, st, h, body)
		waits = append(waits, secs)
		clock.Advance(time.Duration(secs) * time.Second)
		if st, _, _ := b.loginFrom("", demo.Email, "no"); st != http.StatusUnauthorized {
			t.Fatalf("after waiting %d s: %d, want the password checked (401)", secs, st)
		}
	}
	if got, want := fmt.Sprint(waits), "[1 2 4 8 16]"; got != want {
		t.Fatalf("waits %s s, want %s", got, want)
	}
	clock.Advance(2 * time.Hour)
	for i := range portal.AccountFreeFailures {
		if st, _, _ := b.loginFrom("", demo.Email, "no"); st != http.StatusUnauthorized {
			t.Fatalf("two hours later, attempt %d: %d, want a fresh start", i+1, st)
		}
	}
}

// testParallelLoginFlood: thirty guesses at once. The check and the count are one step, so
// exactly as many are checked as one after the other, whatever the scheduling.
func testParallelLoginFlood(t *testing.T, start starter) {
	clock := newFakeClock()
	p := start(t, portal.WithClock(clock.Now))
	victim, bystander := p.seed(t), p.seed(t)
	const flood = 30
	reqs := make([]*http.Request, flood)
	clients := make([]*http.Client, flood)
	for i := range reqs {
		b := p.newBrowser(t)
		reqs[i], clients[i] = loginRequest(b, "", victim.Email, fmt.Sprintf("tentativo-%d", i)), b.c
	}
	statuses := make(chan int, flood)
	for i := range reqs {
		go func() {
			resp, err := clients[i].Do(reqs[i])
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	count := map[int]int{}
	for range flood {
		count[<-statuses]++
	}
	checked := portal.AccountFreeFailures + 1
	if count[http.StatusUnauthorized] != checked || count[http.StatusTooManyRequests] != flood-checked {
		t.Fatalf("answers %v: want %d × 401 and %d × 429", count, checked, flood-checked)
	}
	// Another owner on the same address is not held up by the flood on someone else.
	if st, _, body := p.newBrowser(t).loginFrom("", bystander.Email, bystander.Password); !signedIn(st, body) {
		t.Fatalf("bystander's login during the flood: %d", st)
	}
}

// testLoginThrottlePerAddressAndAccount, behind a trusted proxy so addresses can differ: a
// guesser trying many e-mails from one address is stopped by the address, one trying one
// e-mail from many addresses by the account; everyone else logs in.
func testLoginThrottlePerAddressAndAccount(t *testing.T, start starter) {
	clock := newFakeClock()
	p := start(t, portal.WithClock(clock.Now), loopbackProxy())
	owner, target := p.seed(t), p.seed(t)
	var b *browser // a new one per case: a successful login spends the login form's token
	sprayFrom := func(t *testing.T, from string, n int, want int) {
		t.Helper()
		for i := range n {
			if st, _, _ := b.loginFrom(from, fmt.Sprintf("nessuno%d@esempio.it", i), "no"); st != want {
				t.Fatalf("%s, e-mail %d: %d, want %d", from, i, st, want)
			}
		}
	}
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"many e-mails from one address", func(t *testing.T) {
			sprayFrom(t, "203.0.113.7", portal.AddrFreeFailures+1, http.StatusUnauthorized)
			st, h, body := b.loginFrom("203.0.113.7", owner.Email, owner.Password)
			throttled(t, st, h, body)
			if st, _, body := b.loginFrom("203.0.113.8", owner.Email, owner.Password); !signedIn(st, body) {
				t.Fatalf("owner from another address: %d", st)
			}
		}},
		{"one e-mail from many addresses", func(t *testing.T) {
			for i := range portal.AccountFreeFailures + 1 {
				if st, _, _ := b.loginFrom(fmt.Sprintf("198.51.100.%d", i+1), target.Email, "no"); st != http.StatusUnauthorized {
					t.Fatalf("address %d: %d", i+1, st)
				}
			}
			st, h, body := b.loginFrom("198.51.100.200", target.Email, target.Password)
			throttled(t, st, h, body)
		}},
		{"an IPv6 /64 is one address", func(t *testing.T) {
			for i := range portal.AddrFreeFailures + 1 {
				if st, _, _ := b.loginFrom(fmt.Sprintf("2001:db8:0:7::%x", i+1), fmt.Sprintf("v6-%d@esempio.it", i), "no"); st != http.StatusUnauthorized {
					t.Fatalf("v6 address %d: %d", i+1, st)
				}
			}
			st, h, body := b.loginFrom("2001:db8:0:7::ffff", owner.Email, owner.Password)
			throttled(t, st, h, body)
			if st, _, body := b.loginFrom("2001:db8:0:8::1", owner.Email, owner.Password); !signedIn(st, body) {
				t.Fatalf("owner from another /64: %d", st)
			}
		}},
		{"the proxy's own entry is skipped, the client's counts", func(t *testing.T) {
			sprayFrom(t, "192.0.2.9, 127.0.0.1", portal.AddrFreeFailures+1, http.StatusUnauthorized)
			st, h, body := b.loginFrom("192.0.2.9", owner.Email, owner.Password)
			throttled(t, st, h, body)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b = p.newBrowser(t)
			tt.run(t)
		})
	}
}

// testForwardedForIgnoredWithoutTrustedProxy: with no proxy named, X-Forwarded-For is
// anyone's to write, so a guesser cannot get fresh addresses by writing it.
func testForwardedForIgnoredWithoutTrustedProxy(t *testing.T, start starter) {
	clock := newFakeClock()
	p := start(t, portal.WithClock(clock.Now))
	demo := p.seed(t)
	b := p.newBrowser(t)
	for i := range portal.AddrFreeFailures + 1 {
		if st, _, _ := b.loginFrom(fmt.Sprintf("203.0.113.%d", i+1), fmt.Sprintf("nessuno%d@esempio.it", i), "no"); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, st)
		}
	}
	st, h, body := b.loginFrom("198.51.100.1", demo.Email, demo.Password)
	throttled(t, st, h, body)
}
