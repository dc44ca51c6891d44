package portal_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCatalogueUpload uploads a catalogue file by clicking, as an owner would: a file
// with bad rows is refused with every row listed and the "replace" choice kept, nothing
// changes; the corrected file is imported and its products can be found.
func TestBrowserCatalogueUpload(t *testing.T) {
	p := startPortal(t)
	s := newShop(t, p)
	s.departments(t, p)
	dir := t.TempDir()
	bad := filepath.Join(dir, "listino-sbagliato.csv")
	good := filepath.Join(dir, "listino.csv")
	wrong := ean13(5)[:12] + fmt.Sprint((int(ean13(5)[12]-'0')+1)%10)
	badRows := "code;barcode;name;price;department;category\n" +
		"CF01;" + ean13(1) + ";Caffè;1,20;1;Caffetteria\n" +
		"CF02;" + wrong + ";Cappuccino;1,50;1;Caffetteria\n" +
		"PN01;;Panino;-5,00;2;Cucina\n" +
		"PN02;;Piadina;5,50;7;Cucina\n"
	goodRows := "code;barcode;name;price;department;category\n" +
		"CF01;" + ean13(1) + ";Caffè;1,20;1;Caffetteria\n" +
		"CF02;" + ean13(5) + ";Cappuccino;1,50;1;Caffetteria\n" +
		"PN01;;Panino;5,00;2;Cucina\n" +
		"PN02;;Piadina;5,50;2;Cucina\n"
	if err := os.WriteFile(bad, []byte(badRows), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(goodRows), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newChromium(t)
	type css = chromedp.CSS
	err := chromedp.Do(b,
		chromedp.Navigate(p.URL+"/login"),
		chromedp.SendKeys(css("#email"), s.email),
		chromedp.SendKeys(css("#password"), s.password),
		chromedp.Click(css("#login")),
		chromedp.WaitVisible(css("#logout")),
		chromedp.Navigate(p.URL+"/catalogo"),
		chromedp.Click(css("#importa-"+s.spID)),
		chromedp.WaitVisible(css("#modulo-importa")),
		chromedp.SetUploadFiles(css("#file"), []string{bad}),
		chromedp.Click(css("#sostituisci")),
		chromedp.Click(css("#carica")),
		chromedp.WaitVisible(css("#problemi")),
	)
	if err != nil {
		t.Fatalf("uploading the bad file: %v", err)
	}
	shot(t, b, "catalogue-upload-problems.png")
	table, err1 := chromedp.Run(b, chromedp.Text(css("#problemi table")))
	kept, err2 := chromedp.Run(b, chromedp.Evaluate[bool](`document.getElementById("sostituisci").checked`))
	pageError, err3 := chromedp.Run(b, chromedp.Text(css("#page-error")))
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3\tcodice a barre", "4\tprezzo", "5\treparto", "cifra di controllo", "reparto «7» inesistente"} {
		if !strings.Contains(table, want) {
			t.Errorf("the problem table lacks %q:\n%s", want, table)
		}
	}
	if !kept || !strings.Contains(pageError, "3 problemi") {
		t.Errorf("replace kept %v; message %q", kept, pageError)
	}
	if info := s.info(t, p); info.Products != 0 || info.Categories != 0 {
		t.Fatalf("the refused file changed the catalogue: %+v", info)
	}

	err = chromedp.Do(b,
		chromedp.SetUploadFiles(css("#file"), []string{good}),
		chromedp.Click(css("#carica")),
		chromedp.WaitVisible(css("#importato")),
	)
	if err != nil {
		t.Fatalf("uploading the corrected file: %v", err)
	}
	shot(t, b, "catalogue-upload-done.png")
	added, err := chromedp.Run(b, chromedp.Text(css("#aggiunti")))
	if err != nil || added != "4" {
		t.Fatalf("added %q (%v)", added, err)
	}
	err = chromedp.Do(b,
		chromedp.Navigate(p.URL+s.base()),
		chromedp.SendKeys(css("#cerca"), "piad"),
		chromedp.Click(css("#cerca-vai")),
		// The value attribute is the one the server wrote: the results page, not the form typed in.
		chromedp.WaitVisible(css(`#cerca[value="piad"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	found, err := chromedp.Run(b, chromedp.Text(css("#prodotti tbody")))
	if err != nil || !strings.Contains(found, "Piadina") || strings.Contains(found, "Caffè") || !strings.Contains(found, "5,50 €") {
		t.Fatalf("search for piad found %q (%v)", found, err)
	}
	if info := s.info(t, p); info.ActiveProducts != 4 || info.Categories != 2 {
		t.Fatalf("after the upload: %+v", info)
	}
}
