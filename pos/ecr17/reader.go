package ecr17

import (
	"io"
)

// FrameKind tells the frames a reader can return apart.
type FrameKind int

const (
	FrameApp FrameKind = iota
	FrameACK
	FrameNAK
	FrameProgress
)

func (k FrameKind) String() string {
	return [...]string{"app", "ACK", "NAK", "progress"}[k]
}

// Frame is one frame read from the wire. For FrameApp, Payload is the bytes between STX and
// ETX and LRCOK says whether the received LRC matched; for FrameProgress, Payload is the text.
type Frame struct {
	Kind    FrameKind
	Payload []byte
	LRC     byte
	LRCOK   bool
}

// maxPayload bounds a frame so a stream of garbage cannot grow memory; the longest message
// of the protocol is 167 bytes, receipt frames about 210.
const maxPayload = 1024

// maxProgress bounds a progress frame (20 characters by the protocol).
const maxProgress = 64

// Reader splits a byte stream into frames. It copes with frames split over many reads and
// several frames in one read, always consumes exactly one byte after ETX (the LRC may be
// 0x00, 0x02 or 0x03), and skips bytes that start no frame. A Read error (such as a
// deadline) leaves a partial frame in place, so Next may be called again.
type Reader struct {
	src   io.Reader
	mode  LRCMode
	buf   []byte // bytes read but not yet consumed
	state readState
	cur   []byte // payload being collected
	tmp   [512]byte
}

type readState int

const (
	stIdle readState = iota
	stApp
	stLRC
	stProgress
)

// NewReader reads frames from src, checking LRCs in mode.
func NewReader(src io.Reader, mode LRCMode) *Reader {
	return &Reader{src: src, mode: mode}
}

// Next returns the next complete frame. Bytes that belong to no frame are dropped.
func (r *Reader) Next() (Frame, error) {
	empty := 0
	for {
		if f, ok := r.scan(); ok {
			return f, nil
		}
		n, err := r.src.Read(r.tmp[:])
		r.buf = append(r.buf, r.tmp[:n]...)
		if n > 0 {
			empty = 0
			continue // scan what arrived before reporting any error
		}
		if err != nil {
			return Frame{}, err
		}
		if empty++; empty > 100 {
			return Frame{}, io.ErrNoProgress
		}
	}
}

// scan consumes r.buf until it completes a frame or runs out of bytes.
func (r *Reader) scan() (Frame, bool) {
	i := 0
	defer func() { r.buf = r.buf[:copy(r.buf, r.buf[i:])] }()
	for i < len(r.buf) {
		b := r.buf[i]
		i++
		switch r.state {
		case stIdle:
			switch b {
			case STX:
				r.state, r.cur = stApp, r.cur[:0]
			case SOH:
				r.state, r.cur = stProgress, r.cur[:0]
			case ACK:
				// Accepted by its first byte; the ETX and LRC that follow start no frame
				// and are skipped as garbage.
				return Frame{Kind: FrameACK}, true
			case NAK:
				return Frame{Kind: FrameNAK}, true
			}
		case stApp:
			switch {
			case b == ETX:
				r.state = stLRC
			case b == STX:
				// A frame started inside a broken one: the payload is never escaped and
				// holds no control bytes, so resynchronise on the new STX.
				r.cur = r.cur[:0]
			case len(r.cur) >= maxPayload:
				r.state = stIdle
			default:
				r.cur = append(r.cur, b)
			}
		case stLRC:
			r.state = stIdle
			p := append([]byte(nil), r.cur...)
			return Frame{Kind: FrameApp, Payload: p, LRC: b, LRCOK: LRC(r.mode, p) == b}, true
		case stProgress:
			switch {
			case b == EOT:
				r.state = stIdle
				return Frame{Kind: FrameProgress, Payload: append([]byte(nil), r.cur...)}, true
			case b == STX || b == SOH || len(r.cur) >= maxProgress:
				// A lost EOT: drop the progress text and rescan this byte from idle.
				r.state = stIdle
				i--
			default:
				r.cur = append(r.cur, b)
			}
		}
	}
	return Frame{}, false
}
