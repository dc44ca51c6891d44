package portal

import "time"

// SchemaVersion is the schema this portal writes, for the tests that open a database at once
// from several processes.
func SchemaVersion() int { return len(migrationNames()) }

// SetClock makes the store read the time from now, so tests move time instead of sleeping.
// Call it before the store serves requests.
func (s *Store) SetClock(now func() time.Time) { s.now = now }
