// Command rtsim runs the Epson RT fiscal printer simulator (package fiscal/rtsim) on HTTP, for
// demos and tests: go run ./cmd/rtsim -listen 127.0.0.1:0. It only parses flags and wires.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"till/fiscal/rtsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rtsim:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done; it prints the listening URL first, so ":0" can be used.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("rtsim", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8090", "address to listen on; :0 picks a free port and prints it")
	serial := fs.String("serial", "99MEY000001", "printer serial number")
	journal := fs.String("journal", "", "append every issued document to this file as JSON lines")
	fault := fs.String("fault", "", "initial fault: "+rtsim.FaultNames+" (prefix once: to fire once)")
	counters := fs.Bool("assume-status-counters", false, "ASSUMPTION, not in the printer contract: the status answer "+
		"also carries the last document (fiscalReceiptNumber, fiscalReceiptAmount, fiscalReceiptDate/Time, zRepNumber) "+
		"and serialNumber; off, it answers only the documented printerStatus and rt fields")
	serialInStatus := fs.Bool("assume-status-serial", false, "ASSUMPTION, not in the printer contract: the status answer "+
		"carries serialNumber (the serial voids and refunds print)")
	byNumbers := fs.Bool("assume-content-by-numbers", false, "ASSUMPTION, not in the printer contract: the printerCommand "+
		"printContentByNumbers reprints documents of the open day by number as copies; off, it is an unknown command")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := rtsim.Config{Serial: *serial, Fault: *fault, AssumeStatusCounters: *counters, AssumeStatusSerial: *serialInStatus,
		AssumeContentByNumbers: *byNumbers}
	if *journal != "" {
		f, err := os.OpenFile(*journal, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.Journal = f
	}
	sim, err := rtsim.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rtsim listening on http://%s (serial %s)\n", ln.Addr(), *serial)
	srv := &http.Server{Handler: sim}
	go func() {
		<-ctx.Done()
		sim.Close() // release requests held by a fault, or Shutdown would wait for them
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
