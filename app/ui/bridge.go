package ui

import (
	"sync"

	"fyne.io/fyne/v2"
)

// bridge is the one place where background work hands its result back to the UI goroutine.
// The UI never waits on I/O: it starts work here and the result arrives through fyne.Do.
//
// Fyne's test driver runs fyne.Do callbacks on the calling goroutine, which would race with the
// test itself; with manual set, results are queued and applied by wait() on the caller's
// goroutine instead, which keeps tests and screenshots deterministic.
type bridge struct {
	pending sync.WaitGroup
	manual  bool
	mu      sync.Mutex
	queued  []func()
}

// run does work off the UI goroutine and then applies the function it returns on it.
func (b *bridge) run(work func() func()) {
	b.pending.Add(1)
	go func() {
		defer b.pending.Done()
		done := work()
		switch {
		case done == nil:
		case b.manual:
			b.mu.Lock()
			b.queued = append(b.queued, done)
			b.mu.Unlock()
		default:
			fyne.DoAndWait(done)
		}
	}()
}

// post applies f on the UI goroutine from background work (progress from a terminal).
func (b *bridge) post(f func()) {
	if b.manual {
		b.mu.Lock()
		b.queued = append(b.queued, f)
		b.mu.Unlock()
		return
	}
	fyne.Do(f)
}

// wait blocks until all started work has finished and its results are applied.
func (b *bridge) wait() {
	for {
		b.pending.Wait()
		b.mu.Lock()
		q := b.queued
		b.queued = nil
		b.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}
