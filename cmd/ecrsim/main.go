// Command ecrsim runs a simulated ECR17 payment terminal on TCP or a pty, for testing the
// till without hardware. See docs/terminal.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"till/pos/ecr17"
	"till/pos/ecrsim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ecrsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "", "TCP address to listen on, e.g. 127.0.0.1:9100 (port 0 picks one)")
	usePTY := fs.Bool("pty", false, "create a pseudo-terminal and print its path (serial link)")
	tid := fs.String("terminal-id", "12345678", "the terminal's 8-digit id; requests for another id are NAKed (00000000 always accepted)")
	scenario := fs.String("scenario", string(ecrsim.Approve), "run scenario: "+scenarioNames())
	delay := fs.Duration("delay", 0, "pause between progress messages, e.g. 800ms")
	resultDelay := fs.Duration("result-delay", 0, "how late the slow scenario answers (default 5s)")
	keepOpen := fs.Bool("keep-open", false, "keep TCP connections open across exchanges")
	lrc := fs.String("lrc", "stx-etx", "LRC mode: stx-etx, etx or payload")
	verbose := fs.Bool("v", false, "log every frame in hex and text")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if (*listen == "") == !*usePTY {
		fmt.Fprintln(stderr, "ecrsim: give exactly one of -listen ADDR or -pty")
		fs.Usage()
		return 2
	}
	sc, err := ecrsim.ParseScenario(*scenario)
	if err != nil {
		fmt.Fprintln(stderr, "ecrsim:", err)
		return 2
	}
	mode, err := ecr17.ParseLRCMode(*lrc)
	if err != nil {
		fmt.Fprintln(stderr, "ecrsim:", err)
		return 2
	}
	cfg := ecrsim.Config{TerminalID: *tid, Scenario: sc, ProgressDelay: *delay,
		ResultDelay: *resultDelay, KeepOpen: *keepOpen, LRCMode: mode}
	if *verbose {
		cfg.Log = stderr
	}
	sim, err := ecrsim.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer sim.Close()
	if *usePTY {
		path, err := sim.ListenPTY()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "ecrsim: terminal %s on serial://%s\n", *tid, path)
	} else {
		addr, err := sim.ListenTCP(*listen)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "ecrsim: terminal %s on tcp://%s\n", *tid, addr)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return 0
}

func scenarioNames() string {
	var names []string
	for k := range ecrsim.Scenarios {
		names = append(names, string(k))
	}
	sort.Strings(names)
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}
