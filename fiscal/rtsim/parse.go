package rtsim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Command is one element under the request root, with its attributes in document order.
type Command struct {
	Name  string
	Attrs []xml.Attr
}

// Attr returns the value of the named attribute and whether it was present.
func (c Command) Attr(name string) (string, bool) {
	for _, a := range c.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// Request is a parsed fpmate request: the root element under the SOAP body and its commands.
type Request struct {
	Root     string
	Commands []Command
}

// Errors of ParseRequest, answered as the printer answers them.
var (
	ErrNoData = errors.New("no data")           // NO_DATA
	ErrParser = errors.New("malformed request") // PARSER_ERROR
)

// Limits a real printer also has in some form; they keep a hostile peer from using memory.
const (
	maxBody     = 1 << 20
	maxCommands = 2000
	maxAttrs    = 16
)

// ParseRequest reads the first element under the SOAP Body (or the document root when there is
// no envelope) and its direct children. Element names are compared by local name: prefixes vary.
func ParseRequest(body []byte) (Request, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return Request{}, ErrNoData
	}
	if len(body) > maxBody {
		return Request{}, fmt.Errorf("%w: body over %d bytes", ErrParser, maxBody)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	var req Request
	depth := 0     // element depth in the document
	rootDepth := 0 // depth of the request root, 0 until found
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Request{}, fmt.Errorf("%w: %v", ErrParser, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case rootDepth == 0 && t.Name.Local != "Envelope" && t.Name.Local != "Body":
				if req.Root != "" {
					return Request{}, fmt.Errorf("%w: more than one root", ErrParser)
				}
				rootDepth = depth
				req.Root = t.Name.Local
			case rootDepth != 0 && depth == rootDepth+1:
				if len(req.Commands) >= maxCommands || len(t.Attr) > maxAttrs {
					return Request{}, fmt.Errorf("%w: too many commands or attributes", ErrParser)
				}
				req.Commands = append(req.Commands, Command{Name: t.Name.Local, Attrs: t.Attr})
			}
		case xml.EndElement:
			if depth == rootDepth {
				rootDepth = -1 // done; anything after is ignored until the envelope closes
			}
			depth--
		}
	}
	if req.Root == "" {
		return Request{}, ErrNoData
	}
	return req, nil
}
