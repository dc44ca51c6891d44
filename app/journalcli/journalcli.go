// Package journalcli is `till journal --day` and `till audit verify`.
package journalcli

import (
	"fmt"
	"io"
)

// RunJournal runs `till journal ARGS…` and returns the exit code.
func RunJournal(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "till journal: not built yet")
	return 2
}

// RunAudit runs `till audit ARGS…` and returns the exit code.
func RunAudit(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "till audit: not built yet")
	return 2
}
