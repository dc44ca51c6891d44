package ui

import (
	"context"
	"time"
)

// clock counts the seconds of an exchange on screen. It owns one goroutine, which ends when
// stop is called: a ticker's Stop does not close its channel, so a goroutine ranging over it
// would live for ever, one more per payment.
type clock struct {
	ticker *time.Ticker
	done   chan struct{}
}

// startClock calls show with the whole seconds since started, every second, until stop.
// show runs on the clock's goroutine: it must hand UI work to the bridge.
func startClock(started time.Time, show func(secs int)) *clock {
	c := &clock{ticker: time.NewTicker(time.Second), done: make(chan struct{})}
	go func() {
		for {
			select {
			case <-c.done:
				return
			case <-c.ticker.C:
				show(int(time.Since(started).Seconds()))
			}
		}
	}()
	return c
}

// stop ends the clock's goroutine; it may be called more than once.
func (c *clock) stop() {
	if c == nil {
		return
	}
	c.ticker.Stop()
	select {
	case <-c.done:
	default:
		close(c.done)
	}
}

// startHeaderClock shows the time as HH:MM in the sale screen's header, updated on each
// minute, until ctx ends (Till.Close). It returns a channel closed when its goroutine has
// returned. show runs on the clock's goroutine: it must hand UI work to the bridge.
func startHeaderClock(ctx context.Context, now func() time.Time, show func(hhmm string)) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			t := now()
			// Wake just after the minute turns, so the header never lags by most of a minute.
			next := t.Truncate(time.Minute).Add(time.Minute).Sub(t) + 50*time.Millisecond
			timer := time.NewTimer(next)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
				show(now().Format(clockLayout))
			}
		}
	}()
	return done
}

// clockLayout is how the header shows the time.
const clockLayout = "15:04"
