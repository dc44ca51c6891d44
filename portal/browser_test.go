package portal_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"till/portal"
)

const chromiumPath = "/usr/bin/chromium"

// newChromium starts a headless Debian chromium for one test. A missing browser fails the
// test rather than skipping it, so a CI without it cannot pass by accident.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("browser tests need Debian's chromium at %s: run apt-get install chromium (%v)", chromiumPath, err)
	}
	// The network is closed: every background fetch is off, or chromium may hang waiting on it.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 60*time.Second)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium (%s): %v", chromiumPath, err)
	}
	return browser
}

// TestBrowserCoverflexFourSteps does the seed's four steps by clicking, as an owner would,
// then checks the till receives exactly that configuration.
func TestBrowserCoverflexFourSteps(t *testing.T) {
	p := startPortal(t)
	f := newFreshAccount(t, p)
	ctx := context.Background()
	code, err := p.Store.NewActivationCode(ctx, f.accountID, f.tills[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	token := p.activate(t, code)
	dev := portal.Device{ID: "pos-1", Name: "POS banco", Model: "Ingenico_EMW", Link: "tcp://192.168.1.50:9100"}
	if st := p.call(t, "POST", "/api/v1/devices", token, map[string]any{"devices": []portal.Device{dev}}, nil); st != 200 {
		t.Fatalf("register device: %d", st)
	}
	b := newChromium(t)
	sp, till1 := f.spID, f.tills[0].ID
	id := func(prefix string) string { return "#" + prefix + "-" + sp }
	devID := func(prefix string) string { return id(prefix) + "-" + dev.ID }
	type css = chromedp.CSS
	err = chromedp.Do(b,
		chromedp.Navigate(p.URL+"/login"),
		chromedp.SendKeys(css("#email"), f.email),
		chromedp.SendKeys(css("#password"), f.password),
		chromedp.Click(css("#login")),
		chromedp.WaitVisible(css("#logout")),
		chromedp.Navigate(p.URL+coverflexPage),
		// Step 1: SI shows the sales points.
		chromedp.Click(css("#abilita-si")),
		chromedp.WaitVisible(css(id("visibile"))),
		// Step 2: Visibile (submits itself) shows the gear and the till icon.
		chromedp.Click(css(id("visibile"))),
		chromedp.WaitVisible(css(id("gear"))),
		// Step 3: gear → "Sistema di pagamento" → Merchant ID → Salva.
		chromedp.Click(css(id("gear"))),
		chromedp.WaitVisible(css(id("merchant"))),
		chromedp.SendKeys(css(id("merchant")), "CFX0001234"),
		chromedp.Click(css(id("salva-sistema"))),
		chromedp.WaitVisible(css("#flash-passaggio3")),
		// Step 4: till icon → select the device → a bad Terminal ID is refused in Italian.
		chromedp.Click(css(id("cassa"))),
		chromedp.WaitVisible(css(devID("sel"))),
		chromedp.Click(css(devID("sel"))),
		chromedp.WaitVisible(css(devID("terminal"))),
		chromedp.SendKeys(css(devID("terminal")), "1234"),
		chromedp.Click(css(devID("salva"))),
		chromedp.WaitVisible(css(id("errore-dispositivi"))),
	)
	if err != nil {
		t.Fatalf("clicking through steps 1 to 4: %v", err)
	}
	shot(t, b, "coverflex-step4-error.png")
	errorText, err := chromedp.Run(b, chromedp.Text(css(id("errore-dispositivi"))))
	if err != nil || !strings.Contains(errorText, "8 cifre") {
		t.Fatalf("bad Terminal ID message %q (%v)", errorText, err)
	}
	// The popup is open again with the device selected: fix the Terminal ID, enable Cassa 1.
	err = chromedp.Do(b,
		chromedp.WaitVisible(css(devID("terminal"))),
		chromedp.Clear(css(devID("terminal"))),
		chromedp.SendKeys(css(devID("terminal")), "12345678"),
		chromedp.Click(css(devID("tab-casse"))),
		chromedp.WaitVisible(css(devID("abilitato")+"-"+till1)),
		chromedp.Click(css(devID("abilitato")+"-"+till1)),
		chromedp.Click(css(devID("salva"))),
		chromedp.WaitVisible(css("#flash-passaggio4")),
		// After a reload the page shows what was saved.
		chromedp.Navigate(p.URL+coverflexPage),
		chromedp.WaitReady(css(id("sp"))),
	)
	if err != nil {
		t.Fatalf("saving step 4: %v", err)
	}
	shot(t, b, "coverflex-saved.png")
	merchant, err1 := chromedp.Run(b, chromedp.Value(css(id("merchant"))))
	terminal, err2 := chromedp.Run(b, chromedp.Value(css(devID("terminal"))))
	flags, err3 := chromedp.Run(b, chromedp.Evaluate[[]bool](`[
		document.getElementById("abilita-si").classList.contains("active"),
		document.getElementById("visibile-`+sp+`").checked,
		document.getElementById("abilitato-`+sp+`-`+dev.ID+`-`+till1+`").checked,
		document.getElementById("abilitato-`+sp+`-`+dev.ID+`-`+f.tills[1].ID+`").checked]`))
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatalf("reading the reloaded page: %v", err)
	}
	if merchant != "CFX0001234" || terminal != "12345678" || len(flags) != 4 || !flags[0] || !flags[1] || !flags[2] || flags[3] {
		t.Fatalf("after reload: merchant %q terminal %q flags %v", merchant, terminal, flags)
	}

	var doc portal.ConfigDoc
	if st := p.call(t, "GET", "/api/v1/config", token, nil, &doc); st != 200 {
		t.Fatalf("config: %d", st)
	}
	if !doc.Account.CoverflexEnabled || !doc.SalesPoint.CoverflexVisible || doc.SalesPoint.CoverflexMerchantID != "CFX0001234" ||
		len(doc.PaymentDevices) != 1 || doc.PaymentDevices[0].TerminalID != "12345678" ||
		len(doc.PaymentDevices[0].EnabledTills) != 1 || doc.PaymentDevices[0].EnabledTills[0] != till1 {
		t.Fatalf("the till got %+v", doc)
	}
}

// TestBrowserEmptyDeviceList shows the explanation when no Ingenico terminal was added yet.
func TestBrowserEmptyDeviceList(t *testing.T) {
	p := startPortal(t)
	f := newFreshAccount(t, p)
	ctx := context.Background()
	p.Store.SetCoverflexEnabled(ctx, f.accountID, true)
	p.Store.SetVisible(ctx, f.accountID, f.spID, true)
	b := newChromium(t)
	type css = chromedp.CSS
	err := chromedp.Do(b,
		chromedp.Navigate(p.URL+"/login"),
		chromedp.SendKeys(css("#email"), f.email),
		chromedp.SendKeys(css("#password"), f.password),
		chromedp.Click(css("#login")),
		chromedp.WaitVisible(css("#logout")),
		chromedp.Navigate(p.URL+coverflexPage),
		chromedp.Click(css("#cassa-"+f.spID)),
		chromedp.WaitVisible(css("#vuoto-"+f.spID)),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(b, chromedp.Text(css("#vuoto-"+f.spID)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Impostazioni", "Aggiungi POS", "Ingenico_EMW", "Ingenico EMW_IT"} {
		if !strings.Contains(text, want) {
			t.Errorf("empty state %q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "Pagamenti") {
		t.Errorf("empty state %q names a till section that does not exist", text)
	}
}

// shot saves the page to $PORTAL_SHOTS/name when that folder is set, to look at the pages.
func shot(t *testing.T, b context.Context, name string) {
	dir := os.Getenv("PORTAL_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
