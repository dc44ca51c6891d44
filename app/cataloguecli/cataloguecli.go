// Package cataloguecli is `till catalogue import|export|search`: the shop's products in a CSV
// file (see README "Catalogo CSV").
package cataloguecli

import (
	"fmt"
	"io"
)

// Run runs `till catalogue ARGS…` and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "till catalogue: not built yet")
	return 2
}
