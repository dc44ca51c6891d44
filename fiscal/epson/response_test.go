package epson

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"till/fiscal"
)

const specAnswer = `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><response success="true" code="" status="2"><addInfo><elementList>lastCommand,printerStatus,fiscalReceiptNumber,fiscalReceiptAmount,fiscalReceiptDate,fiscalReceiptTime,zRepNumber</elementList><lastCommand>74</lastCommand><printerStatus>20110</printerStatus><fiscalReceiptNumber>12</fiscalReceiptNumber><fiscalReceiptAmount>14,70</fiscalReceiptAmount><fiscalReceiptDate>3/6/2025</fiscalReceiptDate><fiscalReceiptTime>13:05</fiscalReceiptTime><zRepNumber>245</zRepNumber></addInfo></response></soapenv:Body></soapenv:Envelope>`

func answer(success, code string, status int) string {
	return `<s:Envelope xmlns:s="x"><s:Body><response success="` + success + `" code="` + code + `" status="` + strconv.Itoa(status) + `"/></s:Body></s:Envelope>`
}

func TestParseSuccessReadsDocument(t *testing.T) {
	r, err := ParseResponse([]byte(specAnswer))
	if err != nil || r.Err() != nil {
		t.Fatalf("parse: %v %v", err, r.Err())
	}
	d := r.document("S1")
	if d.ID() != "0245-0012" || d.Amount != 1470 || d.IssuedAt.Day() != 3 || d.IssuedAt.Month() != 6 || d.IssuedAt.Hour() != 13 {
		t.Errorf("document = %+v", d)
	}
	for _, ok := range []string{answer("true", "", 2), answer("1", "SUCCESS", 2), `<response success="true"/>`} {
		r, err := ParseResponse([]byte(ok))
		if err != nil || !r.OK() {
			t.Errorf("%s: not OK (%v)", ok, err)
		}
	}
}

func TestEveryErrorCodeHasKindAndMessage(t *testing.T) {
	tests := []struct {
		code   string
		status int
		kind   error
		it     string
	}{
		{"EPTR_REC_EMPTY", 0, fiscal.ErrNotReady, "Carta esaurita"},
		{"PRINTER ERROR", 2, fiscal.ErrNotReady, "Carta quasi esaurita"},
		{"PRINTER ERROR", 3, fiscal.ErrNotReady, "non in linea"},
		{"PRINTER ERROR", 9, fiscal.ErrRefused, "data"},
		{"PRINTER ERROR", 11, fiscal.ErrRefused, "Sequenza"},
		{"PRINTER ERROR", 13, fiscal.ErrRefused, "Valore"},
		{"PRINTER ERROR", 17, fiscal.ErrRefused, "non possibile"},
		{"PRINTER ERROR", 18, fiscal.ErrRefused, "non possibile"},
		{"PRINTER ERROR", 20, fiscal.ErrRefused, "massimo"},
		{"PRINTER ERROR", 21, fiscal.ErrRefused, "chiusura"},
		{"PRINTER ERROR", 30, fiscal.ErrRefused, "lotteria"},
		{"PRINTER ERROR", 34, fiscal.ErrRefused, "abilitata"},
		{"PRINTER ERROR", 39, fiscal.ErrRefused, "già annullato"},
		{"PRINTER ERROR", 40, fiscal.ErrRefused, "già reso"},
		{"PRINTER ERROR", 77, fiscal.ErrRefused, "rifiutato"},
		{"FP_NO_ANSWER", 0, fiscal.ErrOutcomeUnknown, "ultimo scontrino"},
		{"LAN_TIME_OUT", 0, fiscal.ErrOutcomeUnknown, "ultimo scontrino"},
		{"LAN_ERROR", 0, fiscal.ErrNotReady, "rete"},
		{"PARSER_ERROR", 0, fiscal.ErrRefused, "comando"},
		{"NO_DATA", 0, fiscal.ErrRefused, "dati"},
		{"Non valid XML command", 0, fiscal.ErrRefused, "comando"},
		{"SOMETHING_NEW", 0, fiscal.ErrRefused, "rifiutato"},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+strconv.Itoa(tt.status), func(t *testing.T) {
			r, err := ParseResponse([]byte(answer("false", tt.code, tt.status)))
			if err != nil {
				t.Fatal(err)
			}
			err = r.Err()
			var fe *fiscal.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &fe) || fe.Code != tt.code || fe.Status != tt.status {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			if it := Message(err, "it"); !strings.Contains(it, tt.it) || !strings.Contains(it, ":") {
				t.Errorf("it message %q lacks %q", it, tt.it)
			}
			if en := Message(err, "en"); en == "" || en == Message(err, "it") {
				t.Errorf("en message %q", en)
			}
		})
	}
}

// documentedStatus is a queryPrinterStatus statusType=1 answer with the contract's fields only;
// countersStatus adds the last document as some printers (and rtsim -assume-status-counters) do.
const (
	documentedStatus = `<soapenv:Envelope xmlns:soapenv="x"><soapenv:Body><response success="true" code="" status="2"><addInfo><elementList>printerStatus,rtType,rtMainStatus,rtSubStatus,rtDailyOpen,rtFileToSend,rtFileRejected,rtTrainingMode</elementList><printerStatus>20110</printerStatus><rtType>I</rtType><rtMainStatus>02</rtMainStatus><rtSubStatus>08</rtSubStatus><rtDailyOpen>1</rtDailyOpen><rtFileToSend>3</rtFileToSend><rtFileRejected>1</rtFileRejected><rtTrainingMode>0</rtTrainingMode></addInfo></response></soapenv:Body></soapenv:Envelope>`
	countersStatus   = `<soapenv:Envelope xmlns:soapenv="x"><soapenv:Body><response success="true" code="" status="2"><addInfo><printerStatus>00110</printerStatus><fiscalReceiptNumber>12</fiscalReceiptNumber><fiscalReceiptAmount>14,70</fiscalReceiptAmount><zRepNumber>245</zRepNumber><serialNumber>99MEY000001</serialNumber><rtDailyOpen>1</rtDailyOpen></addInfo></response></soapenv:Body></soapenv:Envelope>`
)

func TestStatusAnswerFieldsAreReadOnlyWhenPresent(t *testing.T) {
	with := func(fields string) string {
		return `<response success="true"><addInfo><printerStatus>00110</printerStatus>` + fields + `</addInfo></response>`
	}
	tests := []struct {
		name         string
		body         string
		tells        bool
		id           string
		amountStated bool
		lastZ        int // what Status fills, field by field
		lastDoc      int
	}{
		{"documented fields only", documentedStatus, false, "", false, 0, 0},
		{"counters", countersStatus, true, "0245-0012", true, 244, 12},
		{"counters without the amount", with(`<fiscalReceiptNumber>3</fiscalReceiptNumber><zRepNumber>7</zRepNumber>`), true, "0007-0003", false, 6, 3},
		{"no document yet today", with(`<fiscalReceiptNumber>0</fiscalReceiptNumber><zRepNumber>7</zRepNumber>`), true, "0007-0000", false, 6, 0},
		{"number without Z", with(`<fiscalReceiptNumber>3</fiscalReceiptNumber>`), false, "", false, 0, 3},
		{"Z without number", with(`<zRepNumber>7</zRepNumber>`), false, "", false, 6, 0},
		{"empty number", with(`<fiscalReceiptNumber></fiscalReceiptNumber><zRepNumber>7</zRepNumber>`), false, "", false, 6, 0},
		{"unreadable number", with(`<fiscalReceiptNumber>abc</fiscalReceiptNumber><zRepNumber>7</zRepNumber>`), false, "", false, 6, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseResponse([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			last, err := r.lastDocument("S")
			if tt.tells != (err == nil) || (!tt.tells && !errors.Is(err, fiscal.ErrCannotTell)) {
				t.Fatalf("last document %+v, %v; tells %v", last, err, tt.tells)
			}
			if tt.tells && (last.ID() != tt.id || last.AmountReported != tt.amountStated) {
				t.Errorf("last document %+v", last)
			}
			if st := r.asStatus("S"); st.LastZ != tt.lastZ || st.LastDocument != tt.lastDoc {
				t.Errorf("status %+v", st)
			}
		})
	}
	st := func() fiscal.Status { r, _ := ParseResponse([]byte(documentedStatus)); return r.asStatus("") }()
	if !st.Ready || !st.PaperLow || !st.DailyOpen || st.FilesToSend != 3 || st.FilesRejected != 1 || st.Serial != "" {
		t.Errorf("documented status = %+v", st)
	}
}

func TestParseRejectsBodiesWithoutResponse(t *testing.T) {
	for _, b := range []string{"", "<html>500</html>", "<response success=", "not xml at all"} {
		if _, err := ParseResponse([]byte(b)); err == nil {
			t.Errorf("%q parsed", b)
		}
	}
}

func FuzzParseResponse(f *testing.F) {
	f.Add([]byte(specAnswer))
	f.Add([]byte(answer("false", "PRINTER ERROR", 39)))
	f.Add([]byte(`<response success="1"><addInfo><a>1</a><b><c>2</c></b></addInfo></response>`))
	f.Add([]byte(documentedStatus))
	f.Add([]byte(countersStatus))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if err != nil {
			return
		}
		_ = r.Err()
		if len(r.Info) > maxInfoFields {
			t.Fatalf("%d info fields", len(r.Info))
		}
		_ = Message(r.Err(), "it")
		// A field the printer did not send never reads as a value.
		doc := r.document("S")
		if _, stated := r.Info["fiscalReceiptAmount"]; doc.AmountReported && !stated {
			t.Fatal("amount reported without fiscalReceiptAmount")
		}
		last, err := r.lastDocument("S")
		_, hasZ := r.intField("zRepNumber")
		_, hasN := r.intField("fiscalReceiptNumber")
		if (err == nil) != (hasZ && hasN) || (err != nil && (!errors.Is(err, fiscal.ErrCannotTell) || last != fiscal.DocumentRef{})) {
			t.Fatalf("last document %+v, %v with counters %v %v", last, err, hasZ, hasN)
		}
		st := r.asStatus("S")
		if (st.LastDocument != 0 && !hasN) || (st.LastZ != 0 && !hasZ) || st.LastZ < 0 || st.LastDocument < 0 {
			t.Fatalf("status %+v from %v", st, r.Info)
		}
	})
}

func TestEveryMessageSaysWhatToDoInBothLanguages(t *testing.T) {
	all := []text{}
	for _, m := range byCode {
		all = append(all, m)
	}
	for _, m := range byStatus {
		all = append(all, m)
	}
	for _, k := range byKind {
		all = append(all, k.t)
	}
	all = append(all, cannotTell.unknown, cannotTell.alone)
	for _, m := range all {
		for _, s := range []string{m.it, m.en} {
			if !strings.Contains(s, ": ") || !strings.HasSuffix(s, ".") {
				t.Errorf("%q does not say what happened and what to do", s)
			}
		}
	}
	if Message(nil, "it") != "" || Message(errors.New("x"), "en") == "" {
		t.Error("nil or foreign error")
	}
}
