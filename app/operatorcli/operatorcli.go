// Package operatorcli is `till operators add|list|disable`.
package operatorcli

import (
	"fmt"
	"io"
)

// Run runs `till operators ARGS…` and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "till operators: not built yet")
	return 2
}
