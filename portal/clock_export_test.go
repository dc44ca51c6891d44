package portal

import "time"

// WithClock sets the clock the server's login throttle reads, so tests move time instead of
// sleeping.
func WithClock(now func() time.Time) Option { return func(s *server) { s.now = now } }

// The throttle's numbers, for the tests that count on them.
const (
	AddrFreeFailures    = addrFreeFailures
	AccountFreeFailures = accountFreeFailures
)
