//go:build windows

package main

import (
	"os"
	"syscall"
)

// attachConsole gives a subcommand (till version, till sale, till ecr …) the console it was
// typed in: the Windows build is a GUI program, which Windows starts with no standard output,
// so without this a command run from cmd.exe or PowerShell would print nothing. Output already
// redirected to a file or a pipe is left where it goes.
func attachConsole() {
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer or a shortcut: no console to attach to
	}
	reopen := func(f **os.File, name string, flag int) {
		if _, err := (*f).Stat(); err == nil {
			return // redirected: keep it
		}
		if c, err := os.OpenFile(name, flag, 0); err == nil {
			*f = c
		}
	}
	reopen(&os.Stdout, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stderr, "CONOUT$", os.O_WRONLY)
	reopen(&os.Stdin, "CONIN$", os.O_RDONLY)
}
