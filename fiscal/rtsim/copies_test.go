package rtsim

import (
	"strconv"
	"strings"
	"testing"
)

// counters reads the last document and the document counter under the lock.
func counters(s *Server) (Entry, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.last, s.st.number
}

// invoice builds a printerFiscalDocument from command lines.
func invoice(cmds ...string) string {
	return wrap("<printerFiscalDocument>" + strings.Join(cmds, "") + "</printerFiscalDocument>")
}

const (
	custName  = `<printRecMessage operator="1" messageType="6" index="1" font="1" message="ROSSI SRL"/>`
	custVAT   = `<printRecMessage operator="1" messageType="6" index="2" font="1" message="P.IVA 01234567897"/>`
	beginInv  = `<beginFiscalDocument operator="1" documentType="directInvoice"/>`
	endInv    = `<endFiscalDocument operator="1"/>`
	duplicate = `<printerCommand><printDuplicateReceipt/></printerCommand>`
)

func TestSimulatorChecksInvoicesLikeReceipts(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"valid invoice", invoice(custName, custVAT, beginInv, item, sub, cash240, endInv), `success="true"`},
		{"no customer", invoice(beginInv, item, cash240, endInv), `status="11"`},
		{"customer after begin", invoice(beginInv, custName, item, cash240, endInv), `status="11"`},
		{"customer line too long", invoice(strings.Replace(custName, "ROSSI SRL", strings.Repeat("R", 47), 1), beginInv, item, cash240, endInv), `status="13"`},
		{"other document type", invoice(custName, strings.Replace(beginInv, "directInvoice", "creditNote", 1), item, cash240, endInv), `status="13"`},
		{"item after total", invoice(custName, beginInv, item, cash240, item, endInv), `status="11"`},
		{"payments below total", invoice(custName, beginInv, item, `<printRecTotal operator="1" description="C" payment="1,00" paymentType="0" index="0" justification="1"/>`, endInv), `status="17"`},
		{"unknown department", invoice(custName, beginInv, strings.Replace(item, `department="2"`, `department="9"`, 1), cash240, endInv), `status="13"`},
		{"description too long", invoice(custName, beginInv, strings.Replace(item, "CAFFE", strings.Repeat("X", 39), 1), cash240, endInv), `status="13"`},
		{"lottery code", invoice(custName, beginInv, item, `<printRecLotteryID operator="1" code="ABCD1234"/>`, card240, endInv), `status="11"`},
		{"receipt begin and end", invoice(custName, begin, item, cash240, endCmd), `status="11"`},
		{"no end", invoice(custName, beginInv, item, cash240), `status="11"`},
		{"unknown command", invoice(custName, beginInv, `<printRecFoo/>`, endInv), `code="Non valid XML command"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := start(t, Config{})
			got := post(t, url, tt.body)
			if !strings.Contains(got, tt.want) {
				t.Errorf("answer %s, want %s", got, tt.want)
			}
			if ok := strings.Contains(got, `success="true"`); ok != (len(s.Journal()) == 1) {
				t.Errorf("journal %d entries after %s", len(s.Journal()), got)
			}
		})
	}
}

func TestInvoiceSharesTheDocumentCounterAndDayTotals(t *testing.T) {
	s, url := start(t, Config{})
	post(t, url, receipt(begin, item, cash240, endCmd))
	got := post(t, url, invoice(custName, custVAT, beginInv, item, card240, endInv))
	for _, want := range []string{"<fiscalReceiptNumber>2</fiscalReceiptNumber>", "<fiscalReceiptAmount>2,40</fiscalReceiptAmount>", "<zRepNumber>1</zRepNumber>"} {
		if !strings.Contains(got, want) {
			t.Errorf("invoice answer lacks %s: %s", want, got)
		}
	}
	post(t, url, receipt(begin, item, cash240, endCmd))
	j := s.Journal()
	if len(j) != 3 {
		t.Fatalf("journal has %d entries", len(j))
	}
	inv := j[1]
	if inv.Kind != KindInvoice || inv.ID != "0001-0002" || inv.Amount != 240 || j[2].ID != "0001-0003" ||
		len(inv.Messages) != 2 || inv.Messages[0] != "ROSSI SRL" || inv.Messages[1] != "P.IVA 01234567897" ||
		len(inv.Items) != 1 || len(inv.Payments) != 1 || inv.Payments[0].Type != 2 {
		t.Errorf("journal = %+v", j)
	}
	if tot := s.Totals(); tot.Total != 720 || tot.ByPayment["0/0"] != 480 || tot.ByPayment["2/1"] != 240 || tot.ByDepartment[2] != 720 {
		t.Errorf("totals = %+v", tot)
	}
	// An invoice is corrected by a credit note, not voided on the RT.
	void := receipt(`<printRecMessage operator="1" messageType="4" index="1" font="1" message="VOID 0001 0002 `+
		inv.IssuedAt.Format("02012006")+` 99MEY000001"/>`, begin, endCmd)
	if got := post(t, url, void); !strings.Contains(got, `status="17"`) {
		t.Errorf("void of an invoice: %s", got)
	}
}

func TestDuplicateJournalsACopyAndCountsNothing(t *testing.T) {
	tests := []struct {
		name      string
		before    []string // requests before the duplicate
		fault     string
		want      string
		copies    int
		original  string
		wantTotal int64
	}{
		{"nothing printed today", nil, "", `status="17"`, 0, "", 0},
		{"after a receipt", []string{receipt(begin, item, cash240, endCmd)}, "", `success="true"`, 1, "0001-0001", 240},
		{"after an invoice", []string{receipt(begin, item, cash240, endCmd), invoice(custName, beginInv, item, card240, endInv)}, "", `success="true"`, 1, "0001-0002", 480},
		{"after the Z report", []string{receipt(begin, item, cash240, endCmd), wrap(`<printerFiscalReport><printZReport operator="1" timeout="1000"/></printerFiscalReport>`)}, "", `status="17"`, 0, "", 0},
		{"paper out", []string{receipt(begin, item, cash240, endCmd)}, "paper-out", "EPTR_REC_EMPTY", 0, "", 240},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, url := start(t, Config{})
			for _, b := range tt.before {
				if got := post(t, url, b); !strings.Contains(got, `success="true"`) {
					t.Fatalf("setup: %s", got)
				}
			}
			_ = s.SetFault(tt.fault)
			beforeJournal := len(s.Journal())
			beforeLast, beforeNumber := counters(s)
			got := post(t, url, wrap(duplicate))
			if !strings.Contains(got, tt.want) {
				t.Fatalf("answer %s, want %s", got, tt.want)
			}
			j := s.Journal()
			if len(j) != beforeJournal+tt.copies {
				t.Fatalf("journal grew by %d, want %d", len(j)-beforeJournal, tt.copies)
			}
			if tt.copies == 1 {
				c := j[len(j)-1]
				if c.Kind != KindCopy || c.Original != tt.original || c.Number != 0 || c.ID != "" || c.Amount != 240 {
					t.Errorf("copy entry = %+v", c)
				}
			}
			if tot := s.Totals(); int64(tot.Total) != tt.wantTotal {
				t.Errorf("day total %d, want %d", tot.Total, tt.wantTotal)
			}
			if last, number := counters(s); last.ID != beforeLast.ID || number != beforeNumber {
				t.Errorf("counter moved: last %q number %d, was %q %d", last.ID, number, beforeLast.ID, beforeNumber)
			}
			// The next document takes the number after the original, not after the copy.
			_ = s.SetFault("")
			next := post(t, url, receipt(begin, item, cash240, endCmd))
			if want := "<fiscalReceiptNumber>" + strconv.Itoa(beforeNumber+1) + "</fiscalReceiptNumber>"; !strings.Contains(next, want) {
				t.Errorf("next receipt %s, want %s", next, want)
			}
		})
	}
}

func TestStatusQueryIgnoresPaperOutButDuplicateDoesNot(t *testing.T) {
	s, url := start(t, Config{})
	post(t, url, receipt(begin, item, cash240, endCmd))
	_ = s.SetFault("once:paper-out")
	if got := post(t, url, wrap(`<printerCommand><queryPrinterStatus operator="1" statusType="1"/></printerCommand>`)); !strings.Contains(got, `success="true"`) {
		t.Errorf("status with a once fault pending: %s", got)
	}
	if got := post(t, url, wrap(duplicate)); !strings.Contains(got, "EPTR_REC_EMPTY") {
		t.Errorf("duplicate with paper out: %s", got)
	}
	if got := post(t, url, wrap(duplicate)); !strings.Contains(got, `success="true"`) {
		t.Errorf("once fault did not clear on the duplicate: %s", got)
	}
}
