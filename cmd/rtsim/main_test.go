package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRunServesAndJournalsUntilCancelled(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "journal.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-serial", "99MEY000009", "-journal", journal}, pw)
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	if url == "" {
		t.Fatalf("no URL in %q", line)
	}
	body := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><printerFiscalReceipt>` +
		`<beginFiscalReceipt operator="1"/><printRecItem operator="1" description="CAFFE" quantity="1" unitPrice="1,20" department="2" justification="1"/>` +
		`<printRecTotal operator="1" description="CONTANTI" payment="1,20" paymentType="0" index="0" justification="1"/><endFiscalReceipt operator="1"/>` +
		`</printerFiscalReceipt></s:Body></s:Envelope>`
	resp, err := http.Post(url+"/cgi-bin/fpmate.cgi?devid=local_printer&timeout=1000", "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(answer), `success="true"`) {
		t.Errorf("answer %s", answer)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop")
	}
	if b, _ := os.ReadFile(journal); !strings.Contains(string(b), `"id":"0001-0001"`) {
		t.Errorf("journal file: %s", b)
	}
}

// startRun runs the command with args on a free port and returns its URL; it stops at cleanup.
func startRun(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-listen", "127.0.0.1:0"}, args...), pw) }()
	t.Cleanup(func() { cancel(); pr.Close(); <-done })
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	if url == "" {
		t.Fatalf("no URL in %q", line)
	}
	return url
}

func TestAssumeStatusCountersFlag(t *testing.T) {
	status := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><printerCommand>` +
		`<queryPrinterStatus operator="1" statusType="1"/></printerCommand></s:Body></s:Envelope>`
	for _, tt := range []struct {
		args    []string
		counter bool
	}{{nil, false}, {[]string{"-assume-status-counters"}, true}} {
		url := startRun(t, tt.args...)
		resp, err := http.Post(url+"/cgi-bin/fpmate.cgi?devid=local_printer&timeout=1000", "text/xml", strings.NewReader(status))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, field := range []string{"<fiscalReceiptNumber>", "<zRepNumber>", "<serialNumber>"} {
			if strings.Contains(string(answer), field) != tt.counter {
				t.Errorf("%v: %s in the status answer is %v: %s", tt.args, field, !tt.counter, answer)
			}
		}
		if !strings.Contains(string(answer), "<rtFileToSend>") {
			t.Errorf("%v: no rt fields: %s", tt.args, answer)
		}
	}
}

func TestAssumeStatusSerialFlag(t *testing.T) {
	status := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><printerCommand>` +
		`<queryPrinterStatus operator="1" statusType="1"/></printerCommand></s:Body></s:Envelope>`
	for _, tt := range []struct {
		args   []string
		serial bool
	}{{nil, false}, {[]string{"-assume-status-serial"}, true}} {
		url := startRun(t, tt.args...)
		resp, err := http.Post(url+"/cgi-bin/fpmate.cgi?devid=local_printer&timeout=1000", "text/xml", strings.NewReader(status))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := strings.Contains(string(answer), "<serialNumber>"); got != tt.serial || strings.Contains(string(answer), "<zRepNumber>") {
			t.Errorf("%v: serial %v, want %v: %s", tt.args, got, tt.serial, answer)
		}
	}
}

func TestRunTakesTheNewFaults(t *testing.T) {
	for _, fault := range []string{"hang-after-issue", "once:no-answer-receipt"} {
		url := startRun(t, "-fault", fault)
		resp, err := http.Get(url + "/control/fault")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `"fault":"`+fault+`"`) {
			t.Errorf("fault %s: %s", fault, b)
		}
	}
}

func TestRunRejectsUnknownFault(t *testing.T) {
	if err := run(context.Background(), []string{"-fault", "smoke"}, io.Discard); err == nil {
		t.Error("unknown fault accepted")
	}
}

func TestAssumeContentByNumbersFlag(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		assume bool
	}{{nil, false}, {[]string{"-assume-content-by-numbers"}, true}} {
		url := startRun(t, tt.args...)
		resp, err := http.Get(url + "/state")
		if err != nil {
			t.Fatal(err)
		}
		state, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprintf(`"assumeContentByNumbers":%v`, tt.assume); !strings.Contains(string(state), want) {
			t.Errorf("%v: state %s lacks %s", tt.args, state, want)
		}
	}
}
