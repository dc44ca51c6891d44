package rtsim

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// byNumbers is the assumed printContentByNumbers request for documents from..to of a day.
func byNumbers(day time.Time, from, to int) string {
	return wrap(fmt.Sprintf(`<printerCommand><printContentByNumbers operator="1" dataType="1" day="%02d" month="%02d" year="%04d" fromNumber="%d" toNumber="%d"/></printerCommand>`,
		day.Day(), int(day.Month()), day.Year(), from, to))
}

func TestContentByNumbersReprintsADocumentOfTheDayOnlyWhenAssumed(t *testing.T) {
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	now := func() time.Time { return day }
	tests := []struct {
		name     string
		assume   bool
		body     string
		want     string
		original string // the copied document, "" when nothing is copied
	}{
		{"not assumed", false, byNumbers(day, 1, 1), `code="Non valid XML command"`, ""},
		{"first of two", true, byNumbers(day, 1, 1), `success="true"`, "0001-0001"},
		{"second of two", true, byNumbers(day, 2, 2), `success="true"`, "0001-0002"},
		{"number not issued", true, byNumbers(day, 3, 3), `status="17"`, ""},
		{"another day", true, byNumbers(day.AddDate(0, 0, -1), 1, 1), `status="17"`, ""},
		{"range backwards", true, byNumbers(day, 2, 1), `status="13"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := start(t, Config{Now: now, AssumeContentByNumbers: tt.assume})
			post(t, url, receipt(begin, item, cash240, endCmd))
			post(t, url, receipt(begin, item, card240, endCmd))
			lastBefore, numberBefore := counters(s)
			got := post(t, url, tt.body)
			if !strings.Contains(got, tt.want) {
				t.Fatalf("answer %s, want %s", got, tt.want)
			}
			j := s.Journal()
			if tt.original == "" {
				if len(j) != 2 {
					t.Errorf("journal has %d entries, want the 2 receipts only", len(j))
				}
				return
			}
			if len(j) != 3 || j[2].Kind != KindCopy || j[2].Original != tt.original || j[2].Number != 0 {
				t.Fatalf("journal %+v, want a copy of %s last", j, tt.original)
			}
			if last, number := counters(s); number != numberBefore || last.ID != lastBefore.ID {
				t.Errorf("a copy moved the counters: %d/%s, was %d/%s", number, last.ID, numberBefore, lastBefore.ID)
			}
			if s.Totals().Total != 480 {
				t.Errorf("day total %d after a copy, want 480", s.Totals().Total)
			}
		})
	}
}

func TestContentByNumbersWithPaperOutPrintsNothing(t *testing.T) {
	day := time.Date(2026, 11, 27, 10, 0, 0, 0, time.Local)
	s, url := start(t, Config{Now: func() time.Time { return day }, AssumeContentByNumbers: true})
	post(t, url, receipt(begin, item, cash240, endCmd))
	_ = s.SetFault("once:paper-out")
	if got := post(t, url, byNumbers(day, 1, 1)); !strings.Contains(got, "EPTR_REC_EMPTY") {
		t.Errorf("reprint with paper out: %s", got)
	}
	if len(s.Journal()) != 1 {
		t.Errorf("journal %+v, want the receipt only", s.Journal())
	}
}
