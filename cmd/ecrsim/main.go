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
	"strings"
	"syscall"

	"till/pos/ecr17"
	"till/pos/ecrsim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	o, ok := configure(args, stderr)
	if !ok {
		return 2
	}
	cfg := o.cfg
	if o.verbose {
		cfg.Log = stderr
	}
	sim, err := ecrsim.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer sim.Close()
	if o.pty {
		path, err := sim.ListenPTY()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "ecrsim: terminal %s on serial://%s\n", cfg.TerminalID, path)
	} else {
		addr, err := sim.ListenTCP(o.listen)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "ecrsim: terminal %s on tcp://%s\n", cfg.TerminalID, addr)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return 0
}

// options are the command line, read.
type options struct {
	listen  string
	pty     bool
	verbose bool
	cfg     ecrsim.Config
}

// configure reads the flags into the simulator's configuration; on a bad flag it says why
// on stderr and reports false.
func configure(args []string, stderr io.Writer) (options, bool) {
	fs := flag.NewFlagSet("ecrsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "", "TCP address to listen on, e.g. 127.0.0.1:9100 (port 0 picks one)")
	usePTY := fs.Bool("pty", false, "create a pseudo-terminal and print its path (serial link)")
	tid := fs.String("terminal-id", "12345678", "the terminal's 8-digit id; requests for another id are NAKed (00000000 always accepted)")
	scenario := fs.String("scenario", string(ecrsim.Approve), "run scenario: "+scenarioNames())
	delay := fs.Duration("delay", 0, "pause between progress messages, e.g. 800ms")
	resultDelay := fs.Duration("result-delay", 0, "how late the slow scenario (and -last-result late) answers (default 5s)")
	workDelay := fs.Duration("work-delay", 0, "how long a keep-working payment goes on after the link dropped (default 2s)")
	lastResult := fs.String("last-result", string(ecrsim.LastResultAnswer), "how G (last result) is answered: "+lastResultNames())
	foreignTID := fs.String("foreign-terminal-id", "", "the terminal id the foreign-tid scenario puts in its results (default 87654321, or 12345678 for terminal 87654321)")
	stanStart := fs.Int("stan-start", 0, "the last STAN used before the first payment (0-999999): the first payment gets N+1")
	keepOpen := fs.Bool("keep-open", false, "keep TCP connections open across exchanges")
	lrc := fs.String("lrc", "stx-etx", "LRC mode: stx-etx, etx or payload")
	verbose := fs.Bool("v", false, "log every frame in hex and text")
	if err := fs.Parse(args); err != nil {
		return options{}, false
	}
	if (*listen == "") == !*usePTY {
		fmt.Fprintln(stderr, "ecrsim: give exactly one of -listen ADDR or -pty")
		fs.Usage()
		return options{}, false
	}
	sc, err := ecrsim.ParseScenario(*scenario)
	if err != nil {
		fmt.Fprintln(stderr, "ecrsim:", err)
		return options{}, false
	}
	mode, err := ecr17.ParseLRCMode(*lrc)
	if err != nil {
		fmt.Fprintln(stderr, "ecrsim:", err)
		return options{}, false
	}
	lastMode, err := ecrsim.ParseLastResultMode(*lastResult)
	if err != nil {
		fmt.Fprintln(stderr, "ecrsim:", err)
		return options{}, false
	}
	cfg := ecrsim.Config{TerminalID: *tid, Scenario: sc, ProgressDelay: *delay,
		ResultDelay: *resultDelay, WorkDelay: *workDelay, LastResult: lastMode,
		ForeignTerminalID: *foreignTID, STANStart: *stanStart, KeepOpen: *keepOpen, LRCMode: mode}
	return options{listen: *listen, pty: *usePTY, verbose: *verbose, cfg: cfg}, true
}

func scenarioNames() string {
	var names []string
	for k := range ecrsim.Scenarios {
		names = append(names, string(k))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func lastResultNames() string {
	var names []string
	for k := range ecrsim.LastResultModes {
		names = append(names, string(k))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
