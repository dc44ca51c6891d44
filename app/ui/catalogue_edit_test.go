package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"till/app/boot"
	"till/app/catalogue"
	"till/app/checkout"
	"till/storage"
)

// openCatalogue goes from the sale screen to the catalogue screen through Impostazioni.
func (h *harness) openCatalogue() *catalogueScreen {
	h.t.Helper()
	h.tap("Impostazioni", "Catalogo")
	if h.till.current != h.till.cat || !h.till.cat.loaded {
		h.t.Fatalf("catalogue screen not open: %T", h.till.current)
	}
	return h.till.cat
}

// findListed selects the listed entry whose row starts with prefix.
func (c *catalogueScreen) findListed(t *testing.T, prefix string) {
	t.Helper()
	for i := 0; i < c.length(); i++ {
		r := newRowFor(c, i)
		if strings.HasPrefix(r, prefix) {
			c.list.Select(i)
			return
		}
	}
	t.Fatalf("no row %q listed", prefix)
}

func newRowFor(c *catalogueScreen, i int) string {
	switch c.tab {
	case tabCategories:
		return c.cats[i].Name
	case tabDepartments:
		return deptChoice(c.depts[i])
	}
	p := c.index.At(c.results[i])
	return p.Code + " · " + p.Name
}

func TestCatalogueEditorAddsAProductTheSaleScreenSells(t *testing.T) {
	h := newHarness(t)
	c := h.openCatalogue()
	f := c.forms[tabProducts].(*productForm)
	h.tap("Nuovo prodotto")
	barcode := withCheckDigit("800555666777")
	test.Type(f.code, "GEL01")
	test.Type(f.name, "Gelato al pistacchio")
	test.Type(f.price, "2,80")
	test.Type(f.barcodes, barcode)
	f.dept.SetSelected(deptChoice(c.depts[0]))
	h.tap("Salva")
	if !strings.Contains(c.message.Text, "GEL01 salvato") {
		t.Fatalf("message %q", c.message.Text)
	}
	h.tap("Indietro", "Indietro")
	if h.till.current != h.till.sale {
		t.Fatalf("back on %T", h.till.current)
	}
	h.typeKeys(barcode + "\n")
	if l := h.lastLine(); l.Description != "Gelato al pistacchio" || l.UnitPrice != 280 || l.Department.ID != c.depts[0].ID {
		t.Fatalf("scanned the new product: %+v", l)
	}
}

func TestCatalogueEditorChangesAndTakesAProductOffSale(t *testing.T) {
	h := newHarness(t)
	c := h.openCatalogue()
	test.Type(c.search, "cappuccino")
	if c.length() != 1 {
		t.Fatalf("search cappuccino lists %d", c.length())
	}
	c.findListed(t, "")
	f := c.forms[tabProducts].(*productForm)
	if f.name.Text != "Cappuccino" || f.price.Text != "1,60" || !f.active.Checked {
		t.Fatalf("form: %q %q %v", f.name.Text, f.price.Text, f.active.Checked)
	}
	f.price.SetText("1,70")
	h.tap("Salva")
	if p := h.till.sale.products; len(p.index.Search("cappuccino", "", nil)) != 1 ||
		p.index.At(p.index.Search("cappuccino", "", nil)[0]).Price != 170 {
		t.Fatal("the sale screen does not sell the new price")
	}
	f.active.SetChecked(false)
	h.tap("Salva")
	if got := h.till.sale.products.index.Search("cappuccino", "", nil); len(got) != 0 {
		t.Fatalf("an inactive product is still on sale: %v", got)
	}
	// Still listed here, to bring it back.
	test.Type(c.search, " ")
	if c.length() != 1 || c.index.At(c.results[0]).Active {
		t.Fatalf("after deactivating: %d listed", c.length())
	}
}

func TestCatalogueEditorSaysWhatIsWrong(t *testing.T) {
	h := newHarness(t)
	c := h.openCatalogue()
	f := c.forms[tabProducts].(*productForm)
	h.tap("Nuovo prodotto")
	test.Type(f.code, "CAF01") // the demo coffee's code
	test.Type(f.name, "Doppione")
	test.Type(f.price, "dieci")
	h.tap("Salva")
	if !strings.Contains(c.message.Text, "prezzo") || !strings.Contains(c.message.Text, "dieci") {
		t.Fatalf("bad price: %q", c.message.Text)
	}
	f.price.SetText("1,00")
	h.tap("Salva")
	msg := c.message.Text
	if !strings.Contains(msg, "Non salvato") || !strings.Contains(msg, "CAF01") || !strings.Contains(msg, "reparto") {
		t.Fatalf("duplicate code and no department: %q", msg)
	}
	all, _ := h.boot.DB.AllProducts(context.Background())
	for _, p := range all {
		if p.Name == "Doppione" {
			t.Fatal("a refused product was saved")
		}
	}
}

func TestCatalogueEditorAddsCategoriesAndDepartments(t *testing.T) {
	h := newHarness(t)
	c := h.openCatalogue()
	h.tap("Categorie", "Nuova categoria")
	cf := c.forms[tabCategories].(*categoryForm)
	test.Type(cf.name, "Gelati")
	h.tap("Salva")
	h.tap("Reparti", "Nuovo reparto")
	df := c.forms[tabDepartments].(*departmentForm)
	if df.nature.Disabled() != (df.vat.Selected != "0%") {
		t.Fatalf("nature enabled with %q", df.vat.Selected)
	}
	test.Type(df.name, "Bollo")
	df.vat.SetSelected("0%")
	if df.nature.Disabled() {
		t.Fatal("no nature to choose with 0%")
	}
	df.nature.SetSelected("N2")
	h.tap("Salva")
	if !strings.Contains(c.message.Text, "Bollo salvato") {
		t.Fatalf("department: %q", c.message.Text)
	}
	var dept checkout.Department
	for _, d := range h.till.depts {
		if d.Name == "Bollo" {
			dept = d
		}
	}
	if dept.Nature != "N2" || dept.VATRate != 0 || dept.Number != 5 {
		t.Fatalf("sale screen departments: %+v", h.till.depts)
	}
	cats := h.till.sale.products.cats
	if len(cats) == 0 || cats[len(cats)-1].Name != "Gelati" {
		t.Fatalf("sale screen categories: %+v", cats)
	}
}

func TestCatalogueFromTheBackOfficeIsReadOnly(t *testing.T) {
	h := newHarnessOn(t, boot.Options{}, func(db *storage.DB) {
		ctx := context.Background()
		deps, _ := db.Departments(ctx)
		snap := catalogue.Snapshot{Departments: deps, Products: []checkout.Product{
			{ID: "p1", Code: "X1", Name: "Dal portale", Price: 100, DepartmentID: deps[0].ID, Active: true}}}
		if err := db.ApplyPortalCatalogue(ctx, snap, 7, "etag"); err != nil {
			t.Fatal(err)
		}
	})
	c := h.openCatalogue()
	f := c.forms[tabProducts].(*productForm)
	if !c.readOnly || !c.note.Visible() || !strings.Contains(c.note.Text, "back office") || c.newBtn.Visible() ||
		c.saveBtn.Visible() || !f.name.Disabled() {
		t.Fatalf("portal catalogue editable: readOnly %v note %q", c.readOnly, c.note.Text)
	}
	c.findListed(t, "X1")
	if f.name.Text != "Dal portale" {
		t.Fatalf("the form does not show the product: %q", f.name.Text)
	}
}
