package ecr17_test

import (
	"context"
	"io"
	"net"
	"testing"

	"till/pos"
	"till/pos/ecr17"
	"till/pos/ecrsim"
)

func BenchmarkEncodeDecodePayment(b *testing.B) {
	req := ecr17.Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650}
	resp := ecr17.AppendFrame(nil, ecr17.LRCSTXETX, []byte("123456780E00000411111******1111CLIA1B2C30401530200000000003000042000099"))
	b.ReportAllocs()
	for b.Loop() {
		p, err := req.Payload()
		if err != nil {
			b.Fatal(err)
		}
		_ = ecr17.AppendFrame(nil, ecr17.LRCSTXETX, p)
		if _, err := ecr17.DecodeResponse(resp[1 : len(resp)-2]); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSim(b *testing.B) string {
	sim, err := ecrsim.New(ecrsim.Config{TerminalID: "12345678"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sim.Close() })
	addr, err := sim.ListenTCP("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	return addr.String()
}

// BenchmarkPayExchangeTCP is a full Pay through the driver: connect, P, ACK, three progress
// frames, result, ACK, close.
func BenchmarkPayExchangeTCP(b *testing.B) {
	addr := benchSim(b)
	term, err := ecr17.New(context.Background(), ecr17.Config{Link: "tcp://" + addr, TerminalID: "12345678", ECRID: "00000001", Profile: testProfile})
	if err != nil {
		b.Fatal(err)
	}
	defer term.Close()
	b.ReportAllocs()
	for b.Loop() {
		r, err := term.Pay(context.Background(), 650, "bench", pos.PayOptions{})
		if err != nil || r.Outcome != pos.Approved {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkPayRawSocketBaseline moves the same bytes with no driver at all: the floor the
// driver is measured against.
func BenchmarkPayRawSocketBaseline(b *testing.B) {
	addr := benchSim(b)
	p, _ := ecr17.Request{Code: 'P', TerminalID: "12345678", ECRID: "00000001", Amount: 650}.Payload()
	frame := ecr17.AppendFrame(nil, ecr17.LRCSTXETX, p)
	const reply = 3 + 3*22 + 74 // ACK, three progress frames, the result frame (STX+71+ETX+LRC)
	buf := make([]byte, reply)
	b.ReportAllocs()
	for b.Loop() {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		c.Write(frame)
		if _, err := io.ReadFull(c, buf); err != nil {
			b.Fatal(err)
		}
		c.Write(ecr17.ACKFrame())
		c.Close()
	}
}
