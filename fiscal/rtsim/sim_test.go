package rtsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const env = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>%s</s:Body></s:Envelope>`

func wrap(root string) string { return strings.Replace(env, "%s", root, 1) }

// receipt builds a printerFiscalReceipt from command lines.
func receipt(cmds ...string) string {
	return wrap("<printerFiscalReceipt>" + strings.Join(cmds, "") + "</printerFiscalReceipt>")
}

const (
	begin   = `<beginFiscalReceipt operator="1"/>`
	item    = `<printRecItem operator="1" description="CAFFE" quantity="2" unitPrice="1,20" department="2" justification="1"/>`
	sub     = `<printRecSubtotal operator="1" option="1"/>`
	cash240 = `<printRecTotal operator="1" description="CONTANTI" payment="2,40" paymentType="0" index="0" justification="1"/>`
	card240 = `<printRecTotal operator="1" description="CARTA" payment="2,40" paymentType="2" index="1" justification="1"/>`
	endCmd  = `<endFiscalReceipt operator="1"/>`
)

func post(t *testing.T, url, body string) string {
	t.Helper()
	resp, err := http.Post(url+"/cgi-bin/fpmate.cgi?devid=local_printer&timeout=1000", "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func start(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); srv.Close() })
	return s, srv.URL
}

func TestSimulatorRefusesWhatAnRTRefuses(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"valid receipt", receipt(begin, item, sub, cash240, endCmd), `success="true"`},
		{"item after total", receipt(begin, item, cash240, item, endCmd), `status="11"`},
		{"payments below total", receipt(begin, item, `<printRecTotal operator="1" description="C" payment="1,00" paymentType="0" index="0" justification="1"/>`, endCmd), `status="17"`},
		{"unknown department", receipt(begin, strings.Replace(item, `department="2"`, `department="9"`, 1), cash240, endCmd), `status="13"`},
		{"bad lottery code", receipt(begin, item, `<printRecLotteryID operator="1" code="ABC"/>`, card240, endCmd), `status="30"`},
		{"lottery with cash", receipt(begin, item, `<printRecLotteryID operator="1" code="ABCD1234"/>`, cash240, endCmd), `status="17"`},
		{"description too long", receipt(begin, strings.Replace(item, "CAFFE", strings.Repeat("X", 39), 1), cash240, endCmd), `status="13"`},
		{"message too long", receipt(begin, item, `<printRecMessage operator="1" messageType="3" index="1" font="1" message="`+strings.Repeat("M", 47)+`"/>`, cash240, endCmd), `status="13"`},
		{"no endCmd", receipt(begin, item, cash240), `status="11"`},
		{"unknown command", receipt(begin, `<printRecFoo/>`, endCmd), `code="Non valid XML command"`},
		{"garbage", "<printerFiscalReceipt><oops", `code="PARSER_ERROR"`},
		{"empty", "", `code="NO_DATA"`},
		{"void of missing document", receipt(`<printRecMessage operator="1" messageType="4" index="1" font="1" message="VOID 0001 0009 01012026 99MEY000001"/>`, begin, endCmd), `status="17"`},
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

func TestZReportResetsDayAndJournalsToFile(t *testing.T) {
	var file bytes.Buffer
	day := time.Date(2026, 11, 27, 10, 30, 0, 0, time.Local)
	s, url := start(t, Config{Journal: &file, Now: func() time.Time { return day }})
	post(t, url, receipt(begin, item, cash240, endCmd))
	post(t, url, receipt(begin, item, card240, endCmd))
	z := post(t, url, wrap(`<printerFiscalReport><printZReport operator="1" timeout="1000"/></printerFiscalReport>`))
	if !strings.Contains(z, "<zRepNumber>1</zRepNumber>") || !strings.Contains(z, "<dailyAmount>4,80</dailyAmount>") {
		t.Errorf("z answer %s", z)
	}
	if tot := s.Totals(); tot.Total != 0 || len(tot.ByPayment) != 0 {
		t.Errorf("totals after Z: %+v", tot)
	}
	r := post(t, url, receipt(begin, item, cash240, endCmd))
	if !strings.Contains(r, "<zRepNumber>2</zRepNumber>") || !strings.Contains(r, "<fiscalReceiptNumber>1</fiscalReceiptNumber>") ||
		!strings.Contains(r, "<fiscalReceiptDate>27/11/2026</fiscalReceiptDate>") {
		t.Errorf("receipt after Z: %s", r)
	}
	if n := strings.Count(file.String(), "\n"); n != 4 {
		t.Errorf("journal file has %d lines:\n%s", n, file.String())
	}
	resp, err := http.Get(url + "/journal")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var j []Entry
	if err := json.NewDecoder(resp.Body).Decode(&j); err != nil || len(j) != 4 || j[2].Kind != "zreport" || j[3].ID != "0002-0001" {
		t.Errorf("GET /journal: %v %+v", err, j)
	}
}

func TestControlEndpointSetsFaults(t *testing.T) {
	s, u := start(t, Config{})
	for _, tt := range []struct{ name, want string }{{"paper-out", "paper-out"}, {"once:printer-error:3", "once:printer-error:3"}, {"none", ""}} {
		resp, err := http.PostForm(u+"/control/fault", url.Values{"name": {tt.name}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || s.Fault() != tt.want {
			t.Errorf("%s: HTTP %d, fault %q", tt.name, resp.StatusCode, s.Fault())
		}
	}
	resp, _ := http.Post(u+"/control/fault", "application/json", strings.NewReader(`{"name":"bogus"}`))
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("bogus fault: HTTP %d", resp.StatusCode)
	}
	_ = s.SetFault("once:paper-out")
	if got := post(t, u, receipt(begin, item, cash240, endCmd)); !strings.Contains(got, "EPTR_REC_EMPTY") {
		t.Errorf("first: %s", got)
	}
	if got := post(t, u, receipt(begin, item, cash240, endCmd)); !strings.Contains(got, `success="true"`) {
		t.Errorf("once fault did not clear: %s", got)
	}
}

func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(receipt(begin, item, sub, cash240, endCmd)))
	f.Add([]byte(wrap(`<printerCommand><queryPrinterStatus operator="1" statusType="1"/></printerCommand>`)))
	f.Add([]byte(wrap(`<printerCommand><queryPrinterStatus operator="1" statusType="0"/></printerCommand>`)))
	f.Add([]byte(receipt(`<printRecMessage operator="1" messageType="4" message="VOID 0001 0001 01012026 99MEY000001"/>`, begin, endCmd)))
	f.Add([]byte(invoice(custName, beginInv, item, cash240, endInv)))
	f.Add([]byte(wrap(duplicate)))
	f.Add([]byte(wrap(`<printerCommand><directIO command="9205" data="REFUND 0001 0001 01012026 99MEY000001"/></printerCommand>`)))
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := ParseRequest(b)
		if err != nil {
			return
		}
		if len(req.Commands) > maxCommands {
			t.Fatalf("%d commands", len(req.Commands))
		}
		// Whatever parses must be executed without panicking and answered with well-formed XML,
		// with and without the status-counters assumption.
		for _, counters := range []bool{false, true} {
			s, _ := New(Config{AssumeStatusCounters: counters})
			s.mu.Lock()
			r := s.execute(req, false)
			s.mu.Unlock()
			if !bytes.HasPrefix(r.marshal(), []byte("<?xml")) {
				t.Fatal("bad answer")
			}
		}
	})
}

func TestAmountsMustUseCommaDecimals(t *testing.T) {
	_, url := start(t, Config{})
	dot := strings.Replace(item, `unitPrice="1,20"`, `unitPrice="1.20"`, 1)
	if got := post(t, url, receipt(begin, dot, cash240, endCmd)); !strings.Contains(got, `status="13"`) {
		t.Errorf("dot decimal accepted: %s", got)
	}
}

// TestVATIsBookedPerRateAfterAdjustments: a discount goes to its item's rate, the tax is
// rounded once per rate and document, and the day's gross per rate follows sales and refunds.
func TestVATIsBookedPerRateAfterAdjustments(t *testing.T) {
	s, url := start(t, Config{})
	item := func(desc, qty, price, dept string) string {
		return `<printRecItem operator="1" description="` + desc + `" quantity="` + qty + `" unitPrice="` + price + `" department="` + dept + `" justification="1"/>`
	}
	adj := func(amount, dept string) string {
		return `<printRecItemAdjustment operator="1" adjustmentType="0" description="SCONTO" amount="` + amount + `" department="` + dept + `" justification="1"/>`
	}
	cash := `<printRecTotal operator="1" description="CONTANTI" payment="20,00" paymentType="0" index="0" justification="1"/>`
	// 22 %: 3 × 0,10 + 0,10 − 0,03 (taken off B) = 0,37, tax 0,0667 → 0,07 once for the rate;
	// 10 %: 7,00 − 0,70 = 6,30, tax 0,57; N2.2: 2,00 untaxed.
	got := post(t, url, receipt(begin, item("A", "3", "0,10", "1"), item("B", "1", "0,10", "1"), adj("0,03", "1"),
		item("PIZZA", "1", "7,00", "2"), adj("0,70", "2"), item("BOLLO", "1", "2,00", "4"), cash, endCmd))
	if !strings.Contains(got, "<fiscalReceiptAmount>8,67</fiscalReceiptAmount>") {
		t.Fatalf("answer %s", got)
	}
	e := s.Journal()[0]
	want := []VATTotal{{Rate: 2200, Gross: 37, Tax: 7}, {Rate: 1000, Gross: 630, Tax: 57}, {Rate: 0, Nature: "N2.2", Gross: 200}}
	if len(e.VAT) != len(want) {
		t.Fatalf("VAT %+v", e.VAT)
	}
	for i := range want {
		if e.VAT[i] != want[i] {
			t.Errorf("VAT %d = %+v, want %+v", i, e.VAT[i], want[i])
		}
	}
	if tot := s.Totals().ByVAT; tot["22.00"] != 37 || tot["10.00"] != 630 || tot["N2.2"] != 200 {
		t.Errorf("day per rate %v", tot)
	}
	ref := "REFUND 0001 0001 " + e.IssuedAt.Format("02012006") + " 99MEY000001"
	got = post(t, url, receipt(`<printRecMessage operator="1" messageType="4" index="1" font="1" message="`+ref+`"/>`, begin,
		`<printRecRefund operator="1" description="PIZZA" quantity="1" unitPrice="6,30" department="2" justification="1"/>`,
		`<printRecTotal operator="1" description="CONTANTI" payment="6,30" paymentType="0" index="0" justification="1"/>`, endCmd))
	if !strings.Contains(got, `success="true"`) {
		t.Fatalf("refund: %s", got)
	}
	if tot := s.Totals().ByVAT; tot["22.00"] != 37 || tot["10.00"] != 0 || tot["N2.2"] != 200 {
		t.Errorf("day per rate after the refund %v", tot)
	}
}
