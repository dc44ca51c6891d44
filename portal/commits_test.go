package portal_test

import (
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
)

// sqliteCommits counts, per database file, the write transactions SQLite commits: the commit
// hook fires for every transaction that held the write lock, so a read, or a statement that
// never became a write, does not count. It watches every connection this test binary opens.
var sqliteCommits = struct {
	sync.Mutex
	byPath map[string]*atomic.Int64
}{byPath: map[string]*atomic.Int64{}}

func init() {
	sqlite.RegisterConnectionHook(func(conn sqlite.ExecQuerierContext, dsn string) error {
		hooks, ok := conn.(sqlite.HookRegisterer)
		if !ok {
			return nil
		}
		n := commitCounter(dsnPath(dsn))
		hooks.RegisterCommitHook(func() int32 {
			n.Add(1)
			return 0 // 0 lets the commit go ahead
		})
		return nil
	})
}

// dsnPath is the file of a DSN "file:PATH?params" as the store builds it.
func dsnPath(dsn string) string {
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	return path
}

func commitCounter(path string) *atomic.Int64 {
	sqliteCommits.Lock()
	defer sqliteCommits.Unlock()
	n := sqliteCommits.byPath[path]
	if n == nil {
		n = new(atomic.Int64)
		sqliteCommits.byPath[path] = n
	}
	return n
}

// commits is how many write transactions were committed so far on the SQLite file at path.
func commits(path string) int64 { return commitCounter(path).Load() }
