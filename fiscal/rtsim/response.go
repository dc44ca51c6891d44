package rtsim

import (
	"bytes"
	"encoding/xml"
	"strconv"
)

// response is what the printer answers; info keeps addInfo fields in order.
type response struct {
	success bool
	code    string
	status  int
	info    [][2]string
}

func failure(code string, status int) response { return response{code: code, status: status} }

func (r *response) add(name, value string) { r.info = append(r.info, [2]string{name, value}) }

// marshal writes the envelope with the soapenv prefix real printers use.
func (r response) marshal() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><response success="`)
	b.WriteString(strconv.FormatBool(r.success))
	b.WriteString(`" code="`)
	_ = xml.EscapeText(&b, []byte(r.code))
	b.WriteString(`" status="`)
	b.WriteString(strconv.Itoa(r.status))
	b.WriteString(`">`)
	if len(r.info) > 0 {
		b.WriteString("<addInfo><elementList>")
		for i, kv := range r.info {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(kv[0])
		}
		b.WriteString("</elementList>")
		for _, kv := range r.info {
			b.WriteString("<" + kv[0] + ">")
			_ = xml.EscapeText(&b, []byte(kv[1]))
			b.WriteString("</" + kv[0] + ">")
		}
		b.WriteString("</addInfo>")
	}
	b.WriteString("</response></soapenv:Body></soapenv:Envelope>")
	return b.Bytes()
}
