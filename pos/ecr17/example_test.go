package ecr17_test

import (
	"context"
	"errors"
	"fmt"

	"till/pos"
	"till/pos/ecr17"
	"till/pos/ecrsim"
)

// A payment whose link drops after the terminal took it: the outcome is unknown, the
// payment is not sent again, and the last result tells what happened.
func ExampleTerminal_Pay() {
	sim, _ := ecrsim.New(ecrsim.Config{TerminalID: "12345678"})
	defer sim.Close()
	addr, _ := sim.ListenTCP("127.0.0.1:0")

	ctx := context.Background()
	term, err := ecr17.Open(ctx, "Ingenico_EMW", "tcp://"+addr.String(), "12345678", "00000001",
		map[string]string{"ack_timeout": "500ms", "result_timeout": "2s"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer term.Close()

	r, err := term.Pay(ctx, 650, "attempt-1", pos.PayOptions{})
	fmt.Println(r.Outcome, r.Authorized, r.STAN, err)

	r, err = term.Pay(ctx, 105, "attempt-2", pos.PayOptions{}) // 1,05 €: the simulator drops the link
	fmt.Println(r.Outcome, errors.Is(err, pos.ErrOutcomeUnknown))
	last, _ := term.LastResult(ctx)
	fmt.Println(last.Outcome, last.STAN, sim.Payments())
	// Output:
	// approved 6,50 € 000001 <nil>
	// unknown true
	// approved 000002 2
}
