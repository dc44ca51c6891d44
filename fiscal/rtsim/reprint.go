package rtsim

import (
	"strconv"
	"time"
)

// contentByNumbers answers printContentByNumbers, an ASSUMPTION beyond the printer contract
// (Config.AssumeContentByNumbers, docs/spec/epson-fpmate.md "Assumptions"): it prints from the
// electronic journal the documents fromNumber..toNumber of the given day. The simulator keeps
// only the open day's documents, so a day other than the open day's (by Config.Now) or a number
// it has not issued in the open Z is refused (status 17). Each reprinted document is journaled
// as a copy, like printDuplicateReceipt's, with Original its ID; nothing is numbered or booked.
func (s *Server) contentByNumbers(c Command) response {
	num := func(n string) int {
		v, _ := c.Attr(n)
		i, err := strconv.Atoi(v)
		if err != nil {
			return -1
		}
		return i
	}
	day, month, year := num("day"), num("month"), num("year")
	from, to := num("fromNumber"), num("toNumber")
	if day < 1 || month < 1 || year < 1 || from < 1 || to < from {
		return failure("PRINTER ERROR", stBadValue)
	}
	now := s.cfg.Now()
	if y, m, d := now.Date(); y != year || m != time.Month(month) || d != day {
		return failure("PRINTER ERROR", stNotPossib)
	}
	var copies []Entry
	for n := from; n <= to; n++ {
		doc, ok := s.st.docs[docID(s.st.z, n)]
		if !ok {
			return failure("PRINTER ERROR", stNotPossib)
		}
		o := doc.entry
		copies = append(copies, Entry{Kind: KindCopy, Z: o.Z, IssuedAt: now, Amount: o.Amount,
			Items: o.Items, Payments: o.Payments, Messages: o.Messages, Original: o.ID})
	}
	for _, e := range copies {
		s.st.journal = append(s.st.journal, e)
		s.writeJournal(e)
	}
	return response{success: true, status: 2}
}
