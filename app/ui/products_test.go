package ui

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"till/app/boot"
	"till/app/catalogue"
	"till/app/checkout"
	"till/money"
	"till/storage"
)

// withCheckDigit appends the GTIN check digit (EAN-8, UPC-A, EAN-13 alike) to digits.
func withCheckDigit(digits string) string {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return digits + fmt.Sprint((10-sum%10)%10)
}

// Barcodes of the products scanProducts adds.
var (
	biscuitsEAN13 = withCheckDigit("800111222333")
	gumEAN8       = withCheckDigit("2012345")
	teaUPCA       = withCheckDigit("01234567890")
)

// scanProducts adds products with an EAN-13, an EAN-8 and a UPC-A to the catalogue.
func scanProducts(tb testing.TB) func(*storage.DB) {
	return func(db *storage.DB) {
		ctx := context.Background()
		deps, err := db.Departments(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range []checkout.Product{
			{Code: "T1", Name: "Biscotti al burro", Price: 249, DepartmentID: deps[2].ID, Barcodes: []string{biscuitsEAN13}},
			{Code: "T2", Name: "Gomme alla menta", Price: 120, DepartmentID: deps[0].ID, Barcodes: []string{gumEAN8}},
			{Code: "T3", Name: "Tè verde in bustine", Price: 310, DepartmentID: deps[2].ID, Barcodes: []string{teaUPCA}},
		} {
			if err := db.SaveProduct(ctx, p); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// seedProducts adds n generated products to the demo catalogue, as a shop's CSV import would:
// in the demo's departments and categories, one in three with an EAN-13.
func seedProducts(tb testing.TB, n int) func(*storage.DB) {
	kinds := []string{"Pasta di semola", "Biscotti", "Latte", "Yogurt", "Mozzarella", "Parmigiano Reggiano",
		"Prosciutto crudo", "Olio extravergine", "Passata di pomodoro", "Acqua minerale", "Vino rosso", "Birra"}
	varieties := []string{"integrale", "biologico", "classico", "senza glutine", "fresco", "stagionato", "DOP", "toscano"}
	return func(db *storage.DB) {
		ctx := context.Background()
		cats, err := db.Categories(ctx)
		if err != nil || len(cats) == 0 {
			tb.Fatalf("categories %v %v", cats, err)
		}
		rows := make([]catalogue.Row, n)
		for i := range rows {
			rows[i] = catalogue.Row{Code: fmt.Sprintf("G%06d", i),
				Name:  fmt.Sprintf("%s %s %dg", kinds[i%len(kinds)], varieties[(i/len(kinds))%len(varieties)], 100+i%900),
				Price: money.Cents(50 + i%5000), Department: 1 + i%3, Category: cats[i%len(cats)].Name}
			if i%3 == 0 {
				rows[i].Barcodes = []string{withCheckDigit(fmt.Sprintf("20%010d", i))}
			}
		}
		if _, err := db.ImportCatalogue(ctx, rows, false); err != nil {
			tb.Fatal(err)
		}
	}
}

// typeKeys types on the window with no field focused, as a keyboard (or a scanner) does.
// typeKeys types text as the desktop driver delivers a keyboard's (and a scanner's) keys: a
// printable key first arrives as a key event named after it ("8", "X"), then as its rune.
func (h *harness) typeKeys(text string) {
	for _, r := range text {
		if r == '\n' {
			h.key(fyne.KeyReturn)
			continue
		}
		if name := strings.ToUpper(string(r)); len(name) == 1 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyName(name)})
		}
		h.win.Canvas().OnTypedRune()(r)
	}
	h.till.WaitIdle()
}

func (h *harness) lastLine() checkout.Line {
	h.t.Helper()
	lines := h.till.register.Sale().Lines
	if len(lines) == 0 {
		h.t.Fatal("no line")
	}
	return lines[len(lines)-1]
}

func TestScannedBarcodeAddsTheProductAtOnce(t *testing.T) {
	h := newHarnessOn(t, boot.Options{}, scanProducts(t))
	for _, tt := range []struct{ code, name string }{
		{biscuitsEAN13, "Biscotti al burro"}, {gumEAN8, "Gomme alla menta"}, {teaUPCA, "Tè verde in bustine"},
	} {
		h.typeKeys(tt.code + "\n")
		if h.till.current != h.till.sale || h.lastLine().Description != tt.name || h.till.register.HasEntry() {
			t.Fatalf("scan %s: on %T, last line %q, entry %d, message %q", tt.code, h.till.current,
				h.lastLine().Description, h.till.register.Entry(), h.till.sale.message.Text)
		}
		if h.till.sale.message.Text != "" || h.till.sale.display.Text != "0,00" {
			t.Fatalf("after scan %s: message %q display %q", tt.code, h.till.sale.message.Text, h.till.sale.display.Text)
		}
	}
	// A quantity set with X before the scan applies to the scanned product.
	h.typeKeys("3x" + biscuitsEAN13 + "\n")
	if l := h.lastLine(); l.Description != "Biscotti al burro" || l.QtyMilli != 3000 || l.UnitPrice != 249 {
		t.Fatalf("3 X then scan: %+v", l)
	}
}

func TestUnknownBarcodeIsToldAndTheEntryIsKept(t *testing.T) {
	h := newHarnessOn(t, boot.Options{}, scanProducts(t))
	h.tap("5", "0") // a price typed on the keypad before the scan
	unknown := withCheckDigit("800999999999")
	h.typeKeys(unknown + "\n")
	msg := h.till.sale.message.Text
	if h.till.current != h.till.sale || len(h.till.register.Sale().Lines) != 0 || !strings.Contains(msg, unknown) ||
		!strings.Contains(msg, "sconosciuto") {
		t.Fatalf("unknown barcode: on %T, %d lines, message %q", h.till.current, len(h.till.register.Sale().Lines), msg)
	}
	if h.till.register.Entry() != 50 || h.till.sale.display.Text != "0,50" {
		t.Fatalf("entry after the unknown scan = %d, display %q", h.till.register.Entry(), h.till.sale.display.Text)
	}
	// Nine digits cannot be an amount nor a barcode: a bad read, never PAGA.
	h.typeKeys("123456789\n")
	if h.till.current != h.till.sale || !strings.Contains(h.till.sale.message.Text, "123456789") {
		t.Fatalf("nine digits: on %T, message %q", h.till.current, h.till.sale.message.Text)
	}
}

func TestShortKeyboardEntryStillRingsUpAndEnterIsPaga(t *testing.T) {
	h := newHarness(t)
	// Seven digits fill the keypad entry: Enter after them is PAGA (refused on an empty sale).
	h.typeKeys("1234567\n")
	if !strings.Contains(h.till.sale.message.Text, "vendita è vuota") || h.till.register.Entry() != 1234567 {
		t.Fatalf("seven digits then Enter: message %q entry %d", h.till.sale.message.Text, h.till.register.Entry())
	}
	h.tap("C")
	h.typeKeys("250")
	h.tap("Bar\n22%")
	h.typeKeys("\n")
	if h.till.current != h.till.payment {
		t.Fatalf("Enter after a line did not open PAGA: %q", h.till.sale.message.Text)
	}
}

func TestScannerTypingIntoTheSearchAddsTheProduct(t *testing.T) {
	h := newHarnessOn(t, boot.Options{}, scanProducts(t))
	search := h.till.sale.products.search
	h.win.Canvas().Focus(search)
	test.Type(search, gumEAN8)
	search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.till.WaitIdle()
	if l := h.lastLine(); l.Description != "Gomme alla menta" || search.Text != "" {
		t.Fatalf("scan into the search: line %q, search left %q", l.Description, search.Text)
	}
	test.Type(search, withCheckDigit("800999999999"))
	search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(h.till.register.Sale().Lines) != 1 || !strings.Contains(h.till.sale.message.Text, "sconosciuto") {
		t.Fatalf("unknown scan into the search: %d lines, message %q", len(h.till.register.Sale().Lines), h.till.sale.message.Text)
	}
}

// shownProducts are the tiles the grid shows, in order.
func (h *harness) shownProducts() []string {
	p := h.till.sale.products
	var names []string
	for _, i := range p.results {
		names = append(names, p.index.At(i).Name)
	}
	return names
}

func TestSearchFiltersAtEveryKeystrokeWithinTheCategory(t *testing.T) {
	h := newHarness(t)
	p := h.till.sale.products
	all := len(p.results)
	if all != p.index.Len() || all == 0 {
		t.Fatalf("at start %d of %d products shown", all, p.index.Len())
	}
	h.win.Canvas().Focus(p.search)
	test.Type(p.search, "cap")
	if got := h.shownProducts(); len(got) != 1 || got[0] != "Cappuccino" || p.count.Text != "1 prodotto" {
		t.Fatalf("after typing cap: %v (%q)", got, p.count.Text)
	}
	h.tap("Cappuccino\n1,60")
	if h.lastLine().Description != "Cappuccino" {
		t.Fatalf("tapping the tile found: %+v", h.lastLine())
	}
	test.Type(p.search, "x")
	if got := h.shownProducts(); len(got) != 0 || p.count.Text != "0 prodotti" {
		t.Fatalf("after typing capx: %v", got)
	}
	p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.search.Text != "" || len(p.results) != all {
		t.Fatalf("Esc left %q and %d products", p.search.Text, len(p.results))
	}
	h.tap("Bevande")
	for _, i := range p.results {
		if c := p.index.At(i).CategoryID; c != p.category || c == "" {
			t.Fatalf("Bevande shows %q of category %q", p.index.At(i).Name, c)
		}
	}
	if n := len(p.results); n == 0 || n == all {
		t.Fatalf("Bevande shows %d of %d", n, all)
	}
	h.tap("Tutte")
	if len(p.results) != all {
		t.Fatalf("Tutte shows %d of %d", len(p.results), all)
	}
}

func TestLetterKeypadTypesIntoTheSearch(t *testing.T) {
	h := newHarness(t)
	h.tap("ABC")
	if h.till.sale.digits.Visible() || !h.till.sale.letters.Visible() {
		t.Fatal("ABC did not show the letters")
	}
	h.tap("C", "A", "P", "P", "⌫")
	p := h.till.sale.products
	if p.search.Text != "CAP" || len(h.shownProducts()) != 1 {
		t.Fatalf("search %q shows %v", p.search.Text, h.shownProducts())
	}
	h.tap("123")
	if !h.till.sale.digits.Visible() || h.till.sale.letters.Visible() {
		t.Fatal("123 did not bring the numbers back")
	}
}

func TestProductPagesTurnWithTheArrows(t *testing.T) {
	h := newHarnessOn(t, boot.Options{}, seedProducts(t, 250))
	g := h.till.sale.products.grid
	if g.GetScrollOffset() != 0 {
		t.Fatal("the grid does not start at the top")
	}
	h.till.sale.products.turn(1)
	first := g.GetScrollOffset()
	if first <= 0 {
		t.Fatal("▼ did not turn the page")
	}
	h.till.sale.products.turn(1)
	h.till.sale.products.turn(-1)
	if g.GetScrollOffset() != first {
		t.Fatalf("▼ ▼ ▲ ends at %v, want %v", g.GetScrollOffset(), first)
	}
}

// TestWindowDoesNotGrowWithTheCatalogue: however many products, the sale screen needs no more
// room than the till's window.
func TestWindowDoesNotGrowWithTheCatalogue(t *testing.T) {
	var sizes []fyne.Size
	for _, n := range []int{16, 250, 50_000} {
		h := newHarnessOn(t, boot.Options{}, seedProducts(t, n))
		if h.till.sale.products.index.Len() < n {
			t.Fatalf("%d products: index holds %d", n, h.till.sale.products.index.Len())
		}
		// The screen's own minimum, not the window content's (which is capped at the window).
		min := h.till.sale.content().MinSize()
		if min.Width > WindowSize.Width || min.Height > WindowSize.Height {
			t.Fatalf("%d products: content needs %v, the window is %v", n, min, WindowSize)
		}
		h.till.sale.showLetters() // the search's letter pad must fit too
		h.till.WaitIdle()
		if l := h.till.sale.content().MinSize(); l.Width > WindowSize.Width || l.Height > WindowSize.Height {
			t.Fatalf("%d products, letter pad: content needs %v, the window is %v", n, l, WindowSize)
		}
		h.till.sale.showDigits()
		h.till.WaitIdle()
		if s := h.win.Canvas().Size(); s != WindowSize {
			t.Fatalf("%d products: window %v", n, s)
		}
		sizes = append(sizes, min)
	}
	if sizes[0] != sizes[1] || sizes[1] != sizes[2] {
		t.Fatalf("content minimum sizes for 16, 250, 50000 products: %v", sizes)
	}
}

// TestCatalogueLoadsOffTheUIGoroutine: New returns with the catalogue still loading; the index
// arrives through the bridge.
func TestCatalogueLoadsOffTheUIGoroutine(t *testing.T) {
	h := newHarness(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(WindowSize)
	again := New(w, Deps{Store: h.boot.DB, Checkout: h.boot.Checkout, NewID: storage.NewID, Headless: true})
	t.Cleanup(again.Close)
	if again.sale.products.index != nil || again.sale.products.count.Text != "Caricamento del catalogo…" {
		t.Fatalf("catalogue loaded on the caller's goroutine: %q", again.sale.products.count.Text)
	}
	again.WaitIdle()
	if again.sale.products.index == nil || len(again.sale.products.results) == 0 {
		t.Fatal("catalogue not applied")
	}
}

// BenchmarkSearchKeystroke50k is one keystroke in the sale screen's search over 50,000
// products: the rune (or backspace) through the entry, the index search, and the grid
// redrawing its tiles through fyne's test driver. The keystrokes type a product's name and
// take it back, so they run from a query that matches everything to one that matches a few.
// A frame is 16 ms: p99-ms and max-ms are the slow keystrokes (on a busy machine, the
// scheduler's too).
func BenchmarkSearchKeystroke50k(b *testing.B) {
	h := newHarnessOn(b, boot.Options{}, seedProducts(b, 50_000))
	p := h.till.sale.products
	if p.index.Len() < 50_000 {
		b.Fatalf("index holds %d", p.index.Len())
	}
	h.win.Canvas().Focus(p.search)
	word := []rune("parmigiano stag")
	keystroke := func(i int) {
		if step := i % (2 * len(word)); step < len(word) {
			p.search.TypedRune(word[step])
		} else {
			p.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		}
	}
	for i := range 2 * len(word) { // what the screen drew before the cashier typed
		keystroke(i)
	}
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		keystroke(i)
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
}

// TestScreenshotsOf50kProductsKeepTheDemoSize: screenshots of a shop with 50,000 products (as
// `till screenshots DIR -db PATH` renders them) show the sale screen at the size it has with
// the demo catalogue: the window's.
func TestScreenshotsOf50kProductsKeepTheDemoSize(t *testing.T) {
	saleSize := func(n int) image.Point {
		ctx := context.Background()
		b, err := boot.Open(ctx, filepath.Join(t.TempDir(), "shots.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if n > 0 {
			seedProducts(t, n)(b.DB)
		}
		stop, err := b.StartDemoTerminals(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		dir := t.TempDir()
		if _, err := Screenshots(dir, WindowSize, Deps{Store: b.DB, Devices: b, Customers: b.DB, Configs: b.DB,
			Seller: checkout.DemoSeller(), Checkout: b.Checkout, NewID: storage.NewID, Title: "demo"}); err != nil {
			t.Fatalf("%d products: %v", n, err)
		}
		f, err := os.Open(filepath.Join(dir, "sale.png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cfg, err := png.DecodeConfig(f)
		if err != nil {
			t.Fatal(err)
		}
		return image.Pt(cfg.Width, cfg.Height)
	}
	demo, shop := saleSize(0), saleSize(50_000)
	if demo != shop || demo != image.Pt(int(WindowSize.Width), int(WindowSize.Height)) {
		t.Fatalf("sale screen: %v with the demo catalogue, %v with 50,000 products, window %v", demo, shop, WindowSize)
	}
}

// A catalogue the back office sends while the till is open reaches the sale screen without a
// restart, and the sale being rung up keeps its lines.
func TestCatalogueFromTheBackOfficeReplacesTheProductsOnScreen(t *testing.T) {
	h := newHarness(t)
	h.tap("Caffè\n1,20")
	ctx := context.Background()
	deps, err := h.boot.DB.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap := catalogue.Snapshot{Departments: deps, Products: []checkout.Product{
		{Code: "N1", Name: "Spritz della casa", Price: 650, DepartmentID: deps[0].ID}}}
	if err := h.boot.DB.ApplyPortalCatalogue(ctx, snap, 2, `"2"`); err != nil {
		t.Fatal(err)
	}
	h.till.CatalogueChanged()
	h.till.WaitIdle()
	if x := h.till.sale.products.index; x == nil || x.Len() != 1 || x.At(0).Name != "Spritz della casa" {
		t.Fatalf("index after the new catalogue: %+v", x)
	}
	h.tap("Spritz della casa\n6,50")
	if lines := h.till.register.Sale().Lines; len(lines) != 2 || lines[0].Description != "Caffè" || lines[1].UnitPrice != 650 {
		t.Fatalf("lines %+v", lines)
	}
}
