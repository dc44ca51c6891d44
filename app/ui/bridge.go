package ui

import (
	"sync"

	"fyne.io/fyne/v2"
)

// bridge is the one place where background work hands its result back to the UI goroutine.
// The UI never waits on I/O: it starts work here and the result arrives through fyne.Do.
type bridge struct{ pending sync.WaitGroup }

// run does work off the UI goroutine and then applies done on it.
func (b *bridge) run(work func() func()) {
	b.pending.Add(1)
	go func() {
		defer b.pending.Done()
		done := work()
		if done != nil {
			fyne.DoAndWait(done)
		}
	}()
}

// wait blocks until all started work has been applied; tests and screenshots use it.
func (b *bridge) wait() { b.pending.Wait() }
