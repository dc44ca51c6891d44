package checkout

import (
	"context"
	"sync"
)

// owner records, for one process, who is working on what: the attempts and sales an exchange
// or a print is running for (background recovery never touches them), and one exchange at a
// time per terminal. The database's compare-and-set writes keep the rules between processes.
type owner struct {
	once  sync.Once
	mu    sync.Mutex
	busy  map[string]bool          // attempt ids and "sale:"+id being worked on here
	terms map[string]chan struct{} // terminal id → a one-slot lock
	kick  chan struct{}            // wakes Watch
}

func (o *owner) init() {
	o.once.Do(func() {
		o.busy = map[string]bool{}
		o.terms = map[string]chan struct{}{}
		o.kick = make(chan struct{}, 1)
	})
}

// claim marks key as worked on here; false when it already is.
func (o *owner) claim(key string) bool {
	o.init()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.busy[key] {
		return false
	}
	o.busy[key] = true
	return true
}

func (o *owner) release(key string) {
	o.mu.Lock()
	delete(o.busy, key)
	o.mu.Unlock()
}

func (o *owner) claimed(key string) bool {
	o.init()
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.busy[key]
}

func (o *owner) terminal(id string) chan struct{} {
	o.init()
	o.mu.Lock()
	defer o.mu.Unlock()
	ch, ok := o.terms[id]
	if !ok {
		ch = make(chan struct{}, 1)
		o.terms[id] = ch
	}
	return ch
}

// lockTerminal waits for the terminal to be free of other exchanges in this process.
func (o *owner) lockTerminal(ctx context.Context, id string) (unlock func(), err error) {
	ch := o.terminal(id)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// tryLockTerminal takes the terminal only if no exchange runs on it now.
func (o *owner) tryLockTerminal(id string) (unlock func(), ok bool) {
	ch := o.terminal(id)
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, true
	default:
		return nil, false
	}
}

func attemptKey(id string) string { return "attempt:" + id }
func saleKey(id string) string    { return "sale:" + id }
