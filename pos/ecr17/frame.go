// Package ecr17 speaks the Italian ECR17 ("Protocollo 17") amount-exchange protocol: the
// frame codec and LRC, the fixed-width message layouts, the ECR side of an exchange and a
// driver implementing pos.Terminal. Everything here decodes bytes from outside and must
// never panic on them; layouts are tables so an uncertain field is a one-line change.
package ecr17

import "fmt"

// Control bytes of the framing.
const (
	STX byte = 0x02
	ETX byte = 0x03
	SOH byte = 0x01
	EOT byte = 0x04
	ACK byte = 0x06
	NAK byte = 0x15
)

// ACK and NAK frames as sent on the wire (the third byte is their LRC).
var (
	ackFrame = []byte{ACK, ETX, 0x7A}
	nakFrame = []byte{NAK, ETX, 0x69}
)

// ACKFrame returns the bytes of an ACK.
func ACKFrame() []byte { return append([]byte(nil), ackFrame...) }

// NAKFrame returns the bytes of a NAK.
func NAKFrame() []byte { return append([]byte(nil), nakFrame...) }

// LRCMode says which bytes the LRC covers; terminals disagree, so it is per profile.
type LRCMode int

const (
	LRCSTXETX  LRCMode = iota // STX, payload and ETX (default)
	LRCETX                    // payload and ETX
	LRCPayload                // payload only
)

// ParseLRCMode reads the profile spelling: "stx-etx", "etx" or "payload".
func ParseLRCMode(s string) (LRCMode, error) {
	switch s {
	case "stx-etx", "":
		return LRCSTXETX, nil
	case "etx":
		return LRCETX, nil
	case "payload":
		return LRCPayload, nil
	}
	return 0, fmt.Errorf("ecr17: unknown LRC mode %q", s)
}

func (m LRCMode) String() string {
	switch m {
	case LRCETX:
		return "etx"
	case LRCPayload:
		return "payload"
	}
	return "stx-etx"
}

// LRC computes the checksum of payload in the given mode: start at 0x7F, XOR every byte.
func LRC(mode LRCMode, payload []byte) byte {
	l := byte(0x7F)
	if mode == LRCSTXETX {
		l ^= STX
	}
	for _, b := range payload {
		l ^= b
	}
	if mode != LRCPayload {
		l ^= ETX
	}
	return l
}

// AppendFrame appends STX payload ETX LRC to dst.
func AppendFrame(dst []byte, mode LRCMode, payload []byte) []byte {
	dst = append(dst, STX)
	dst = append(dst, payload...)
	return append(dst, ETX, LRC(mode, payload))
}

// ProgressFrame builds a POS→ECR progress frame; text is cut or space-padded to 20 chars.
func ProgressFrame(text string) []byte {
	b := make([]byte, 0, 22)
	b = append(b, SOH)
	b = append(b, fmt.Sprintf("%-20.20s", text)...)
	return append(b, EOT)
}
