package tillsync

import (
	"context"
	"errors"
	"sync"
	"time"

	"till/app/catalogue"
)

// Options tune a Syncer; the zero value is the production setting.
type Options struct {
	PullEvery time.Duration // how often the configuration is pulled; default 5 min
	Poll      time.Duration // how often the outbox is looked at when idle; default 10 s
	Backoff   Backoff       // after failures; zero: DefaultBackoff

	// Now and After are the clock; tests inject a fake one to see the delays without waiting.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time

	// OnConfig is called on the syncer's goroutine when a new configuration was cached. The
	// checkout reads the cache at every payment, so the UI only needs it to redraw (between
	// sales, with fyne.Do); it must not block.
	OnConfig func(version int64)
	// OnCatalogue is called on the syncer's goroutine when a new catalogue from the back office
	// was applied, so the UI can rebuild its product buttons and search index (between sales,
	// with fyne.Do); it must not block.
	OnCatalogue func(version int64)
	// OnState is called on the syncer's goroutine after every change of State; it must not block.
	OnState func(State)
}

// State is what the UI shows of the sync: a snapshot, cheap to take from any goroutine.
type State struct {
	Activated     bool
	Online        bool      // the last contact with the portal succeeded
	OfflineSince  time.Time // the first failure since the last success; zero when online
	Pending       int       // sales waiting in the outbox
	ConfigVersion int64     // the cached configuration's version, 0 when none
	// CatalogueVersion is the back office's version of the catalogue the till holds, 0 when the
	// till runs on its own catalogue (then CatalogueManaged is false and a manager edits it).
	CatalogueVersion int64
	CatalogueManaged bool
	LastSuccess      time.Time
	LastError        error // nil when online; an *Error (see KindOf) or a local database error
	ErrorKind        Kind  // KindOf(LastError)
	Failures         int   // failures in a row
	NextAttempt      time.Time
}

// Syncer keeps the till in step with the portal in the background: it pulls the configuration
// and the catalogue at start and every PullEvery, and pushes the outbox whenever it holds
// sales, backing off after failures. The till sells on its cached copies whatever happens here.
type Syncer struct {
	client *Client
	opt    Options
	kick   chan struct{}

	mu    sync.Mutex
	state State
}

// NewSyncer makes a syncer for the till of client; start it with Run.
func NewSyncer(client *Client, o Options) *Syncer {
	if o.PullEvery <= 0 {
		o.PullEvery = 5 * time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = 10 * time.Second
	}
	if o.Backoff.Min == 0 && o.Backoff.Max == 0 {
		r := o.Backoff.Rand
		o.Backoff = DefaultBackoff
		o.Backoff.Rand = r
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	c := *client // a copy: the caller's client may be in use on other goroutines
	if c.Now == nil {
		c.Now = o.Now
	}
	return &Syncer{client: &c, opt: o, kick: make(chan struct{}, 1)}
}

// State returns the current snapshot.
func (s *Syncer) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Kick asks for a push now, e.g. right after a sale was documented. While the portal is
// failing it only refreshes the pending count: the backoff still decides when to retry.
func (s *Syncer) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run syncs until ctx is done and returns ctx's error.
func (s *Syncer) Run(ctx context.Context) error {
	s.refreshLocal(ctx)
	var nextPull time.Time // zero: pull at once
	failures := 0
	for ctx.Err() == nil {
		contacted, err := s.cycle(ctx, &nextPull)
		if ctx.Err() != nil {
			break
		}
		now := s.opt.Now()
		wait := s.opt.Poll
		switch {
		case errors.Is(err, ErrNotActivated):
			failures = 0 // nothing to try until `till activate` writes a token
		case err != nil:
			failures++
			wait = s.opt.Backoff.Delay(failures)
		default:
			failures = 0
			wait = min(wait, max(nextPull.Sub(now), 0))
		}
		s.finish(err, contacted, failures, now, now.Add(wait))
		if err := s.wait(ctx, wait, failures > 0); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// wait sleeps for d, or until a kick when the portal is not failing.
func (s *Syncer) wait(ctx context.Context, d time.Duration, failing bool) error {
	timer := s.opt.After(d)
	for range 1 << 20 { // kicks are bounded by sales; the timer always ends the wait
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer:
			return nil
		case <-s.kick:
			if !failing {
				return nil
			}
			s.refreshLocal(ctx)
		}
	}
	return nil
}

// cycle pulls the configuration and the catalogue when due and pushes the outbox when it
// holds sales; contacted tells whether it called the portal at all.
func (s *Syncer) cycle(ctx context.Context, nextPull *time.Time) (contacted bool, err error) {
	var pullErr error
	if !s.opt.Now().Before(*nextPull) {
		contacted = true
		if pullErr, err = s.pull(ctx); err != nil {
			s.refreshLocal(ctx)
			return contacted, err // a push would fail the same way
		}
		if pullErr == nil {
			*nextPull = s.opt.Now().Add(s.opt.PullEvery)
		}
	}
	n, err := s.client.DB.OutboxCount(ctx)
	if err == nil && n > 0 {
		contacted = true
		var p Push
		p, err = s.client.PushSales(ctx)
		n = p.Pending
	}
	s.mu.Lock()
	s.state.Pending = n
	s.mu.Unlock()
	if err != nil {
		return contacted, err
	}
	return contacted, pullErr
}

// pull pulls the configuration, then the catalogue. A document the till refuses (either) is
// pullErr: the till keeps the copy it has, and the sales can still go. fatal is a failure the
// push would meet too (not activated, unreachable, revoked), which ends the cycle.
func (s *Syncer) pull(ctx context.Context) (pullErr, fatal error) {
	stops := func(err error) bool {
		return errors.Is(err, ErrNotActivated) || errors.Is(err, ErrUnreachable) || errors.Is(err, ErrRevoked)
	}
	p, err := s.client.PullConfig(ctx)
	switch {
	case err == nil:
		s.setConfigVersion(p)
	case stops(err):
		return nil, err
	default:
		pullErr = err
	}
	cp, err := s.client.PullCatalogue(ctx)
	switch {
	case err == nil:
		s.setCatalogue(cp)
	case stops(err):
		return nil, err
	case pullErr == nil:
		pullErr = err
	}
	return pullErr, nil
}

func (s *Syncer) setCatalogue(p CataloguePull) {
	s.mu.Lock()
	s.state.CatalogueVersion, s.state.CatalogueManaged = p.Version, p.Managed
	s.mu.Unlock()
	if p.Changed && s.opt.OnCatalogue != nil {
		s.opt.OnCatalogue(p.Version)
	}
}

func (s *Syncer) setConfigVersion(p Pull) {
	s.mu.Lock()
	old := s.state.ConfigVersion
	s.state.ConfigVersion = p.Version
	s.mu.Unlock()
	if p.Changed && p.Version != old && s.opt.OnConfig != nil {
		s.opt.OnConfig(p.Version)
	}
}

// refreshLocal reads what the database knows (pending sales, cached versions, activation)
// without calling the portal.
func (s *Syncer) refreshLocal(ctx context.Context) {
	n, err := s.client.DB.OutboxCount(ctx)
	doc, _, cerr := s.client.DB.LoadConfig(ctx)
	st, aerr := s.client.DB.LoadSyncState(ctx)
	meta, merr := s.client.DB.CatalogueMeta(ctx)
	s.mu.Lock()
	if merr == nil {
		s.state.CatalogueManaged = meta.Source == catalogue.SourcePortal
		s.state.CatalogueVersion = 0
		if s.state.CatalogueManaged {
			s.state.CatalogueVersion = meta.Version
		}
	}
	if err == nil {
		s.state.Pending = n
	}
	if cerr == nil && doc != nil {
		s.state.ConfigVersion = doc.Version
	}
	if aerr == nil {
		s.state.Activated = st.Activated()
	}
	snap := s.state
	s.mu.Unlock()
	s.notify(snap)
}

// finish records the outcome of a cycle. A cycle that had nothing to do leaves online and
// offline-since as they were: it learnt nothing about the portal.
func (s *Syncer) finish(err error, contacted bool, failures int, now, next time.Time) {
	s.mu.Lock()
	st := &s.state
	st.Activated = !errors.Is(err, ErrNotActivated)
	st.Failures = failures
	st.NextAttempt = next
	switch {
	case errors.Is(err, ErrNotActivated):
		st.Online, st.OfflineSince, st.LastError, st.ErrorKind = false, time.Time{}, nil, 0
	case err != nil:
		if st.Online || st.OfflineSince.IsZero() {
			st.OfflineSince = now
		}
		st.Online, st.LastError, st.ErrorKind = false, err, KindOf(err)
	case contacted:
		st.Online, st.OfflineSince, st.LastError, st.ErrorKind, st.LastSuccess = true, time.Time{}, nil, 0, now
	}
	snap := *st
	s.mu.Unlock()
	if err != nil && isSyncError(err) {
		// Kept for `till sync` and the settings screen in another process; best effort.
		_ = s.client.DB.NoteSyncError(context.Background(), err.Error(), now)
	}
	s.notify(snap)
}

func (s *Syncer) notify(st State) {
	if s.opt.OnState != nil {
		s.opt.OnState(st)
	}
}
