// Package closecli is `till close`: the day's close with terminal reconciliation and the Z report.
package closecli

import (
	"fmt"
	"io"
)

// Run runs `till close ARGS…` and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "till close: not built yet")
	return 2
}
