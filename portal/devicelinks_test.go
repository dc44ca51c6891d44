package portal_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"

	"till/app/config"
	"till/portal"
)

// The link forms a till accepts and some it refuses (app/config's tests hold the full table).
// The portal must agree: it stores only the first kind, and so serves only documents the till
// parses.
var (
	acceptedLinks = []string{
		"tcp://192.168.1.50:9100",
		"tcp://pos-banco.local:9100",
		"tcp://[fe80::1]:9100",
		"tcp://10.0.0.9:65535",
		"serial:///dev/ttyUSB0",
		"serial:///dev/ttyUSB1?baud=9600",
		"serial:///dev/ttyS1?baud=115200&parity=even",
		"serial:///dev/ttyACM0?parity=odd",
		"serial:///dev/serial/by-id/usb-Ingenico_EMW-if00",
	}
	refusedLinks = []string{
		"tcp://10.0.0.9",
		"tcp://10.0.0.9:",
		"tcp://h:0",
		"tcp://h:65536",
		"tcp://h:9100/pos",
		"serial://ttyUSB0",
		"serial:/dev/ttyUSB0",
		"serial:///dev/ttyUSB0?baud=96000",
		"serial:///dev/ttyUSB0?stop=2",
		"192.168.1.50:9100",
		"",
	}
)

const badLinkPage = "Indirizzo del terminale non valido: scrivere tcp://HOST:PORTA (porta 1–65535) oppure serial:///dev/ttyUSB0?baud=9600"

// TestDeviceLinks runs the link tests on SQLite; TestDeviceLinksOnPostgres on PostgreSQL.
func TestDeviceLinks(t *testing.T) {
	for _, tt := range deviceLinkTests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, startPortal(t)) })
	}
}

func TestDeviceLinksOnPostgres(t *testing.T) {
	pg := startPostgres(t)
	for _, tt := range deviceLinkTests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, pg.portal(t)) })
	}
}

var deviceLinkTests = []struct {
	name string
	fn   func(*testing.T, *testPortal)
}{
	{"RegisterRefusesALinkTheTillWouldRefuse", testRegisterRefusesALinkTheTillWouldRefuse},
	{"ServedDocumentParsesOnTheTill", testServedDocumentParsesOnTheTill},
	{"Step4RefusesADeviceWithABadLink", testStep4RefusesADeviceWithABadLink},
	{"DocumentTheTillWouldRefuseIsNotServed", testDocumentTheTillWouldRefuseIsNotServed},
}

// deviceState is what a refused request must leave as it was.
type deviceState struct {
	version int64
	devices int
}

func devicesOf(t *testing.T, p *testPortal, demo portal.DemoInfo) deviceState {
	t.Helper()
	sp, err := p.Store.SalesPoint(context.Background(), demo.AccountID, demo.SalesPointID)
	if err != nil {
		t.Fatal(err)
	}
	return deviceState{sp.Version, countRows(t, p, "SELECT COUNT(*) FROM payment_devices WHERE sales_point_id = ?", demo.SalesPointID)}
}

func testRegisterRefusesALinkTheTillWouldRefuse(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	before := devicesOf(t, p, demo)
	for _, link := range refusedLinks {
		t.Run(link, func(t *testing.T) {
			// A good device in the same request is not stored either: the request is refused whole.
			devices := []portal.Device{
				{ID: "pos-buono", Name: "POS buono", Model: portal.ModelIngenicoEMW, Link: "tcp://192.168.1.50:9100"},
				{ID: "pos-sala", Name: "POS sala", Model: portal.ModelIngenicoEMWIT, Link: link},
			}
			var e apiError
			if st := p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": devices}, &e); st != 400 || e.Error != "invalid_device" {
				t.Fatalf("status %d %+v, want 400 invalid_device", st, e)
			}
			for _, want := range []string{"devices[1].link", `"pos-sala"`, "POS sala", fmt.Sprintf("%q", link)} {
				if !strings.Contains(e.Message, want) {
					t.Errorf("message %q does not name %s", e.Message, want)
				}
			}
			if after := devicesOf(t, p, demo); after != before {
				t.Fatalf("a refused request changed the devices: %+v, was %+v", after, before)
			}
		})
	}
	// A terminal of another model with a bad link is refused too; with a good one it is kept.
	other := portal.Device{ID: "pos-nexi", Name: "POS Nexi", Model: "Verifone V240m", Link: "tcp://192.168.1.60"}
	var e apiError
	if st := p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": []portal.Device{other}}, &e); st != 400 || e.Error != "invalid_device" {
		t.Fatalf("another model with a bad link: %d %+v", st, e)
	}
	other.Link += ":9100"
	if st := p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": []portal.Device{other}}, nil); st != 200 {
		t.Fatalf("another model with a good link: %d", st)
	}
}

// testServedDocumentParsesOnTheTill registers a terminal with every accepted link form and
// terminals of other models, configures the Coverflex ones in step 4 as an owner would, and
// parses what the portal serves with the till's own parser.
func testServedDocumentParsesOnTheTill(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	var devices []portal.Device
	for i, link := range acceptedLinks {
		model := []string{portal.ModelIngenicoEMW, portal.ModelIngenicoEMWIT}[i%2]
		devices = append(devices, portal.Device{ID: fmt.Sprintf("pos-%d", i), Name: fmt.Sprintf("POS %d", i), Model: model, Link: link})
	}
	devices = append(devices,
		portal.Device{ID: "pos-verifone", Name: "POS Verifone", Model: "Verifone V240m", Link: "tcp://192.168.1.60:9100"},
		portal.Device{ID: "pos-nexi", Name: "POS Nexi", Model: "Nexi SmartPOS", Link: "serial:///dev/ttyUSB9?baud=19200"})
	if st := p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": devices}, nil); st != 200 {
		t.Fatalf("register: %d", st)
	}
	br := p.login(t, demo.Email, demo.Password)
	br.get(coverflexPage)
	sp := coverflexPage + "/punti-vendita/" + demo.SalesPointID + "/dispositivi/"
	for i := range acceptedLinks {
		form := url.Values{"terminal_id": {fmt.Sprintf("%08d", 20000000+i)}, "abilitato": {demo.Tills[i%2].ID}}
		if st, body := br.submit(sp+fmt.Sprintf("pos-%d", i), form); st != 200 || !strings.Contains(body, "Dispositivo di pagamento salvato") {
			t.Fatalf("step 4 for %s: status %d", acceptedLinks[i], st)
		}
	}

	st, _, body := p.raw(t, "GET", "/api/v1/config", token, nil)
	if st != 200 {
		t.Fatalf("config: %d %s", st, body)
	}
	doc, err := config.Parse(body)
	if err == nil {
		err = config.Check(doc)
	}
	if err != nil {
		t.Fatalf("the till refuses the served document: %v\n%s", err, body)
	}
	links := map[string]string{}
	for _, d := range doc.PaymentDevices {
		links[d.ID] = d.Link
	}
	for i, link := range acceptedLinks {
		if links[fmt.Sprintf("pos-%d", i)] != link {
			t.Errorf("device with link %s served as %q", link, links[fmt.Sprintf("pos-%d", i)])
		}
	}
	if a := config.Coverflex(doc); !a.Offered || len(a.Terminals) != 1+(len(acceptedLinks)+1)/2 {
		t.Fatalf("Coverflex on the till: %+v", a)
	}
}

// testStep4RefusesADeviceWithABadLink covers a device stored before the portal checked links:
// step 4 says what is wrong and stores nothing, and the tills keep getting a document they
// accept, without that device.
func testStep4RefusesADeviceWithABadLink(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	ctx := context.Background()
	for _, d := range []struct{ id, link, terminal string }{
		{"pos-vecchio", "tcp://10.0.0.9", ""},
		{"pos-configurato", "serial://ttyUSB0", "33334444"},
	} {
		if _, err := p.Store.SQL().ExecContext(ctx, p.sql(`INSERT INTO payment_devices (sales_point_id, id, name, model, link, terminal_id, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, '2025-01-01T00:00:00Z')`), demo.SalesPointID, d.id, "POS "+d.id, portal.ModelIngenicoEMW, d.link, d.terminal); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Store.SQL().ExecContext(ctx, p.sql(`INSERT INTO device_tills (sales_point_id, device_id, till_id) VALUES (?, 'pos-configurato', ?)`),
		demo.SalesPointID, demo.Tills[0].ID); err != nil {
		t.Fatal(err)
	}
	before := devicesOf(t, p, demo)

	br := p.login(t, demo.Email, demo.Password)
	_, page := br.get(coverflexPage)
	page = html.UnescapeString(page)
	for _, id := range []string{"pos-vecchio", "pos-configurato"} {
		if !strings.Contains(page, `id="link-`+demo.SalesPointID+"-"+id+`">`+badLinkPage) {
			t.Errorf("step 4 does not warn about the link of %s", id)
		}
	}
	form := url.Values{"terminal_id": {"11112222"}, "abilitato": {demo.Tills[0].ID}}
	st, body := br.submit(coverflexPage+"/punti-vendita/"+demo.SalesPointID+"/dispositivi/pos-vecchio", form)
	body = html.UnescapeString(body)
	if st != 400 || !strings.Contains(body, badLinkPage+" (ora è «tcp://10.0.0.9»)") {
		t.Fatalf("status %d, want 400 saying %q", st, badLinkPage)
	}
	if !strings.Contains(body, `id="errore-dispositivi-`+demo.SalesPointID+`"`) || !strings.Contains(body, `value="11112222"`) {
		t.Fatal("the popup is not reopened with the error and what was typed")
	}
	if after := devicesOf(t, p, demo); after != before {
		t.Fatalf("a refused step 4 changed the devices: %+v, was %+v", after, before)
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM payment_devices WHERE id = 'pos-vecchio' AND terminal_id = ''"); n != 1 {
		t.Fatal("the Terminal ID was stored")
	}
	if n := countRows(t, p, "SELECT COUNT(*) FROM device_tills WHERE device_id = 'pos-vecchio'"); n != 0 {
		t.Fatal("the enabled tills were stored")
	}

	st, _, raw := p.raw(t, "GET", "/api/v1/config", token, nil)
	doc, err := config.Parse(raw)
	if err == nil {
		err = config.Check(doc)
	}
	if st != 200 || err != nil {
		t.Fatalf("config: %d %v\n%s", st, err, raw)
	}
	if len(doc.PaymentDevices) != 1 || doc.PaymentDevices[0].ID != demo.DeviceID || !config.Coverflex(doc).Offered {
		t.Fatalf("served devices %+v, want only the seeded one", doc.PaymentDevices)
	}
}

// testDocumentTheTillWouldRefuseIsNotServed breaks, behind the portal's back, a field no form
// can set wrong: the portal answers with an error rather than a document the till refuses, so
// the till keeps the copy it has.
func testDocumentTheTillWouldRefuseIsNotServed(t *testing.T, p *testPortal) {
	demo := p.seed(t)
	token := p.activate(t, demo.Tills[0].ActivationCode)
	if st := p.call(t, "GET", "/api/v1/config", token, nil, nil); st != 200 {
		t.Fatalf("config before: %d", st)
	}
	if _, err := p.Store.SQL().Exec(p.sql("UPDATE sales_points SET coverflex_merchant_id = ?, version = version + 1 WHERE id = ?"),
		"CFX\x01", demo.SalesPointID); err != nil {
		t.Fatal(err)
	}
	st, _, body := p.raw(t, "GET", "/api/v1/config", token, nil)
	if st != 500 || strings.Contains(string(body), "CFX") {
		t.Fatalf("status %d, want 500 and no document: %s", st, body)
	}
}
