package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"sync"
	"time"
)

// Login throttling. Every login attempt is counted, before the password is checked, against
// the client's address and against the e-mail it names; past a few free failures each key must
// wait before its next attempt, twice as long each time. A refused attempt costs a map lookup,
// not a 600,000-round PBKDF2, so a flood cannot make a real owner's login slow, and a guesser
// gets a handful of tries an hour instead of thousands a minute. The state lives in memory only:
// a restart forgets it, and several portals behind one balancer throttle each on its own.
const (
	addrFreeFailures    = 10               // an office behind one NAT shares an address
	accountFreeFailures = 5                // per e-mail, whoever types it
	firstWait           = time.Second      // after the free failures: 1 s, 2 s, 4 s…
	longestWait         = 15 * time.Minute // …up to this
	forgetAfter         = time.Hour        // a key with no failure for this long starts afresh
	throttleKeys        = 10_000           // most keys kept per kind: the memory stays bounded
)

// overflowKey is shared by every new key while a table is full of live keys, so that a flood
// of distinct addresses or e-mails is throttled as one instead of growing the table.
const overflowKey = "*"

// strikes is what the throttle remembers of one key.
type strikes struct {
	failures int       // attempts not (yet) followed by a success
	until    time.Time // no attempt before this
	last     time.Time // the latest attempt
}

// strikeTable counts attempts per key and says how long a key must wait.
type strikeTable struct {
	free  int
	limit int
	keys  map[string]*strikes
	swept time.Time
}

func newStrikeTable(free, limit int) *strikeTable {
	return &strikeTable{free: free, limit: limit, keys: map[string]*strikes{}}
}

// wait is how long key must still wait at now (0: it may try).
func (t *strikeTable) wait(key string, now time.Time) time.Duration {
	if e := t.keys[t.slot(key, now)]; e != nil && now.Before(e.until) {
		return e.until.Sub(now)
	}
	return 0
}

// count records an attempt of key at now and, past the free failures, when the next may come.
func (t *strikeTable) count(key string, now time.Time) {
	key = t.slot(key, now)
	e := t.keys[key]
	if e == nil {
		e = &strikes{}
		t.keys[key] = e
	}
	if now.Sub(e.last) > forgetAfter {
		e.failures = 0
	}
	e.failures++
	e.last = now
	if n := e.failures - t.free; n > 0 {
		e.until = now.Add(growingWait(n))
	}
}

// growingWait is the wait after the n-th failure past the free ones: 1 s, 2 s, 4 s… capped.
func growingWait(n int) time.Duration {
	if n > 20 {
		return longestWait
	}
	return min(firstWait<<(n-1), longestWait)
}

// forget drops key after a successful login.
func (t *strikeTable) forget(key string) { delete(t.keys, key) }

// slot is the table key that holds key's strikes: key itself when it is known or there is
// room, else the shared overflow key.
func (t *strikeTable) slot(key string, now time.Time) string {
	if _, ok := t.keys[key]; ok || len(t.keys) < t.limit {
		return key
	}
	// Full: drop what is stale, at most once a second so a flood does not sweep every time.
	if now.Sub(t.swept) >= time.Second {
		t.swept = now
		for k, e := range t.keys {
			if !now.Before(e.until) && now.Sub(e.last) > forgetAfter {
				delete(t.keys, k)
			}
		}
	}
	if len(t.keys) < t.limit {
		return key
	}
	return overflowKey
}

// loginThrottle holds the two tables under one lock, so that the check and the count of an
// attempt are one step: thirty parallel guesses cannot all pass the check before one counts.
type loginThrottle struct {
	mu        sync.Mutex
	now       func() time.Time
	byAddr    *strikeTable
	byAccount *strikeTable
}

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now,
		byAddr:    newStrikeTable(addrFreeFailures, throttleKeys),
		byAccount: newStrikeTable(accountFreeFailures, throttleKeys)}
}

// begin counts a login attempt from addr for email and returns 0, or, without counting, how
// long the caller must wait first. A successful login must call succeeded.
func (l *loginThrottle) begin(addr netip.Addr, email string) time.Duration {
	a, e := addrKey(addr), accountKey(email)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if w := max(l.byAddr.wait(a, now), l.byAccount.wait(e, now)); w > 0 {
		return w
	}
	l.byAddr.count(a, now)
	l.byAccount.count(e, now)
	return 0
}

// succeeded forgets the failures of the address and the account of a successful login.
func (l *loginThrottle) succeeded(addr netip.Addr, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byAddr.forget(addrKey(addr))
	l.byAccount.forget(accountKey(email))
}

// addrKey is an IPv4 address, or the /64 network of an IPv6 one: one host usually holds a
// whole /64, so counting single IPv6 addresses would give it billions of fresh keys.
func addrKey(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// accountKey is a fixed-size digest of the normalised e-mail, whether or not an account has
// it: the throttle must not tell which e-mails exist, nor keep 64 KiB keys typed by a flood.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(normalizeEmail(email)))
	return hex.EncodeToString(sum[:16])
}
