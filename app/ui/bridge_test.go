package ui

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestWaitReturnsWhileNotificationsKeepComing: a background source posting faster than the
// screen applies it (a syncer's state every few milliseconds on a loaded machine) must not keep
// WaitIdle from returning; work started with run, and work its results start, is still waited for.
func TestWaitReturnsWhileNotificationsKeepComing(t *testing.T) {
	b := &bridge{manual: true}
	stop := make(chan struct{})
	defer close(stop)
	var applied atomic.Int64
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			// Each notification takes longer to apply than the next takes to come.
			b.post(func() { applied.Add(1); time.Sleep(2 * time.Millisecond) })
			time.Sleep(time.Millisecond)
		}
	}()
	var chained atomic.Bool
	b.run(func() func() {
		return func() {
			b.run(func() func() { return func() { chained.Store(true) } })
		}
	})
	done := make(chan struct{})
	go func() { b.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("wait did not return while notifications kept coming")
	}
	if !chained.Load() {
		t.Fatal("wait returned before the work a result started")
	}
}
