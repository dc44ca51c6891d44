package ui

import (
	"sync"
	"sync/atomic"

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
	runs    atomic.Int64 // work started with run, ever
	manual  bool
	mu      sync.Mutex
	results []func() // what finished work returned, to apply
	posts   []func() // notifications from background work (progress, sync state)
}

// run does work off the UI goroutine and then applies the function it returns on it.
func (b *bridge) run(work func() func()) {
	b.runs.Add(1)
	b.pending.Add(1)
	go func() {
		defer b.pending.Done()
		done := work()
		switch {
		case done == nil:
		case b.manual:
			b.mu.Lock()
			b.results = append(b.results, done)
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
		b.posts = append(b.posts, f)
		b.mu.Unlock()
		return
	}
	fyne.Do(f)
}

// wait blocks until all started work has finished and its results are applied, with the
// notifications posted so far. It does not wait for notifications that keep coming (a syncer
// posts its state on its own schedule): it goes round again only while applying what it found
// started more work or produced results, so a steady stream of posts cannot keep it busy for ever.
func (b *bridge) wait() {
	for {
		started := b.runs.Load()
		b.pending.Wait()
		b.mu.Lock()
		results, posts := b.results, b.posts
		b.results, b.posts = nil, nil
		b.mu.Unlock()
		for _, f := range posts {
			f()
		}
		for _, f := range results {
			f()
		}
		if len(results) == 0 && b.runs.Load() == started {
			return
		}
	}
}
