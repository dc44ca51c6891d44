package tillsync

import (
	"math/rand/v2"
	"time"
)

// Backoff spaces the retries after failures: Min doubling up to Max, each delay moved by up to
// ±Jitter of itself so that the tills of a chain do not all come back at the same instant when
// the portal returns.
type Backoff struct {
	Min, Max time.Duration
	Jitter   float64        // 0.2 = ±20 %
	Rand     func() float64 // in [0, 1); nil: math/rand/v2
}

// DefaultBackoff is 1 s doubling to 5 min, ±20 %.
var DefaultBackoff = Backoff{Min: time.Second, Max: 5 * time.Minute, Jitter: 0.2}

// Delay is the wait after the n-th failure in a row (n ≥ 1). It is never less than
// Min×(1−Jitter) nor more than Max×(1+Jitter).
func (b Backoff) Delay(n int) time.Duration {
	if b.Min <= 0 {
		b.Min = DefaultBackoff.Min
	}
	if b.Max < b.Min {
		b.Max = b.Min
	}
	d := b.Min
	// Bounded doubling: 62 steps overflow nothing, and Max is reached long before.
	for i := 1; i < n && i < 62 && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	if b.Jitter <= 0 {
		return d
	}
	r := rand.Float64
	if b.Rand != nil {
		r = b.Rand
	}
	f := 1 + b.Jitter*(2*r()-1)
	return time.Duration(float64(d) * f)
}
