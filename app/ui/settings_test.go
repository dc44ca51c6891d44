package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"till/app/config"
)

// settingsDoc is the example of docs/spec/config.md: every condition holds on till-1.
func settingsDoc() *config.Document {
	tills := []config.Till{{ID: "till-1", Name: "Cassa 1"}, {ID: "till-2", Name: "Cassa 2"}}
	return &config.Document{
		Format: config.Format, Version: 42,
		Account:    config.Account{ID: "acc-1", Name: "Bar Centrale S.r.l.", CoverflexEnabled: true},
		SalesPoint: config.SalesPoint{ID: "sp-1", Name: "Milano Centro", CoverflexVisible: true, CoverflexMerchantID: "CFX0001234"},
		Till:       tills[0], Tills: tills,
		PaymentDevices: []config.Device{
			{ID: "dev-1", Name: "POS banco", Model: config.ModelEMW, TerminalID: "12345678",
				Link: "tcp://192.168.1.50:9100", EnabledTills: []string{"till-1", "till-2"}},
			{ID: "dev-2", Name: "POS sala", Model: config.ModelEMWIT, TerminalID: "87654321",
				Link: "serial:///dev/ttyUSB0?baud=9600", EnabledTills: []string{"till-2"}},
		},
	}
}

// tapCheck taps a check box in its active band: the box is centred in its taller row.
func tapCheck(c *widget.Check) { test.TapAt(c, fyne.NewPos(10, c.Size().Height/2)) }

type settingsHarness struct {
	*harness
	s      *settingsScreen
	backed bool
}

// openSettings caches doc (unless nil) and opens the settings screen on it.
func openSettings(t *testing.T, doc *config.Document) *settingsHarness {
	t.Helper()
	h := &settingsHarness{harness: newHarness(t)}
	if doc != nil {
		if err := h.boot.DB.SaveConfig(context.Background(), doc, config.SourceFile); err != nil {
			t.Fatal(err)
		}
	}
	h.s = newSettingsScreen(h.till, h.boot.DB, func() { h.backed = true })
	h.s.open()
	h.till.WaitIdle()
	return h
}

func (h *settingsHarness) cached() *config.Document {
	h.t.Helper()
	doc, _, err := h.boot.DB.LoadConfig(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return doc
}

func (h *settingsHarness) configChanges() int {
	var n int
	h.boot.DB.SQL().QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'config_saved'`).Scan(&n)
	return n
}

const (
	offered    = "Coverflex disponibile su questa cassa"
	notOffered = "Coverflex NON disponibile su questa cassa"
)

func TestSettingsStatusNamesEachFailingConditionAndWhatToDo(t *testing.T) {
	step := map[config.Condition]string{
		config.AccountEnabled:    "Sistemi di pagamento → Coverflex, passaggio 1",
		config.SalesPointVisible: "colonna «Visibile» del punto vendita (passaggio 2)",
		config.MerchantIDSet:     "Manca il Merchant ID",
		config.TerminalForTill:   "abilita questa cassa nella scheda «Dispositivi di cassa»",
	}
	tests := []struct {
		name    string
		change  func(d *config.Document)
		failing []config.Condition
	}{
		{"all four met", func(d *config.Document) {}, nil},
		{"account not enabled", func(d *config.Document) { d.Account.CoverflexEnabled = false }, []config.Condition{config.AccountEnabled}},
		{"sales point not visible", func(d *config.Document) { d.SalesPoint.CoverflexVisible = false }, []config.Condition{config.SalesPointVisible}},
		{"no merchant id", func(d *config.Document) { d.SalesPoint.CoverflexMerchantID = "" }, []config.Condition{config.MerchantIDSet}},
		{"no terminal for this till", func(d *config.Document) { d.PaymentDevices[0].EnabledTills = []string{"till-2"} },
			[]config.Condition{config.TerminalForTill}},
		{"nothing configured", func(d *config.Document) {
			d.Account.CoverflexEnabled, d.SalesPoint.CoverflexVisible, d.SalesPoint.CoverflexMerchantID = false, false, ""
			d.PaymentDevices = nil
		}, config.Conditions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := settingsDoc()
			tt.change(doc)
			h := openSettings(t, doc)
			want := notOffered
			if len(tt.failing) == 0 {
				want = offered
			}
			if h.s.status.Text != want {
				t.Fatalf("status %q, want %q", h.s.status.Text, want)
			}
			for c, text := range step {
				failing := false
				for _, f := range tt.failing {
					failing = failing || f == c
				}
				if strings.Contains(h.s.failing.Text, text) != failing {
					t.Errorf("condition %s failing %v, but the list says:\n%s", c, failing, h.s.failing.Text)
				}
			}
		})
	}
}

func TestSettingsShowTheConfigurationOfThisTill(t *testing.T) {
	h := openSettings(t, settingsDoc())
	for _, want := range []string{"Account: Bar Centrale S.r.l.", "Passaggio 1 · Coverflex abilitato per l'account: Sì",
		"Punto vendita: Milano Centro", "Passaggio 2 · Visibile: Sì", "Passaggio 3 · Merchant ID: CFX0001234", "Questa cassa: Cassa 1 (till-1)"} {
		if !strings.Contains(h.s.summary.Text, want) {
			t.Errorf("summary lacks %q:\n%s", want, h.s.summary.Text)
		}
	}
	for _, want := range []string{
		"POS 1: POS banco · Ingenico_EMW · Terminal ID 12345678 · tcp://192.168.1.50:9100 · abilitato su questa cassa",
		"POS 2: POS sala · Ingenico EMW_IT · Terminal ID 87654321 · serial:///dev/ttyUSB0?baud=9600 · NON abilitato su questa cassa",
	} {
		if !strings.Contains(h.s.devices.Text, want) {
			t.Errorf("devices lack %q:\n%s", want, h.s.devices.Text)
		}
	}
	if !strings.HasPrefix(h.s.version.Text, "Configurazione versione 42, salvata su questa cassa il ") {
		t.Errorf("version %q", h.s.version.Text)
	}
	h.key(fyne.KeyEscape)
	if !h.backed {
		t.Fatal("Esc did not go back")
	}
}

func TestSettingsWithNothingCachedSayHowToConfigure(t *testing.T) {
	h := openSettings(t, nil)
	if h.s.status.Text != notOffered || !strings.Contains(h.s.summary.Text, "till -config FILE") ||
		strings.Count(h.s.failing.Text, "•") != 4 || h.s.version.Text != "" {
		t.Fatalf("status %q\nsummary %q\nfailing %q\nversion %q", h.s.status.Text, h.s.summary.Text, h.s.failing.Text, h.s.version.Text)
	}
}

func TestSettingsOnAnUnreadableCacheSayWhatIsWrong(t *testing.T) {
	h := &settingsHarness{harness: newHarness(t)}
	if err := h.boot.DB.SaveConfig(context.Background(), settingsDoc(), config.SourceFile); err != nil {
		t.Fatal(err)
	}
	h.boot.DB.SQL().Exec(`UPDATE config SET document = replace(document, 'Ingenico_EMW', '')`)
	h.s = newSettingsScreen(h.till, h.boot.DB, nil)
	h.s.open()
	h.till.WaitIdle()
	if h.s.status.Text != notOffered || !strings.Contains(h.s.message.Text, "non è leggibile") || h.s.summary.Text != "" ||
		!strings.Contains(h.s.message.Text, "POS 1 – Modello (payment_devices[0].model)") {
		t.Fatalf("status %q message %q", h.s.status.Text, h.s.message.Text)
	}
}

func TestSettingsEditFromNothingMakesCoverflexOffered(t *testing.T) {
	h := openSettings(t, nil)
	h.tap("Modifica")
	tapCheck(h.s.account)
	tapCheck(h.s.visible)
	test.Type(h.s.merchant, "CFX0009999")
	h.tap("Aggiungi POS")
	if len(h.s.editors) != 1 || h.s.editors[0].model.Selected != config.ModelEMW || !h.s.editors[0].enabled.Checked {
		t.Fatalf("new device form: %d editors", len(h.s.editors))
	}
	e := h.s.editors[0]
	test.Type(e.name, "POS cassa")
	e.model.SetSelected(config.ModelEMWIT)
	test.Type(e.terminal, "11223344")
	test.Type(e.link, "tcp://127.0.0.1:9100")
	h.tap("Salva")

	doc := h.cached()
	if doc == nil {
		t.Fatalf("nothing saved; message %q", h.s.message.Text)
	}
	a := config.Coverflex(doc)
	if !a.Offered || doc.Version != 1 || doc.SalesPoint.CoverflexMerchantID != "CFX0009999" || len(a.Terminals) != 1 ||
		a.Terminals[0].TerminalID != "11223344" || a.Terminals[0].Model != config.ModelEMWIT || a.Terminals[0].Name != "POS cassa" {
		t.Fatalf("saved %+v, availability %+v", doc, a)
	}
	if h.s.status.Text != offered || h.s.draft != nil || h.s.message.Text != "Configurazione salvata (versione 1)." {
		t.Fatalf("after saving: status %q, editing %v, message %q", h.s.status.Text, h.s.draft != nil, h.s.message.Text)
	}
	var actor string
	h.boot.DB.SQL().QueryRow(`SELECT actor FROM audit_log WHERE action = 'config_saved'`).Scan(&actor)
	if actor != config.SourceLocalEdit {
		t.Fatalf("audit actor %q", actor)
	}
}

func TestSettingsEditRefusesAProblemNamingTheFieldAndSavesNothing(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *settingsScreen)
		want string
	}{
		{"terminal id not 8 digits", func(s *settingsScreen) { s.editors[1].terminal.SetText("1234") },
			"POS 2 – Terminal ID (payment_devices[1].terminal_id): deve essere di 8 cifre"},
		{"terminal id missing", func(s *settingsScreen) { s.editors[0].terminal.SetText("") },
			"POS 1 – Terminal ID (payment_devices[0].terminal_id): manca"},
		{"same terminal id twice", func(s *settingsScreen) { s.editors[1].terminal.SetText("12345678") },
			"POS 2 – Terminal ID (payment_devices[1].terminal_id): è già usato"},
		{"no model chosen", func(s *settingsScreen) { s.editors[0].model.ClearSelected() },
			"POS 1 – Modello (payment_devices[0].model): manca"},
		{"tcp link without port", func(s *settingsScreen) { s.editors[0].link.SetText("tcp://192.168.1.50") },
			"POS 1 – Collegamento (payment_devices[0].link): scrivi tcp://"},
		{"serial link without three slashes", func(s *settingsScreen) { s.editors[1].link.SetText("serial://ttyUSB0") },
			"POS 2 – Collegamento (payment_devices[1].link): scrivi tcp://"},
		{"bad link", func(s *settingsScreen) { s.editors[0].link.SetText("192.168.1.50") },
			"POS 1 – Collegamento (payment_devices[0].link): scrivi tcp://"},
		{"merchant id too long", func(s *settingsScreen) { s.merchant.SetText(strings.Repeat("X", 33)) },
			"Merchant ID (sales_point.coverflex_merchant_id): al massimo 32 caratteri"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := openSettings(t, settingsDoc())
			h.tap("Modifica")
			tt.edit(h.s)
			h.tap("Salva")
			if !strings.Contains(h.s.message.Text, tt.want) {
				t.Fatalf("message %q, want %q", h.s.message.Text, tt.want)
			}
			if doc := h.cached(); doc.Version != 42 || h.configChanges() != 1 || h.s.draft == nil {
				t.Fatalf("saved version %d, %d changes, still editing %v", doc.Version, h.configChanges(), h.s.draft != nil)
			}
		})
	}
}

func TestSettingsEditOfACachedConfigBumpsItsVersion(t *testing.T) {
	h := openSettings(t, settingsDoc())
	h.tap("Modifica")
	h.s.editors[1].name.SetText("POS terrazza")
	h.s.editors[1].enabled.SetChecked(true)
	test.Tap(h.s.editors[0].remove)
	tapCheck(h.s.account) // step 1 off
	if len(h.s.editors) != 1 || h.s.editors[0].name.Text != "POS terrazza" || !h.s.editors[0].enabled.Checked {
		t.Fatalf("after removing POS 1 the form lost what was typed: %d editors", len(h.s.editors))
	}
	h.tap("Salva")
	doc := h.cached()
	if doc.Version != 43 || doc.Account.CoverflexEnabled || len(doc.PaymentDevices) != 1 ||
		doc.PaymentDevices[0].Name != "POS terrazza" || strings.Join(doc.PaymentDevices[0].EnabledTills, ",") != "till-2,till-1" {
		t.Fatalf("saved %+v", doc)
	}
	if h.s.status.Text != notOffered || !strings.Contains(h.s.failing.Text, "passaggio 1") || strings.Contains(h.s.failing.Text, "passaggio 4") {
		t.Fatalf("status %q failing %q", h.s.status.Text, h.s.failing.Text)
	}
}

func TestSettingsCancelAndUnchangedSaveLeaveTheCacheAlone(t *testing.T) {
	h := openSettings(t, settingsDoc())
	h.tap("Modifica")
	tapCheck(h.s.account)
	h.key(fyne.KeyEscape)
	if h.s.draft != nil || h.backed || h.configChanges() != 1 || !h.cached().Account.CoverflexEnabled {
		t.Fatalf("Esc while editing: editing %v, went back %v, %d changes", h.s.draft != nil, h.backed, h.configChanges())
	}
	h.tap("Modifica", "Salva")
	if h.s.message.Text != "Nessuna modifica da salvare." || h.configChanges() != 1 || h.cached().Version != 42 {
		t.Fatalf("unchanged save: %q, %d changes", h.s.message.Text, h.configChanges())
	}
}

func TestSettingsEditOfAConfigReplacedMeanwhileIsRefused(t *testing.T) {
	h := openSettings(t, settingsDoc())
	h.tap("Modifica")
	newer := settingsDoc()
	newer.Version = 50
	if err := h.boot.DB.SaveConfig(context.Background(), newer, config.SourceFile); err != nil {
		t.Fatal(err)
	}
	tapCheck(h.s.visible)
	h.tap("Salva")
	if !strings.Contains(h.s.message.Text, "è cambiata mentre la modificavi") || h.cached().Version != 50 || h.s.draft == nil {
		t.Fatalf("message %q, cached version %d", h.s.message.Text, h.cached().Version)
	}
}

func TestSettingsOfAManagedTillCannotBeEdited(t *testing.T) {
	h := openSettings(t, settingsDoc())
	h.tap("Modifica")
	h.s.setManaged(true)
	if h.s.draft != nil || h.s.editBtn.Visible() || !h.s.managedBy.Visible() {
		t.Fatalf("managed: editing %v, Modifica visible %v", h.s.draft != nil, h.s.editBtn.Visible())
	}
	h.s.startEdit()
	if h.s.draft != nil {
		t.Fatal("a managed till entered edit mode")
	}
}

func TestConfigErrorTextNamesTheFieldAndTheFix(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&config.FieldError{Field: "payment_devices[1].model", Code: "missing"}, "POS 2 – Modello (payment_devices[1].model): manca"},
		{&config.FieldError{Field: "payment_devices[0].enabled_tills[1]", Code: "unknown_till"},
			"POS 1 – Casse abilitate (payment_devices[0].enabled_tills[1]): non è una delle casse del punto vendita"},
		{&config.FieldError{Field: "payment_devices[0].profile", Code: "profile", Problem: `lrc="xyz"`},
			`POS 1 – Profilo del POS (payment_devices[0].profile): le impostazioni del POS non sono accettate (lrc="xyz")`},
		{&config.FieldError{Field: "(document)", Code: "json"}, "Documento ((document)): il file non è JSON valido"},
		{&config.FieldError{Field: "format", Code: "format"}, "Formato del documento (format): questa cassa legge solo il formato 1"},
		{&config.FieldError{Field: "till.id", Code: "missing"}, "Questa cassa (till.id): manca"},
		{&config.FieldError{Field: "tills[2].id", Code: "duplicate"}, "Elenco delle casse (tills[2].id): è già usato"},
		{&config.FieldError{Field: "sales_point.coverflex_merchant_id", Code: "format"}, "Merchant ID (sales_point.coverflex_merchant_id): al massimo 32"},
		{&config.FieldError{Field: "somewhere", Code: "new_code", Problem: "is odd"}, "somewhere (somewhere): is odd"},
		{errors.Join(errors.New("save"), config.ErrStale), "La configurazione è cambiata mentre la modificavi"},
	}
	for _, tt := range tests {
		if got := ConfigErrorText(tt.err); !strings.HasPrefix(got, tt.want) {
			t.Errorf("ConfigErrorText(%v) = %q, want %q…", tt.err, got, tt.want)
		}
	}
}

// withVerifone adds to a document a terminal of another model, enabled on till-1.
func withVerifone(d *config.Document) {
	d.PaymentDevices = append(d.PaymentDevices, config.Device{ID: "dev-nexi", Name: "POS Nexi", Model: "Verifone V240m",
		Link: "tcp://192.168.1.60:9100", EnabledTills: []string{"till-1"}})
}

func TestSettingsListADeviceOfAnotherModelAsNotCoverflex(t *testing.T) {
	doc := settingsDoc()
	withVerifone(doc)
	h := openSettings(t, doc)
	if h.s.status.Text != offered || h.s.message.Text != "" {
		t.Fatalf("status %q message %q", h.s.status.Text, h.s.message.Text)
	}
	want := "POS 3: POS Nexi · Verifone V240m · Terminal ID — · tcp://192.168.1.60:9100 · non è un POS Coverflex: questa cassa non lo usa"
	if !strings.Contains(h.s.devices.Text, want) || !strings.Contains(h.s.devices.Text, "POS 1: POS banco · Ingenico_EMW · Terminal ID 12345678 · tcp://192.168.1.50:9100 · abilitato su questa cassa") {
		t.Fatalf("devices lack %q:\n%s", want, h.s.devices.Text)
	}
	// Editing keeps it as it is: its model is not one the editor offers, and is not lost.
	h.tap("Modifica")
	if got := h.s.editors[2].model.Selected; got != "Verifone V240m" {
		t.Fatalf("the editor shows model %q", got)
	}
	h.s.editors[0].name.SetText("POS cassa")
	h.tap("Salva")
	saved := h.cached()
	if saved.Version != 43 || len(saved.PaymentDevices) != 3 || saved.PaymentDevices[2].Model != "Verifone V240m" ||
		saved.PaymentDevices[0].Name != "POS cassa" {
		t.Fatalf("saved %+v; message %q", saved, h.s.message.Text)
	}
}

func TestDocumentWithAVerifoneStillPaysCoverflexOnTheIngenico(t *testing.T) {
	h := newHarness(t)
	sims := h.terminals(1, withVerifone)
	if doc := (&settingsHarness{harness: h}).cached(); doc == nil || len(doc.PaymentDevices) != 2 {
		t.Fatalf("the document with a Verifone was not cached: %+v", doc)
	}
	h.ringAndPay("1200", "Cucina\n10%")
	if !visible(h.till.payment.cfBtn) {
		t.Fatalf("Coverflex not offered: %q", h.till.payment.message.Text)
	}
	// One Coverflex terminal on this till: no prompt, the Ingenico is used.
	h.tap("Coverflex", "CONFERMA")
	if h.till.current != h.till.sale || sims[0].Payments() != 1 {
		t.Fatalf("on %T, %d payments: %q", h.till.current, sims[0].Payments(), h.till.payment.message.Text)
	}
}
