//go:build linux || darwin || freebsd

package sqlitefile

import (
	"os"
	"syscall"
)

// SQLite's unix VFS locks these bytes of the database file (os_unix.c: PENDING_BYTE, then
// RESERVED_BYTE, then the SHARED range). In WAL mode every open connection holds a read lock on
// the SHARED range for as long as it is open, even when idle.
const (
	pendingByte = 0x40000000
	sharedFirst = pendingByte + 2
	sharedSize  = 510
)

// openElsewhere tells whether another process holds the database open, by asking the kernel
// whether a write lock on the SHARED range could be taken (F_GETLK takes nothing). Locks of
// this process are not seen: POSIX locks belong to a process.
func openElsewhere(f *os.File) (bool, error) {
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: sharedFirst, Len: sharedSize}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false, err
	}
	return lk.Type != syscall.F_UNLCK, nil
}
