package ecrsim

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"till/pos/ecr17"
)

// exchange writes one request frame on a fresh connection and returns every frame the
// simulator sends until it closes the connection, ACKing its results.
func exchange(t *testing.T, addr string, payload []byte) []ecr17.Frame {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(patience))
	c.Write(ecr17.AppendFrame(nil, ecr17.LRCSTXETX, payload))
	rd := ecr17.NewReader(c, ecr17.LRCSTXETX)
	var out []ecr17.Frame
	for range 20 {
		f, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("after %d frames: %v", len(out), err)
		}
		out = append(out, f)
		if f.Kind == ecr17.FrameApp {
			c.Write(ecr17.ACKFrame())
		}
	}
	t.Fatal("simulator did not close the connection")
	return nil
}

func payload(t *testing.T, r ecr17.Request) []byte {
	t.Helper()
	p, err := r.Payload()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLastResultIsTheLastFinancialResultByteForByte(t *testing.T) {
	sim, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	a, _ := sim.ListenTCP("127.0.0.1:0")
	addr := a.String()
	g := payload(t, ecr17.Request{Code: 'G', TerminalID: "12345678", ECRID: "00000001"})

	none := exchange(t, addr, g)
	if len(none) != 2 || none[0].Kind != ecr17.FrameACK || !strings.Contains(string(none[1].Payload), "NESSUNA OPERAZIONE") {
		t.Fatalf("G before any payment: %+v", none)
	}
	pay := exchange(t, addr, payload(t, ecr17.Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650}))
	if len(pay) != 5 || pay[1].Kind != ecr17.FrameProgress || pay[4].Kind != ecr17.FrameApp {
		t.Fatalf("payment frames: %+v", pay)
	}
	last := exchange(t, addr, g)
	if len(last) != 2 || !bytes.Equal(last[1].Payload, pay[4].Payload) {
		t.Fatalf("G returned %q, payment result was %q", last[1].Payload, pay[4].Payload)
	}
	// A status request does not replace the last financial result.
	exchange(t, addr, payload(t, ecr17.Request{Code: 's', TerminalID: "12345678"}))
	if again := exchange(t, addr, g); !bytes.Equal(again[1].Payload, pay[4].Payload) {
		t.Fatalf("G after status returned %q", again[1].Payload)
	}
}

func TestRequestsForAnotherTerminalAreNAKed(t *testing.T) {
	sim, _ := New(Config{TerminalID: "12345678", KeepOpen: true})
	defer sim.Close()
	a, _ := sim.ListenTCP("127.0.0.1:0")
	c, err := net.Dial("tcp", a.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	rd := ecr17.NewReader(c, ecr17.LRCSTXETX)
	for _, tc := range []struct {
		frame []byte
		want  ecr17.FrameKind
	}{
		{ecr17.AppendFrame(nil, ecr17.LRCSTXETX, []byte("876543210s")), ecr17.FrameNAK},
		{append(ecr17.AppendFrame(nil, ecr17.LRCSTXETX, []byte("123456780s"))[:12], 0), ecr17.FrameNAK}, // bad LRC
		{ecr17.AppendFrame(nil, ecr17.LRCSTXETX, []byte("123456780Z")), ecr17.FrameNAK},                 // unknown code
		{ecr17.AppendFrame(nil, ecr17.LRCSTXETX, []byte("000000000s")), ecr17.FrameACK},                 // wildcard
	} {
		c.Write(tc.frame)
		f, err := rd.Next()
		if err != nil || f.Kind != tc.want {
			t.Fatalf("%q: got %v %v, want %v", tc.frame, f.Kind, err, tc.want)
		}
	}
	if sim.Requests() != 1 {
		t.Fatalf("requests %d, want only the wildcard one", sim.Requests())
	}
}

func TestCloseStopsEverythingWithoutLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	var log bytes.Buffer
	sim, _ := New(Config{Scenario: Slow, ResultDelay: time.Hour, Log: &log})
	a, _ := sim.ListenTCP("127.0.0.1:0")
	if _, err := sim.ListenPTY(); err != nil {
		t.Logf("no pty: %v", err)
	}
	c, err := net.Dial("tcp", a.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write(ecr17.AppendFrame(nil, ecr17.LRCSTXETX, payload(t, ecr17.Request{Code: 's', TerminalID: "12345678"})))
	c.SetReadDeadline(time.Now().Add(time.Second))
	io.ReadFull(c, make([]byte, 3)) // the ACK; the result is an hour away
	done := make(chan struct{})
	go func() { sim.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not return")
	}
	for i := 0; i < 50 && runtime.NumGoroutine() > before; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines before, %d after Close", before, n)
	}
	if !strings.Contains(log.String(), "<- 02 31 32 33 34 35 36 37 38 30 73 03 35  |.123456780s.5|") {
		t.Errorf("verbose log lacks the request frame:\n%s", log.String())
	}
}

func TestScenarioNamesParse(t *testing.T) {
	for name := range Scenarios {
		if sc, err := ParseScenario(string(name)); err != nil || sc != name {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParseScenario("explode"); err == nil || !strings.Contains(err.Error(), "no-ack") {
		t.Errorf("unknown scenario: %v", err)
	}
}
