package fiscalcli

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"till/fiscal/rtsim"
)

func startSim(t *testing.T, fault string) (*rtsim.Server, string) {
	t.Helper()
	sim, err := rtsim.New(rtsim.Config{Serial: "99MEY000007", Fault: fault, HangMax: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { sim.Close(); srv.Close() })
	return sim, srv.URL
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVerbsExitCodesAndJSON(t *testing.T) {
	t.Setenv("LANG", "it_IT.UTF-8")
	sim, url := startSim(t, "")
	code, out, _ := run(t, "test-receipt", "--printer", url, "--json", "--amount", "1,50")
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("test-receipt: %d %s %v", code, out, err)
	}
	if r["ok"] != true || r["document"] != "0001-0001" || r["amountCents"] != float64(150) {
		t.Errorf("test-receipt JSON %v", r)
	}
	if n := len(sim.Journal()); n != 1 {
		t.Errorf("journal has %d documents", n)
	}

	code, out, _ = run(t, "status", "--printer", url, "--json")
	r = nil
	_ = json.Unmarshal([]byte(out), &r)
	st, _ := r["status"].(map[string]any)
	if code != 0 || st["ready"] != true || st["serial"] != "99MEY000007" || st["dailyOpen"] != true || r["document"] != "0001-0001" {
		t.Errorf("status: %d %s", code, out)
	}

	code, out, _ = run(t, "z-report", "--printer", url, "--json")
	r = nil
	_ = json.Unmarshal([]byte(out), &r)
	if code != 0 || r["zNumber"] != float64(1) || r["dayTotalCents"] != float64(150) {
		t.Errorf("z-report: %d %s", code, out)
	}

	if code, out, _ = run(t, "x-report", "--printer", url); code != 0 || !strings.Contains(out, "Lettura X") {
		t.Errorf("x-report: %d %q", code, out)
	}
}

func TestFailuresExitByKind(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	tests := []struct {
		name, fault string
		args        []string
		code        int
		kind        string
		message     string
	}{
		{"paper out", "paper-out", []string{"test-receipt"}, 1, "not-ready", "Paper out"},
		{"refused", "printer-error:34", []string{"z-report"}, 1, "refused", "not enabled"},
		{"dropped", "drop-after-issue", []string{"x-report"}, 2, "outcome-unknown", "check"},
		{"status paper out", "paper-out", []string{"status"}, 1, "", ""},
		{"unreachable", "", []string{"status", "--printer", dead}, 1, "not-ready", "unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, url := startSim(t, tt.fault)
			args := append(tt.args, "--json", "--timeout", "500ms")
			if len(tt.args) == 1 {
				args = append(args, "--printer", url)
			}
			code, out, _ := run(t, args...)
			var r map[string]any
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			msg, _ := r["message"].(string)
			if code != tt.code || (tt.kind != "" && r["kind"] != tt.kind) || !strings.Contains(msg, tt.message) {
				t.Errorf("exit %d, %s", code, out)
			}
		})
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{nil, {"status"}, {"print", "--printer", "http://127.0.0.1:1"}, {"status", "--printer", "ftp://x"}} {
		if code, _, _ := run(t, args...); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}

func TestTextOutputIsItalianByDefault(t *testing.T) {
	t.Setenv("LANG", "")
	_, url := startSim(t, "paper-out")
	code, _, errText := run(t, "test-receipt", "--printer", url)
	if code != 1 || !strings.Contains(errText, "Carta esaurita") {
		t.Errorf("exit %d, %q", code, errText)
	}
}
