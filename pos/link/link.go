// Package link opens the byte pipe to a payment terminal: a TCP socket or a serial port,
// named by one configuration string. It knows nothing of the protocol spoken over it; it
// only guarantees that reads honour deadlines the same way on both kinds of link.
package link

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Conn is one exchange's view of the link. Reads past the deadline fail with an error
// that matches os.ErrDeadlineExceeded.
type Conn interface {
	io.ReadWriter
	SetReadDeadline(t time.Time) error
	// Close ends the exchange: a TCP socket is closed, a serial port stays open for the
	// next exchange unless it failed.
	Close() error
}

// Link hands out a Conn per exchange.
type Link interface {
	// Conn opens the link for one exchange. An error here means nothing was sent.
	Conn(ctx context.Context) (Conn, error)
	Close() error
	String() string
}

// ErrBadLink is wrapped when a link string does not parse.
var ErrBadLink = errors.New("bad terminal link")

const accepted = `want "tcp://HOST:PORT" or "serial:///dev/ttyUSB0?baud=9600&parity=none" (on Windows "serial://COM3?baud=9600")`

// Options tunes how a link is opened.
type Options struct {
	// ConnectTimeout bounds a TCP connect or a serial open; zero means 10 s.
	ConnectTimeout time.Duration
}

// Addr is a parsed link string.
type Addr struct {
	Scheme string // "tcp" or "serial"
	Host   string // host:port for tcp
	Path   string // device path for serial (/dev/ttyUSB0), or a Windows port name (COM3)
	Baud   int
	Parity string // none, even, odd
}

// Bauds are the serial speeds a link may ask for: the standard rates from 1200 to 921600,
// including the modem-era 14400, 28800 and 56000 some installs still use. A rate outside the
// set is almost always a typo (96000, 11520) that would open the port and then never hear the
// terminal, so it is refused when the link is read, not found at a sale.
var Bauds = []int{1200, 2400, 4800, 9600, 14400, 19200, 28800, 38400, 56000, 57600, 115200, 230400, 460800, 921600}

// Parse reads "tcp://host:port", "serial:///dev/ttyUSB0?baud=9600&parity=none" or, for a Windows
// till, "serial://COM3?baud=9600". It is pure (it opens nothing, and reads both serial forms on
// every system, since the back office validates links for tills of either kind), so the
// configuration's validation calls it too: a link the back office or the till's settings accept
// is exactly a link Dial accepts.
//
// tcp needs a host and a port 1-65535, and nothing else (no user, path, query or fragment).
// serial needs three slashes and a clean absolute path, or two slashes and a Windows port name
// COM1-COM256 (any case, kept in capitals), with at most the options baud (one of Bauds, 9600
// when absent) and parity (none, even or odd; none when absent), each given once.
func Parse(s string) (Addr, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return Addr{}, fmt.Errorf("%w %q: %s", ErrBadLink, s, accepted)
	}
	switch u.Scheme {
	case "tcp":
		return parseTCP(s, u)
	case "serial":
		return parseSerial(s, u)
	}
	return Addr{}, fmt.Errorf("%w %q: %s", ErrBadLink, s, accepted)
}

func parseTCP(s string, u *url.URL) (Addr, error) {
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || host == "" || port == "" || u.Opaque != "" {
		return Addr{}, fmt.Errorf("%w %q: %s (the port is required: terminals have no standard one)", ErrBadLink, s, accepted)
	}
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return Addr{}, fmt.Errorf("%w %q: %s (nothing may follow the port)", ErrBadLink, s, accepted)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strings.Trim(port, "0123456789") != "" {
		return Addr{}, fmt.Errorf("%w %q: port %q is not 1-65535", ErrBadLink, s, port)
	}
	return Addr{Scheme: "tcp", Host: u.Host}, nil
}

func parseSerial(s string, u *url.URL) (Addr, error) {
	device := u.Path
	if port := strings.ToUpper(u.Host); isWindowsPort(port) && u.Path == "" && u.User == nil && u.Fragment == "" {
		device = port
	} else {
		if u.Host != "" || u.User != nil || u.OmitHost || u.Opaque != "" || u.Path == "" {
			return Addr{}, fmt.Errorf("%w %q: %s (three slashes before the device path)", ErrBadLink, s, accepted)
		}
		if u.Path == "/" || path.Clean(u.Path) != u.Path || u.Fragment != "" {
			return Addr{}, fmt.Errorf("%w %q: %q is not the absolute path of a device, like /dev/ttyUSB0", ErrBadLink, s, u.Path)
		}
	}
	a := Addr{Scheme: "serial", Path: device, Baud: 9600, Parity: "none"}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Addr{}, fmt.Errorf("%w %q: options: %v", ErrBadLink, s, err)
	}
	for k, v := range q {
		if k != "baud" && k != "parity" {
			return Addr{}, fmt.Errorf("%w %q: unknown option %q (baud, parity)", ErrBadLink, s, k)
		}
		if len(v) != 1 || v[0] == "" {
			return Addr{}, fmt.Errorf("%w %q: option %s must be given once, with a value", ErrBadLink, s, k)
		}
	}
	if b := q.Get("baud"); b != "" {
		if a.Baud, err = strconv.Atoi(b); err != nil || !slices.Contains(Bauds, a.Baud) {
			return Addr{}, fmt.Errorf("%w %q: baud %q is not one of %v", ErrBadLink, s, b, Bauds)
		}
	}
	if p := q.Get("parity"); p != "" {
		if p != "none" && p != "even" && p != "odd" {
			return Addr{}, fmt.Errorf("%w %q: parity %q, want none, even or odd", ErrBadLink, s, p)
		}
		a.Parity = p
	}
	return a, nil
}

// isWindowsPort reports whether name is a Windows serial port, COM1 to COM256, in capitals.
func isWindowsPort(name string) bool {
	n, ok := strings.CutPrefix(name, "COM")
	if !ok || n == "" || n[0] == '0' || strings.Trim(n, "0123456789") != "" {
		return false
	}
	v, err := strconv.Atoi(n)
	return err == nil && v <= 256
}

// String is the link in the form Parse reads: serial:///dev/ttyUSB0?… or serial://COM3?….
func (a Addr) String() string {
	if a.Scheme == "tcp" {
		return "tcp://" + a.Host
	}
	return fmt.Sprintf("serial://%s?baud=%d&parity=%s", a.Path, a.Baud, a.Parity)
}

// Dial parses s and prepares the link. A serial port is opened now, so a missing device
// is reported at once; a TCP link connects afresh for every exchange (Conn), because many
// terminals close the socket after each transaction and a fresh socket is never a dead one.
func Dial(ctx context.Context, s string, opts Options) (Link, error) {
	a, err := Parse(s)
	if err != nil {
		return nil, err
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 10 * time.Second
	}
	if a.Scheme == "tcp" {
		return &tcpLink{addr: a, timeout: opts.ConnectTimeout}, nil
	}
	return openSerial(ctx, a)
}

type tcpLink struct {
	addr    Addr
	timeout time.Duration
}

func (l *tcpLink) String() string { return l.addr.String() }
func (l *tcpLink) Close() error   { return nil }

func (l *tcpLink) Conn(ctx context.Context) (Conn, error) {
	d := net.Dialer{Timeout: l.timeout}
	c, err := d.DialContext(ctx, "tcp", l.addr.Host)
	if err != nil {
		return nil, fmt.Errorf("connect to terminal %s: %w", l.addr.Host, err)
	}
	return c, nil
}
