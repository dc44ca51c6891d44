package tillsync

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"till/portal/portaltest"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSalesMadeOfflineArriveExactlyOnceWhenThePortalIsBack(t *testing.T) {
	p := portaltest.Start(t)
	f := startFront(t, p)
	b := openTill(t)
	c := activated(t, b, p, f.URL(), 0)
	var versions []int64
	var mu sync.Mutex
	s := NewSyncer(c, Options{
		Poll:     20 * time.Millisecond,
		Backoff:  Backoff{Min: 10 * time.Millisecond, Max: 80 * time.Millisecond, Jitter: 0.2},
		OnConfig: func(v int64) { mu.Lock(); versions = append(versions, v); mu.Unlock() },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()

	waitFor(t, "the first pull", 5*time.Second, func() bool { return s.State().Online && s.State().ConfigVersion > 0 })
	f.Down()
	start := time.Now()
	sell(t, b, 1000) // the real documenting path: sale, receipt, outbox row in one transaction
	t.Logf("1,000 sales documented in %v", time.Since(start))
	s.Kick()
	waitFor(t, "offline state", 5*time.Second, func() bool {
		st := s.State()
		return !st.Online && st.ErrorKind == KindUnreachable && !st.OfflineSince.IsZero() && st.Pending == 1000
	})
	if got := received(t, p, c.tillID(t)); got != 0 {
		t.Fatalf("portal holds %d sales while down", got)
	}
	f.Up()
	waitFor(t, "the outbox to empty", 30*time.Second, func() bool { st := s.State(); return st.Online && st.Pending == 0 })
	if got := received(t, p, c.tillID(t)); got != 1000 {
		t.Fatalf("portal holds %d sales, want exactly 1000", got)
	}
	if n := outboxCount(t, b.DB); n != 0 {
		t.Fatalf("outbox %d", n)
	}
	if st := s.State(); !st.OfflineSince.IsZero() || st.LastError != nil || st.Failures != 0 {
		t.Fatalf("state after recovery %+v", st)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(versions) != 1 || versions[0] != s.State().ConfigVersion {
		t.Fatalf("OnConfig calls %v", versions)
	}
}

func TestSyncerPicksUpANewConfigurationAtTheNextPull(t *testing.T) {
	p := portaltest.Start(t)
	b := openTill(t)
	c := activated(t, b, p, p.URL, 0)
	got := make(chan int64, 4)
	s := NewSyncer(c, Options{PullEvery: 30 * time.Millisecond, Poll: 10 * time.Millisecond, OnConfig: func(v int64) { got <- v }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	first := <-got
	if err := p.Store.SetCoverflexEnabled(ctx, p.Demo.AccountID, false); err != nil {
		t.Fatal(err)
	}
	select {
	case v := <-got:
		if v <= first {
			t.Fatalf("new version %d after %d", v, first)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the new configuration never came")
	}
}

// fakeClock records every wait and lets it pass at once, moving time forward.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	waits  []time.Duration
	limit  int
	cancel context.CancelFunc
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	if len(c.waits) >= c.limit {
		c.cancel()
	}
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func TestBackoffDoublesToTheCapWithJitterWithinBounds(t *testing.T) {
	for _, r := range []float64{0, 0.5, 0.999999} {
		b := Backoff{Min: time.Second, Max: 5 * time.Minute, Jitter: 0.2, Rand: func() float64 { return r }}
		f := 1 + 0.2*(2*r-1)
		for n, base := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second,
			8: 128 * time.Second, 9: 256 * time.Second, 10: 5 * time.Minute, 30: 5 * time.Minute, 1000: 5 * time.Minute} {
			want := time.Duration(float64(base) * f)
			if got := b.Delay(n); got != want {
				t.Errorf("rand %v: Delay(%d) = %v, want %v", r, n, got, want)
			}
		}
	}
}

func TestSyncerBacksOffWhileThePortalIsUnreachable(t *testing.T) {
	// A port that refuses connections: listen, note it, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	b := openTill(t)
	ctx := context.Background()
	if err := b.DB.SaveActivation(ctx, url, "token", "till-x", "sp-x", time.Now()); err != nil {
		t.Fatal(err)
	}
	sell(t, b, 2)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	clock := &fakeClock{now: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), limit: 14, cancel: cancel}
	start := clock.now
	s := NewSyncer(&Client{DB: b.DB}, Options{Now: clock.Now, After: clock.After})
	if err := s.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	var prevBase time.Duration
	for i, d := range clock.waits {
		base := min(time.Second<<i, 5*time.Minute)
		lo, hi := time.Duration(float64(base)*0.8), time.Duration(float64(base)*1.2)
		if d < lo || d > hi {
			t.Errorf("wait %d = %v, want %v ±20%%", i+1, d, base)
		}
		if base < prevBase {
			t.Errorf("base delay shrank at %d", i+1)
		}
		prevBase = base
	}
	st := s.State()
	if st.Online || st.ErrorKind != KindUnreachable || st.Pending != 2 || st.Failures != len(clock.waits) ||
		!st.OfflineSince.Equal(start) {
		t.Fatalf("state %+v (offline since %v, start %v)", st, st.OfflineSince, start)
	}
	if n := outboxCount(t, b.DB); n != 2 {
		t.Fatalf("outbox %d", n)
	}
	if saved, _ := b.DB.LoadSyncState(context.Background()); saved.LastError == "" {
		t.Fatal("last error not kept for the settings screen")
	}
}
