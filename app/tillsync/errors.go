package tillsync

import (
	"errors"
	"fmt"
)

// Kind is what went wrong with a call to the portal, as the UI and the commands branch on it.
type Kind int

// The kinds of failure.
const (
	KindUnreachable Kind = iota + 1 // no answer: network down, portal stopped, connection dropped, proxy 502/503/504
	KindRevoked                     // 401: the device token is revoked or unknown
	KindServer                      // the portal failed (5xx) or answered something the till cannot use
	KindRejected                    // the portal refused the request (4xx other than 401)
)

func (k Kind) String() string {
	switch k {
	case KindUnreachable:
		return "unreachable"
	case KindRevoked:
		return "revoked"
	case KindServer:
		return "server error"
	case KindRejected:
		return "rejected"
	}
	return fmt.Sprintf("kind %d", int(k))
}

// Sentinels for errors.Is; every *Error unwraps to the one of its Kind.
var (
	ErrUnreachable = errors.New("portal unreachable")
	// ErrRevoked: the token is revoked or unknown. The till keeps its data and works offline;
	// it must be activated again with a new code.
	ErrRevoked      = errors.New("device token revoked or unknown: the till keeps its data and works offline; activate it again")
	ErrServer       = errors.New("portal error")
	ErrRejected     = errors.New("request refused by the portal")
	ErrNotActivated = errors.New("till not activated: run till activate with a code from the portal")
)

// Error is a failed call to the portal.
type Error struct {
	Kind    Kind
	Op      string // "activate", "pull configuration", "push sales", "status", "register devices"
	Status  int    // HTTP status, 0 without an answer
	Code    string // the portal's error code ("code_used", "invalid_sale", …), if any
	Message string // the portal's message, if any
	Err     error  // the transport or decoding error, if any
}

func (e *Error) Error() string {
	s := e.Op + ": " + e.sentinel().Error()
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.Code != "" {
			s += " " + e.Code
		}
		s += ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) sentinel() error {
	switch e.Kind {
	case KindUnreachable:
		return ErrUnreachable
	case KindRevoked:
		return ErrRevoked
	case KindRejected:
		return ErrRejected
	}
	return ErrServer
}

// Unwrap gives both the sentinel of the kind and the underlying error.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.sentinel()}
	}
	return []error{e.sentinel(), e.Err}
}

// KindOf is the kind of a sync error, 0 for an error that is not one (a local database error).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
