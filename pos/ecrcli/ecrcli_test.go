package ecrcli

import (
	"bytes"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"till/pos/ecrsim"
)

func startSim(t *testing.T) (*ecrsim.Sim, string) {
	t.Helper()
	sim, err := ecrsim.New(ecrsim.Config{TerminalID: "12345678"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	addr, err := sim.ListenTCP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return sim, "tcp://" + addr.String()
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestPayExitCodesFollowTheOutcome(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	sim, link := startSim(t)
	for _, tc := range []struct {
		amount  string
		code    int
		outHas  string
		payment int
	}{
		{"12,50", ExitOK, "Pagamento: APPROVATO 12,50 €", 1},
		{"1,01", ExitDeclined, "RIFIUTATO: FONDI INSUFFICIENTI", 2},
		{"1,05", ExitUnknown, "NON ripetere", 3},
	} {
		code, out, _ := run(t, "pay", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001", "--amount", tc.amount)
		if code != tc.code || !strings.Contains(out, tc.outHas) || sim.Payments() != tc.payment {
			t.Errorf("pay %s: exit %d, payments %d, output:\n%s", tc.amount, code, sim.Payments(), out)
		}
	}
	code, out, _ := run(t, "last", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001")
	if code != ExitOK || !strings.Contains(out, "Ultimo esito: APPROVATO") || !strings.Contains(out, "STAN 000003") {
		t.Errorf("last: exit %d\n%s", code, out)
	}
}

func TestJSONOutputCarriesTheResultFields(t *testing.T) {
	_, link := startSim(t)
	code, out, _ := run(t, "pay", "--json", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001",
		"--profile", "Ingenico EMW_IT", "--amount", "6,50")
	var got resultJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != ExitOK || got.Outcome != "approved" || got.RequestedCents != 650 || got.AuthorizedCents != 650 ||
		got.MaskedPAN != "411111******1111" || got.STAN != "000001" || got.TerminalID != "12345678" || len(got.Raw) != 71 {
		t.Fatalf("exit %d, %+v", code, got)
	}
	for _, tc := range []struct {
		args []string
		key  string
		want any
	}{
		{[]string{"totals"}, "terminal_total_cents", 650.0},
		{[]string{"status"}, "operative", true},
		{[]string{"reverse", "--stan", "000001"}, "outcome", "approved"},
		{[]string{"close"}, "ok", true},
	} {
		args := append(tc.args, "--json", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001")
		code, out, _ := run(t, args...)
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil || code != ExitOK || m[tc.key] != tc.want {
			t.Errorf("%v: exit %d, %s=%v (%v)\n%s", tc.args, code, tc.key, m[tc.key], err, out)
		}
	}
}

func TestEnglishWhenLangIsEnglish(t *testing.T) {
	setLang(t, "en_GB.UTF-8")
	_, link := startSim(t)
	code, out, _ := run(t, "status", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001")
	if code != ExitOK || !strings.Contains(out, "Terminal 12345678: operative (status 2: operative)") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestBadArgumentsPrintUsageAndExit2(t *testing.T) {
	setLang(t, "")
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "tcp://" + l.Addr().String()
	l.Close()
	base := []string{"--link", "tcp://127.0.0.1:1", "--terminal-id", "12345678", "--ecr-id", "00000001"}
	for _, tc := range []struct {
		name   string
		args   []string
		errHas string
		outHas string
	}{
		{"no verb", nil, "till ecr: manca il comando", ""},
		{"unknown verb", append([]string{"refund"}, base...), "till ecr: comando sconosciuto «refund»", ""},
		{"no link", []string{"status", "--terminal-id", "12345678", "--ecr-id", "1"}, "till ecr: --link è obbligatorio", ""},
		{"pay without amount", append([]string{"pay"}, base...), "till ecr: pay vuole --amount", ""},
		{"amount on status", append([]string{"status", "--amount", "1"}, base...), "till ecr: --amount vale solo per pay", ""},
		{"bad amount", append([]string{"pay", "--amount", "12,505"}, base...), "till ecr: --amount «12,505» non è un importo come 12,50", ""},
		{"unknown flag", append([]string{"status", "--baud", "9600"}, base...), "till ecr: opzione sconosciuta", ""},
		{"bad link", []string{"status", "--link", "10.0.0.1:9100", "--terminal-id", "12345678", "--ecr-id", "00000001"}, "", "tcp://HOST:PORT"},
		{"bad profile", append([]string{"status", "--profile", "Ingenico"}, base...), "", "unknown terminal model"},
		{"refused", []string{"status", "--link", refused, "--terminal-id", "12345678", "--ecr-id", "00000001"}, "", "refused"},
	} {
		code, out, errOut := run(t, tc.args...)
		if code != ExitUnknown || !strings.Contains(errOut, tc.errHas) || !strings.Contains(out, tc.outHas) {
			t.Errorf("%s: exit %d\nstdout %s\nstderr %s", tc.name, code, out, errOut)
		}
		if tc.errHas != "" && !strings.Contains(errOut, "uso: till ecr") {
			t.Errorf("%s: no usage in %s", tc.name, errOut)
		}
	}
}

func TestStatusNotOperativeExits1InItalian(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	sim, link := startSim(t)
	sim.SetScenario(ecrsim.NotOperative)
	code, out, _ := run(t, "status", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001")
	if code != ExitDeclined || !strings.Contains(out, "Terminale 12345678: NON OPERATIVO (stato 3: non allineato)") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

// From the bug report: the terminal answered with a result the till cannot trust, and
// "till ecr pay" printed approved and exited 0.
func TestPayWithAnUntrustworthyResultExits2(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	for _, sc := range []ecrsim.Scenario{ecrsim.ForeignTID, ecrsim.ShortResult, ecrsim.BadSTAN} {
		t.Run(string(sc), func(t *testing.T) {
			sim, link := startSim(t)
			sim.SetScenario(sc)
			code, out, _ := run(t, "pay", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001", "--amount", "6,50")
			if code != ExitUnknown || !strings.Contains(out, "ESITO SCONOSCIUTO") || strings.Contains(out, "APPROVATO") ||
				!strings.Contains(out, "NON ripetere") || sim.Payments() != 1 {
				t.Fatalf("exit %d, payments %d\n%s", code, sim.Payments(), out)
			}
			code, out, _ = run(t, "pay", "--json", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001", "--amount", "6,50")
			var got resultJSON
			if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitUnknown || got.Outcome != "unknown" ||
				got.AuthorizedCents != 0 || got.Error == "" {
				t.Fatalf("json: exit %d %+v (%v)\n%s", code, got, err, out)
			}
			// The last result is stored whole by the short-result terminal only.
			want := ExitUnknown
			if sc == ecrsim.ShortResult {
				want = ExitOK
			}
			code, out, _ = run(t, "last", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001")
			if code != want || (want == ExitUnknown && !strings.Contains(out, "scontrino del terminale")) {
				t.Fatalf("last: exit %d, want %d\n%s", code, want, out)
			}
		})
	}
}

func TestTotalsRefusedExits1(t *testing.T) {
	sim, link := startSim(t)
	sim.SetScenario(ecrsim.RefuseTotals)
	args := []string{"totals", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001"}
	for _, tc := range []struct{ lang, want string }{
		{"it_IT.UTF-8", "Totale terminale 12345678: RIFIUTATO dal terminale (esito 01)"},
		{"en_GB.UTF-8", "Terminal total 12345678: REFUSED by the terminal (result 01)"},
	} {
		setLang(t, tc.lang)
		if code, out, _ := run(t, args...); code != ExitDeclined || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d\n%s", tc.lang, code, out)
		}
	}
	code, out, _ := run(t, append(args, "--json")...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != ExitDeclined || m["outcome"] != "refused" || m["ok"] != false || m["result_code"] != "01" {
		t.Errorf("json: exit %d %v (%v)\n%s", code, m, err, out)
	}
}

func TestCloseWithoutItsAnswerIsUnknownAndNotRepeated(t *testing.T) {
	sim, link := startSim(t)
	sim.SetScenario(ecrsim.DropAfterACK) // the terminal closes the day, the answer is lost
	args := []string{"close", "--link", link, "--terminal-id", "12345678", "--ecr-id", "00000001"}
	for _, tc := range []struct{ lang, want string }{
		{"it_IT.UTF-8", "NON ripetere la chiusura"},
		{"en_GB.UTF-8", "Do NOT repeat the close"},
	} {
		setLang(t, tc.lang)
		requests := sim.Requests()
		code, out, _ := run(t, args...)
		if code != ExitUnknown || !strings.Contains(out, tc.want) || !strings.Contains(out, "till ecr totals") || sim.Requests() != requests+1 {
			t.Errorf("%s: exit %d after %d requests\n%s", tc.lang, code, sim.Requests()-requests, out)
		}
	}
	code, out, _ := run(t, append(args, "--json")...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != ExitUnknown || m["outcome"] != "unknown" || m["error"] == nil {
		t.Errorf("json: exit %d %v (%v)\n%s", code, m, err, out)
	}
	sim.SetScenario(ecrsim.RefuseTotals)
	if code, out, _ := run(t, args...); code != ExitDeclined || !strings.Contains(out, "Closure: REFUSED") {
		t.Errorf("refused close: exit %d\n%s", code, out)
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
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "tcp://" + l.Addr().String()
	l.Close()
	_, link := startSim(t)
	ids := []string{"--terminal-id", "12345678", "--ecr-id", "00000001"}
	for _, tt := range []struct {
		lang          string
		args          []string
		want, notWant string // in stdout+stderr
	}{
		{"", nil, "till ecr: manca il comando\n\nuso: till ecr status|pay|reverse|last|totals|close --link COLLEGAMENTO", "usage"},
		{"C.UTF-8", []string{"status", "--link", link}, "till ecr: --terminal-id è obbligatorio", "required"},
		{"", append([]string{"status", "--link", link, "--profile", "Ingenico"}, ids...), "ERRORE: impossibile usare il terminale Ingenico su " + link + ":", "ERROR:"},
		{"", append([]string{"status", "--link", refused}, ids...), "ERRORE: ", "ERROR:"},
		{"", append([]string{"status", "--link", refused}, ids...), "\n  dettaglio: ", "detail:"},
		{"C.UTF-8", append([]string{"status", "--link", link}, ids...), "Terminale 12345678: operativo (stato 2: operativo)\n  data/ora ", "Terminal "},
		{"", append([]string{"totals", "--link", link}, ids...), "Totale terminale 12345678: ", "Terminal total"},
		{"", append([]string{"pay", "--link", link, "--amount", "1,01"}, ids...), "Pagamento: RIFIUTATO: ", "Payment"},
		{"en_US.UTF-8", nil, "till ecr: missing command\n\nusage: till ecr status|pay|reverse|last|totals|close --link LINK", "uso"},
		{"en_US.UTF-8", []string{"status", "--link", link}, "till ecr: --terminal-id is required", "obbligatorio"},
		{"en_US.UTF-8", append([]string{"status", "--link", link, "--profile", "Ingenico"}, ids...), "ERROR: cannot use the Ingenico terminal on " + link + ":", "ERRORE"},
		{"en_US.UTF-8", append([]string{"status", "--link", refused}, ids...), "\n  detail: ", "dettaglio"},
		{"en_US.UTF-8", append([]string{"status", "--link", link}, ids...), "Terminal 12345678: operative (status 2: operative)\n  date/time ", "Terminale"},
		{"en_US.UTF-8", append([]string{"pay", "--link", link, "--amount", "1,01"}, ids...), "Payment: DECLINED: ", "Pagamento"},
	} {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, out, errs := run(t, tt.args...)
			if got := out + errs; !strings.Contains(got, tt.want) || strings.Contains(got, tt.notWant) {
				t.Fatalf("got %q, want %q and not %q", got, tt.want, tt.notWant)
			}
		})
	}
	// --json is for scripts: the same in every language (the STAN and the time differ per
	// payment, so a status, which has neither).
	var outs []string
	for _, lang := range []string{"", "en_US.UTF-8"} {
		setLang(t, lang)
		code, out, _ := run(t, append([]string{"status", "--json", "--link", link}, ids...)...)
		if code != ExitOK || !strings.Contains(out, `"status_text": "operative"`) {
			t.Fatalf("LANG=%q: exit %d %s", lang, code, out)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] {
		t.Fatalf("Italian:\n%s\nEnglish:\n%s", outs[0], outs[1])
	}
}
