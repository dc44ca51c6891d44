package fiscalcli

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"till/fiscal/rtsim"
)

// startSim runs a simulator answering only the documented fields.
func startSim(t *testing.T, fault string) (*rtsim.Server, string) {
	t.Helper()
	return startSimWith(t, rtsim.Config{Fault: fault})
}

func startSimWith(t *testing.T, cfg rtsim.Config) (*rtsim.Server, string) {
	t.Helper()
	// A held request is ended by the simulator after 50 ms, not by a client timeout racing it.
	cfg.Serial, cfg.HangMax = "99MEY000007", 50*time.Millisecond
	sim, err := rtsim.New(cfg)
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
	setLang(t, "it_IT.UTF-8")
	sim, url := startSimWith(t, rtsim.Config{AssumeStatusCounters: true})
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
	if code != 0 || st["ready"] != true || st["serial"] != "99MEY000007" || st["dailyOpen"] != true || r["document"] != "0001-0001" ||
		st["lastDocument"] != float64(1) || st["lastZ"] != float64(0) || r["amountCents"] != float64(150) {
		t.Errorf("status: %d %s", code, out)
	}
	if code, out, _ = run(t, "status", "--printer", url); code != 0 || !strings.Contains(out, "Ultimo documento: 0001-0001 (1,50 €)") {
		t.Errorf("status text: %d %s", code, out)
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

// TestStatusShowsTheLastDocumentOnlyWhenThePrinterTellsIt: a printer that answers only the
// documented status fields has no last document, Z or serial to show, and says so.
func TestStatusShowsTheLastDocumentOnlyWhenThePrinterTellsIt(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	_, url := startSim(t, "")
	if code, _, _ := run(t, "test-receipt", "--printer", url); code != 0 {
		t.Fatalf("test-receipt: exit %d", code)
	}
	code, out, _ := run(t, "status", "--printer", url, "--json")
	var r map[string]any
	_ = json.Unmarshal([]byte(out), &r)
	st, _ := r["status"].(map[string]any)
	_, hasZ := st["lastZ"]
	_, hasDoc := st["lastDocument"]
	if code != 0 || st["ready"] != true || st["dailyOpen"] != true || hasZ || hasDoc || r["document"] != nil || r["amount"] != nil {
		t.Errorf("status: %d %s", code, out)
	}
	code, out, _ = run(t, "status", "--printer", url)
	if code != 0 || !strings.Contains(out, "Ultimo documento: non indicato dalla stampante") || strings.Contains(out, "Ultima chiusura Z") {
		t.Errorf("status text: %d %s", code, out)
	}
}

// TestTestReceiptNeverPrintsTwice is the "test-receipt printed 2" bug: the answer to the test
// receipt is lost and the printer cannot tell its last document. Exactly what was issued stays
// issued, nothing more, and the technician is told to look at the paper or the journal.
func TestTestReceiptNeverPrintsTwice(t *testing.T) {
	tests := []struct {
		name     string
		sim      rtsim.Config
		args     []string
		lang     string
		issued   int
		code     int
		message  []string
		document string
	}{
		{"answer dropped after issue", rtsim.Config{Fault: "drop-after-issue"}, nil, "it_IT.UTF-8", 1, 2,
			[]string{"Esito della stampa sconosciuto", "controllare la carta o il giornale elettronico della stampante prima di riprovare"}, ""},
		{"answer dropped, in English", rtsim.Config{Fault: "drop-after-issue"}, nil, "en_GB.UTF-8", 1, 2,
			[]string{"check the paper or the printer's electronic journal before trying again"}, ""},
		{"answer held after issue", rtsim.Config{Fault: "hang-after-issue"}, nil, "it_IT.UTF-8", 1, 2,
			[]string{"giornale elettronico"}, ""},
		{"request held, nothing issued", rtsim.Config{Fault: "no-answer-receipt"}, nil, "it_IT.UTF-8", 0, 2,
			[]string{"giornale elettronico"}, ""},
		{"counters assumed, printer does not send them", rtsim.Config{Fault: "drop-after-issue"}, []string{"--assume-status-counters"}, "it_IT.UTF-8", 1, 2,
			[]string{"giornale elettronico"}, ""},
		{"counters assumed and sent: reconciled", rtsim.Config{Fault: "once:drop-after-issue", AssumeStatusCounters: true}, []string{"--assume-status-counters"}, "it_IT.UTF-8", 1, 0,
			[]string{"Documento 0001-0001 emesso, 0,10 €."}, "0001-0001"},
		{"counters assumed and sent, nothing issued: printed once", rtsim.Config{Fault: "once:no-answer-receipt", AssumeStatusCounters: true}, []string{"--assume-status-counters"}, "it_IT.UTF-8", 1, 0,
			[]string{"Documento 0001-0001 emesso"}, "0001-0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setLang(t, tt.lang)
			sim, url := startSimWith(t, tt.sim)
			args := append([]string{"test-receipt", "--printer", url}, tt.args...)
			code, out, errText := run(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errText)
			}
			if n := len(sim.Journal()); n != tt.issued {
				t.Errorf("%d receipts issued, want %d", n, tt.issued)
			}
			for _, m := range tt.message {
				if !strings.Contains(out+errText, m) {
					t.Errorf("output lacks %q:\n%s%s", m, out, errText)
				}
			}
			code, out, _ = run(t, append(args, "--json")...)
			var r map[string]any
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if tt.code == 2 && (r["kind"] != "outcome-unknown" || r["ok"] != false) {
				t.Errorf("JSON %s", out)
			}
			if n := len(sim.Journal()); n != 2*tt.issued {
				t.Errorf("the second run issued %d receipts, want %d", n-tt.issued, tt.issued)
			}
		})
	}
}

func TestFailuresExitByKind(t *testing.T) {
	setLang(t, "en_US.UTF-8")
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
			args := append(tt.args, "--json")
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
	setLang(t, "")
	_, url := startSim(t, "paper-out")
	code, _, errText := run(t, "test-receipt", "--printer", url)
	if code != 1 || !strings.Contains(errText, "Carta esaurita") {
		t.Errorf("exit %d, %q", code, errText)
	}
}

// setLang sets the environment's language as a shell would, with nothing overriding LANG.
func setLang(t *testing.T, lang string) {
	t.Helper()
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", lang)
}

// TestMessagesInTheRunsLanguage: Italian unless the environment's language is English, and
// never the other language beside it.
func TestMessagesInTheRunsLanguage(t *testing.T) {
	_, url := startSimWith(t, rtsim.Config{AssumeStatusCounters: true})
	_, paperOut := startSim(t, "paper-out")
	for _, tt := range []struct {
		lang          string
		args          []string
		want, notWant string // in stdout+stderr
	}{
		{"", nil, "uso: till fiscal status|x-report|z-report|test-receipt --printer URL", "usage"},
		{"C.UTF-8", []string{"status"}, "test-receipt vuole anche --amount", "also takes"},
		{"", []string{"status", "--printer", url, "--bogus"}, "opzione sconosciuta", "usage"},
		{"", []string{"status", "--printer", "ftp://x"}, "indirizzo della stampante non valido «ftp://x»:", "invalid"},
		{"C.UTF-8", []string{"x-report", "--printer", url}, "Lettura X stampata.", "printed"},
		{"", []string{"status", "--printer", url}, "Stampante: pronta\nMatricola: 99MEY000007\n", "Printer"},
		{"", []string{"test-receipt", "--printer", paperOut}, "Errore: Carta esaurita", "Error:"},
		{"en_US.UTF-8", nil, "usage: till fiscal status|x-report|z-report|test-receipt --printer URL", "uso"},
		{"en_US.UTF-8", []string{"status"}, "test-receipt also takes --amount", "vuole"},
		{"en_US.UTF-8", []string{"status", "--printer", "ftp://x"}, "invalid printer address “ftp://x”:", "non valido"},
		{"en_US.UTF-8", []string{"x-report", "--printer", url}, "X report printed.", "stampata"},
		{"en_US.UTF-8", []string{"status", "--printer", url}, "Printer: ready\nSerial: 99MEY000007\n", "Stampante"},
		{"en_US.UTF-8", []string{"test-receipt", "--printer", paperOut}, "Error: Paper out", "Errore"},
	} {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, out, errs := run(t, tt.args...)
			if got := out + errs; !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
				t.Fatalf("got %q, want %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
}

// TestJSONIsTheSameInEveryLanguage: scripts read --json; only "message", which is for people,
// follows the language.
func TestJSONIsTheSameInEveryLanguage(t *testing.T) {
	_, url := startSim(t, "paper-out")
	var outs []map[string]any
	for _, lang := range []string{"", "en_US.UTF-8"} {
		setLang(t, lang)
		code, out, _ := run(t, "test-receipt", "--printer", url, "--json")
		var r map[string]any
		if err := json.Unmarshal([]byte(out), &r); err != nil || code != 1 || r["kind"] != "not-ready" {
			t.Fatalf("LANG=%q: exit %d %s (%v)", lang, code, out, err)
		}
		outs = append(outs, r)
	}
	if outs[0]["message"] == outs[1]["message"] {
		t.Errorf("the message is not in the run's language: %v", outs[0]["message"])
	}
	delete(outs[0], "message")
	delete(outs[1], "message")
	if !reflect.DeepEqual(outs[0], outs[1]) {
		t.Fatalf("Italian %v\nEnglish %v", outs[0], outs[1])
	}
}
