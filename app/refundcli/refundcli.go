// Package refundcli is `till refund` and `till void`: documents of reso and annullo that refer
// to an original receipt, and the money going back.
package refundcli

import (
	"fmt"
	"io"
)

// RunRefund runs `till refund ARGS…` and returns the exit code.
func RunRefund(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "till refund: not built yet")
	return 2
}

// RunVoid runs `till void ARGS…` and returns the exit code.
func RunVoid(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "till void: not built yet")
	return 2
}
