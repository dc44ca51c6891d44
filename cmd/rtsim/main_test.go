package main

import (
	"bufio"
	"context"
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

func TestRunRejectsUnknownFault(t *testing.T) {
	if err := run(context.Background(), []string{"-fault", "smoke"}, io.Discard); err == nil {
		t.Error("unknown fault accepted")
	}
}
