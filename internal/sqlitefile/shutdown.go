package sqlitefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Unclean tells whether the database file f was left by a connection that did not close
// cleanly: its -wal file holds frames and no other process has the database open.
//
// The signal is SQLite's own. The last connection to close a database in WAL mode checkpoints
// the log into the file and deletes it, and it knows it is the last because it can lock the
// whole file; a process that dies (a crash, a kill, a power cut) leaves the log behind. A
// marker of our own written at Close would need a write at every open and close and would
// still have to tell a crash from another process that has the file open now, which is what
// the lock tells: the till window and `till sync` often run together, and while one of them
// runs the log is expected. So a log left by a read-only connection or by one process that died
// while another kept running goes unnoticed; that is harmless, since SQLite rebuilds its index
// of the log on the next open and the pages a process wrote are in the operating system's
// hands. What a full check exists for is damage from the machine stopping under a write, and
// then no process survives to hold the file open.
//
// Unclean only reads: it never takes a lock, so it cannot disturb another process's.
func Unclean(f *os.File) (bool, error) {
	info, err := os.Stat(f.Name() + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check the log of %s: %w", f.Name(), err)
	}
	if info.Size() == 0 {
		return false, nil // emptied by a checkpoint, or made by a reader: nothing to recover
	}
	open, err := openElsewhere(f)
	if err != nil {
		return false, fmt.Errorf("check whether %s is open: %w", f.Name(), err)
	}
	return !open, nil
}
