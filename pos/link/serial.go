package link

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"

	"go.bug.st/serial"
)

// serialLink keeps one port open across exchanges: reopening a tty per exchange loses
// bytes and fights exclusive-access locks. A port that fails is closed and reopened by
// the next exchange.
type serialLink struct {
	addr Addr
	mu   sync.Mutex
	port serial.Port
}

// pollStep bounds one blocking serial read, so a moved deadline (context cancellation)
// takes effect within this time even though serial ports have no deadlines of their own.
const pollStep = 50 * time.Millisecond

func openSerial(_ context.Context, a Addr) (Link, error) {
	l := &serialLink{addr: a}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *serialLink) open() error {
	parity := map[string]serial.Parity{"none": serial.NoParity, "even": serial.EvenParity, "odd": serial.OddParity}[l.addr.Parity]
	// A Windows port name (COM3) is no file to look at: serial.Open reports a missing one.
	if strings.HasPrefix(l.addr.Path, "/") {
		if _, err := os.Stat(l.addr.Path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("serial port %s does not exist: %w", l.addr.Path, err)
		}
	}
	p, err := serial.Open(l.addr.Path, &serial.Mode{BaudRate: l.addr.Baud, DataBits: 8, Parity: parity, StopBits: serial.OneStopBit})
	if err != nil {
		return fmt.Errorf("open serial port %s: %w", l.addr.Path, err)
	}
	l.port = p
	return nil
}

func (l *serialLink) String() string { return l.addr.String() }

func (l *serialLink) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.port == nil {
		return nil
	}
	err := l.port.Close()
	l.port = nil
	return err
}

func (l *serialLink) Conn(context.Context) (Conn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.port == nil {
		if err := l.open(); err != nil {
			return nil, err
		}
	}
	// Bytes left from an earlier exchange (a result that came after its timeout) must not
	// be taken for this exchange's answer.
	if err := l.port.ResetInputBuffer(); err != nil {
		l.port.Close()
		l.port = nil
		return nil, fmt.Errorf("serial port %s: %w", l.addr.Path, err)
	}
	return &serialConn{link: l, port: l.port}, nil
}

// serialConn turns go.bug.st/serial's "(0, nil) on read timeout" into deadline errors.
type serialConn struct {
	link     *serialLink
	port     serial.Port
	mu       sync.Mutex
	deadline time.Time
	failed   bool
}

func (c *serialConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return nil
}

func (c *serialConn) Read(p []byte) (int, error) {
	for {
		c.mu.Lock()
		dl := c.deadline
		c.mu.Unlock()
		step := pollStep
		if !dl.IsZero() {
			left := time.Until(dl)
			if left <= 0 {
				return 0, os.ErrDeadlineExceeded
			}
			step = min(step, left)
		}
		if err := c.port.SetReadTimeout(step); err != nil {
			return 0, c.fail(err)
		}
		n, err := c.port.Read(p)
		if err != nil {
			return n, c.fail(err)
		}
		if n > 0 {
			return n, nil
		}
	}
}

func (c *serialConn) Write(p []byte) (int, error) {
	n, err := c.port.Write(p)
	if err != nil {
		return n, c.fail(err)
	}
	return n, nil
}

func (c *serialConn) fail(err error) error {
	c.mu.Lock()
	c.failed = true
	c.mu.Unlock()
	return fmt.Errorf("serial port %s: %w", c.link.addr.Path, err)
}

// Close keeps the port for the next exchange unless this one broke it.
func (c *serialConn) Close() error {
	c.mu.Lock()
	failed := c.failed
	c.mu.Unlock()
	if !failed {
		return nil
	}
	c.link.mu.Lock()
	defer c.link.mu.Unlock()
	if c.link.port == c.port {
		c.link.port = nil
	}
	return c.port.Close()
}
