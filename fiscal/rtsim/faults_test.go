package rtsim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	statusType1 = `<printerCommand><queryPrinterStatus operator="1" statusType="1"/></printerCommand>`
	statusType0 = `<printerCommand><queryPrinterStatus operator="1" statusType="0"/></printerCommand>`
	openDrawer  = `<printerCommand><openDrawer operator="1"/></printerCommand>`
	zReport     = `<printerFiscalReport><printZReport operator="1" timeout="1000"/></printerFiscalReport>`
)

// elementList returns the addInfo field names an answer lists.
func elementList(answer string) string {
	return regexp.MustCompile(`<elementList>([^<]*)</elementList>`).FindStringSubmatch(answer + "<elementList></elementList>")[1]
}

func TestStatusAnswersOnlyDocumentedFields(t *testing.T) {
	const (
		documented = "printerStatus,rtType,rtMainStatus,rtSubStatus,rtDailyOpen,rtFileToSend,rtFileRejected,rtTrainingMode"
		assumed    = "lastCommand,printerStatus,fiscalReceiptNumber,fiscalReceiptAmount,fiscalReceiptDate,fiscalReceiptTime,zRepNumber,serialNumber," +
			"rtType,rtMainStatus,rtSubStatus,rtDailyOpen,rtFileToSend,rtFileRejected,rtTrainingMode"
	)
	tests := []struct {
		name     string
		cfg      Config
		request  string
		fields   string
		contains []string
	}{
		{"documented, statusType 1", Config{}, statusType1, documented, []string{"<rtDailyOpen>1</rtDailyOpen>"}},
		{"documented, statusType 0", Config{}, statusType0, "printerStatus", nil},
		{"assumed counters", Config{AssumeStatusCounters: true}, statusType1, assumed,
			[]string{"<fiscalReceiptNumber>1</fiscalReceiptNumber>", "<fiscalReceiptAmount>2,40</fiscalReceiptAmount>",
				"<zRepNumber>1</zRepNumber>", "<serialNumber>99MEY000001</serialNumber>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, u := start(t, tt.cfg)
			post(t, u, receipt(begin, item, cash240, endCmd))
			got := post(t, u, wrap(tt.request))
			if f := elementList(got); f != tt.fields {
				t.Errorf("fields %s, want %s", f, tt.fields)
			}
			for _, want := range tt.contains {
				if !strings.Contains(got, want) {
					t.Errorf("answer lacks %s: %s", want, got)
				}
			}
		})
	}
}

// TestDocumentAnswersKeepTheirDocumentedFields: every document answers the contract's receipt
// addInfo (the courtesy invoice too: the contract lists no other answer for it).
func TestDocumentAnswersKeepTheirDocumentedFields(t *testing.T) {
	const fields = "lastCommand,printerStatus,fiscalReceiptNumber,fiscalReceiptAmount,fiscalReceiptDate,fiscalReceiptTime,zRepNumber"
	s, u := start(t, Config{})
	sale := post(t, u, receipt(begin, item, cash240, endCmd))
	issued := s.Journal()[0].IssuedAt.Format("02012006")
	for name, body := range map[string]string{
		"receipt": sale,
		"invoice": post(t, u, invoice(custName, beginInv, item, card240, endInv)),
		"refund": post(t, u, receipt(`<printRecMessage operator="1" messageType="4" index="1" font="1" message="REFUND 0001 0001 `+issued+` 99MEY000001"/>`,
			begin, `<printRecRefund operator="1" description="CAFFE" quantity="1" unitPrice="1,20" department="2" justification="1"/>`,
			`<printRecTotal operator="1" description="CONTANTI" payment="1,20" paymentType="0" index="0" justification="1"/>`, endCmd)),
	} {
		if f := elementList(body); f != fields {
			t.Errorf("%s answers %s, want %s", name, f, fields)
		}
	}
}

// request is one fpmate POST running in the background; done is closed when it returns.
type request struct {
	cancel context.CancelFunc
	done   chan struct{}
	answer string
	err    error
}

func send(t *testing.T, u, body string) *request {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &request{cancel: cancel, done: make(chan struct{})}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u+"/cgi-bin/fpmate.cgi?devid=local_printer&timeout=1000", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(r.done)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			r.err = err
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		r.answer, r.err = string(b), err
	}()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

// wait blocks until cond holds, failing after a generous bound (a condition, not a sleep).
func wait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func (r *request) returned() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

func TestHangAfterIssueIssuesThenHoldsTheAnswer(t *testing.T) {
	s, u := start(t, Config{Fault: "once:hang-after-issue", HangMax: time.Hour})
	held := send(t, u, receipt(begin, item, cash240, endCmd))
	wait(t, "the held receipt", func() bool { return s.Held() == 1 })
	if j := s.Journal(); len(j) != 1 || j[0].ID != "0001-0001" {
		t.Fatalf("journal while held: %+v", j)
	}
	if got := post(t, u, wrap(statusType1)); !strings.Contains(got, `success="true"`) {
		t.Errorf("status while a receipt is held: %s", got)
	}
	if got := post(t, u, receipt(begin, item, cash240, endCmd)); !strings.Contains(got, "<fiscalReceiptNumber>2</fiscalReceiptNumber>") {
		t.Errorf("the once fault did not clear: %s", got)
	}
	if held.returned() {
		t.Fatalf("held request answered: %q %v", held.answer, held.err)
	}
	held.cancel() // the client gives up
	<-held.done
	wait(t, "the hold to end", func() bool { return s.Held() == 0 })
	if held.answer != "" {
		t.Errorf("answered %q", held.answer)
	}
}

func TestNoAnswerReceiptHoldsDocumentsOnly(t *testing.T) {
	s, u := start(t, Config{Fault: "no-answer-receipt", HangMax: time.Hour})
	docs := []string{
		receipt(begin, item, cash240, endCmd),
		invoice(custName, beginInv, item, cash240, endInv),
		receipt(`<printRecMessage operator="1" messageType="4" index="1" font="1" message="VOID 0001 0001 01012026 99MEY000001"/>`, begin, endCmd),
	}
	var held []*request
	for i, d := range docs {
		held = append(held, send(t, u, d))
		wait(t, "the held document", func() bool { return s.Held() == i+1 })
	}
	for name, body := range map[string]string{"status": statusType1, "open drawer": openDrawer, "duplicate": duplicate, "Z report": zReport} {
		if got := post(t, u, wrap(body)); !strings.Contains(got, "<response") {
			t.Errorf("%s not answered while documents are held: %q", name, got)
		}
	}
	if j := s.Journal(); len(j) != 1 || j[0].Kind != "zreport" {
		t.Errorf("journal: %+v, want only the Z report", j)
	}
	for _, r := range held {
		if r.returned() {
			t.Fatalf("held document answered: %q %v", r.answer, r.err)
		}
		r.cancel()
		<-r.done
	}
	wait(t, "the holds to end", func() bool { return s.Held() == 0 })
	_ = s.SetFault("once:no-answer-receipt")
	once := send(t, u, receipt(begin, item, cash240, endCmd))
	wait(t, "the once-held receipt", func() bool { return s.Held() == 1 })
	if got := post(t, u, receipt(begin, item, cash240, endCmd)); !strings.Contains(got, `success="true"`) {
		t.Errorf("the once fault did not clear: %s", got)
	}
	once.cancel()
}

// TestHeldRequestsEndWithoutAnAnswer: after HangMax, or at Close, a held request ends with the
// connection closed and no HTTP answer at all.
func TestHeldRequestsEndWithoutAnAnswer(t *testing.T) {
	for _, fault := range []string{"no-answer", "no-answer-receipt", "hang-after-issue"} {
		t.Run(fault+"/HangMax", func(t *testing.T) {
			_, u := start(t, Config{Fault: fault, HangMax: 10 * time.Millisecond})
			r := send(t, u, receipt(begin, item, cash240, endCmd))
			<-r.done
			if r.err == nil || r.answer != "" {
				t.Errorf("answer %q, err %v; want no answer", r.answer, r.err)
			}
		})
		t.Run(fault+"/Close", func(t *testing.T) {
			s, u := start(t, Config{Fault: fault, HangMax: time.Hour})
			r := send(t, u, receipt(begin, item, cash240, endCmd))
			wait(t, "the hold", func() bool { return s.Held() == 1 })
			s.Close()
			<-r.done
			if r.err == nil || errors.Is(r.err, context.Canceled) {
				t.Errorf("answer %q, err %v; want the connection closed", r.answer, r.err)
			}
		})
	}
}

func TestEveryFaultParsesAndIsSetByTheControlEndpoint(t *testing.T) {
	s, u := start(t, Config{})
	for _, name := range strings.Split(FaultNames, ", ") {
		name = strings.Replace(name, ":N", ":13", 1)
		for _, f := range []string{name, "once:" + name} {
			resp, err := http.PostForm(u+"/control/fault", url.Values{"name": {f}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || s.Fault() != f {
				t.Errorf("%s: HTTP %d, fault %q", f, resp.StatusCode, s.Fault())
			}
			if _, err := New(Config{Fault: f}); err != nil {
				t.Errorf("Config.Fault %s: %v", f, err)
			}
		}
	}
	for _, bad := range []string{"hang", "no-answer-receipts", "once:once:paper-out", "printer-error:0", "printer-error:x"} {
		if err := s.SetFault(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
