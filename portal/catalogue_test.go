package portal_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"till/app/checkout"
	"till/money"
	"till/portal"
)

// catalogueTests run on SQLite (TestCatalogueOnSQLite) and PostgreSQL (TestCatalogueOnPostgres).
var catalogueTests = []struct {
	name string
	fn   func(*testing.T, *testPortal)
}{
	{"DepartmentAndCategoryRules", testDepartmentAndCategoryRules},
	{"ProductRulesAndVersion", testProductRulesAndVersion},
	{"PagesAddEditSearchDeactivate", testCataloguePages},
	{"UploadBadFileChangesNothing", testUploadBadFileChangesNothing},
	{"UploadReplaceAndRoundTrip", testUploadReplaceAndRoundTrip},
	{"AnotherAccountCannotSeeTheCatalogue", testAnotherAccountCannotSeeTheCatalogue},
	{"APIServesCatalogueWithETag", testAPIServesCatalogueWithETag},
	{"UploadABigCatalogue", testUploadABigCatalogue},
}

func TestCatalogueOnSQLite(t *testing.T) {
	for _, tt := range catalogueTests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, startPortal(t)) })
	}
}

func TestCatalogueOnPostgres(t *testing.T) {
	pg := startPostgres(t)
	for _, tt := range catalogueTests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, pg.portal(t)) })
	}
}

// refused checks that err is a ValidationError whose message says want.
func refused(t *testing.T, what string, err error, want string) {
	t.Helper()
	var verr *portal.ValidationError
	if !errors.As(err, &verr) || !strings.Contains(verr.Message, want) {
		t.Errorf("%s: got %v, want a refusal saying %q", what, err, want)
	}
}

func testDepartmentAndCategoryRules(t *testing.T, p *testPortal) {
	ctx := context.Background()
	s := newShop(t, p)
	if v := s.info(t, p).CatalogueVersion; v != 0 {
		t.Fatalf("a new sales point has catalogue version %d", v)
	}
	bar, err := p.Store.SaveDepartment(ctx, s.accountID, s.spID, checkout.Department{Number: 1, Name: "Bar", VATRate: 2200})
	if err != nil {
		t.Fatal(err)
	}
	v1 := s.info(t, p).CatalogueVersion
	if _, err := p.Store.SaveDepartment(ctx, s.accountID, s.spID, bar); err != nil || s.info(t, p).CatalogueVersion != v1 {
		t.Fatalf("saving a department unchanged: %v, version %d → %d", err, v1, s.info(t, p).CatalogueVersion)
	}
	for _, c := range []struct {
		d    checkout.Department
		want string
	}{
		{checkout.Department{Number: 1, Name: "Bis", VATRate: 1000}, "numero 1"},
		{checkout.Department{Number: 2, Name: "Esente", VATRate: 0}, "natura"},
		{checkout.Department{Number: 3, Name: "Misto", VATRate: 2200, Nature: "N1"}, "natura"},
		{checkout.Department{Number: 5, Name: "Alta", VATRate: 10000}, "aliquota"},
		{checkout.Department{Number: 6, Name: "Strana", Nature: "N9"}, "natura"},
		{checkout.Department{Number: 0, Name: "Zero", VATRate: 400}, "numero"},
		{checkout.Department{Number: 7, Name: " ", VATRate: 400}, "nome"},
	} {
		_, err := p.Store.SaveDepartment(ctx, s.accountID, s.spID, c.d)
		refused(t, fmt.Sprintf("department %+v", c.d), err, c.want)
	}
	if _, err := p.Store.SaveDepartment(ctx, s.accountID, s.spID, checkout.Department{Number: 4, Name: "Bollo", Nature: "N1"}); err != nil {
		t.Fatal(err)
	}
	cat, err := p.Store.SaveCategory(ctx, s.accountID, s.spID, checkout.Category{Name: "Caffetteria"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Store.SaveCategory(ctx, s.accountID, s.spID, checkout.Category{Name: "  caffetteria "})
	refused(t, "a category named again in lower case", err, "Esiste già")
	cat.Name, cat.Position = "Caffè", 2
	if _, err := p.Store.SaveCategory(ctx, s.accountID, s.spID, cat); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Store.SaveProduct(ctx, s.accountID, s.spID, checkout.Product{Code: "CF", Name: "Caffè", Price: 120,
		DepartmentID: bar.ID, CategoryID: cat.ID, Active: true}); err != nil {
		t.Fatal(err)
	}
	refused(t, "delete a department with products", p.Store.DeleteDepartment(ctx, s.accountID, s.spID, bar.ID), "contiene 1 prodotti")
	deps, _ := p.Store.CatalogueDepartments(ctx, s.accountID, s.spID)
	for _, d := range deps {
		if d.Number == 4 {
			if err := p.Store.DeleteDepartment(ctx, s.accountID, s.spID, d.ID); err != nil {
				t.Fatalf("delete an unused department: %v", err)
			}
		}
	}
	// Deleting the category keeps its product, without one.
	before := s.info(t, p).CatalogueVersion
	if err := p.Store.DeleteCategory(ctx, s.accountID, s.spID, cat.ID); err != nil {
		t.Fatal(err)
	}
	info := s.info(t, p)
	if info.Categories != 0 || info.Products != 1 || info.Departments != 1 || info.CatalogueVersion <= before {
		t.Fatalf("after deleting the category: %+v", info)
	}
	// The last department stays: the tills sell by department.
	lone := newShop(t, p)
	only, err := p.Store.SaveDepartment(ctx, lone.accountID, lone.spID, checkout.Department{Number: 1, Name: "Unico", VATRate: 2200})
	if err != nil {
		t.Fatal(err)
	}
	refused(t, "delete the last department", p.Store.DeleteDepartment(ctx, lone.accountID, lone.spID, only.ID), "ultimo reparto")
}

func testProductRulesAndVersion(t *testing.T, p *testPortal) {
	ctx := context.Background()
	s := newShop(t, p)
	deps := s.departments(t, p)
	save := func(pr checkout.Product) (checkout.Product, error) {
		return p.Store.SaveProduct(ctx, s.accountID, s.spID, pr)
	}
	p1, err := save(checkout.Product{Code: "P1", Name: "Acqua", Price: 150, DepartmentID: deps[1].ID, Barcodes: []string{ean13(1)}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	v := s.info(t, p).CatalogueVersion
	if _, err := save(p1); err != nil || s.info(t, p).CatalogueVersion != v {
		t.Fatalf("saving a product unchanged: %v; version %d → %d", err, v, s.info(t, p).CatalogueVersion)
	}
	badCheck := ean13(2)[:12] + fmt.Sprint((int(ean13(2)[12]-'0')+1)%10)
	for _, c := range []struct {
		name string
		p    checkout.Product
		want string
	}{
		{"code used, other case", checkout.Product{Code: "p1", Name: "Altra", Price: 100, DepartmentID: deps[1].ID}, "già di un altro prodotto"},
		{"barcode check digit", checkout.Product{Code: "P2", Name: "X", Price: 100, DepartmentID: deps[1].ID, Barcodes: []string{badCheck}}, "cifra di controllo"},
		{"barcode too short", checkout.Product{Code: "P2", Name: "X", Price: 100, DepartmentID: deps[1].ID, Barcodes: []string{"12345"}}, "EAN-13"},
		{"negative price", checkout.Product{Code: "P2", Name: "X", Price: -100, DepartmentID: deps[1].ID}, "maggiore di zero"},
		{"zero price", checkout.Product{Code: "P2", Name: "X", Price: 0, DepartmentID: deps[1].ID}, "maggiore di zero"},
		{"price over the maximum", checkout.Product{Code: "P2", Name: "X", Price: money.MaxAmount + 1, DepartmentID: deps[1].ID}, "99.999,99"},
		{"no name", checkout.Product{Code: "P2", Name: " ", Price: 100, DepartmentID: deps[1].ID}, "nome"},
		{"no code", checkout.Product{Name: "X", Price: 100, DepartmentID: deps[1].ID}, "codice"},
		{"no department", checkout.Product{Code: "P2", Name: "X", Price: 100}, "reparto"},
		{"department of nobody", checkout.Product{Code: "P2", Name: "X", Price: 100, DepartmentID: "nope"}, "reparto del punto vendita"},
		{"barcode of an active product", checkout.Product{Code: "P2", Name: "X", Price: 100, DepartmentID: deps[1].ID, Barcodes: []string{ean13(1)}}, "già del prodotto P1"},
	} {
		_, err := save(c.p)
		refused(t, c.name, err, c.want)
	}
	if got := s.info(t, p).CatalogueVersion; got != v {
		t.Fatalf("refused saves moved the version %d → %d", v, got)
	}
	// A product that is not for sale gives up its barcode, as on the till.
	if err := p.Store.SetProductActive(ctx, s.accountID, s.spID, p1.ID, false); err != nil {
		t.Fatal(err)
	}
	p2, err := save(checkout.Product{Code: "P2", Name: "Acqua frizzante", Price: 160, DepartmentID: deps[1].ID, Barcodes: []string{ean13(1)}, Active: true})
	if err != nil {
		t.Fatalf("taking the barcode of an inactive product: %v", err)
	}
	got1, _ := p.Store.Product(ctx, s.accountID, s.spID, p1.ID)
	got2, _ := p.Store.Product(ctx, s.accountID, s.spID, p2.ID)
	if len(got1.Barcodes) != 0 || len(got2.Barcodes) != 1 || got1.Active {
		t.Fatalf("after the move: P1 %+v, P2 %+v", got1, got2)
	}
	if s.info(t, p).CatalogueVersion <= v {
		t.Fatal("changes did not bump the catalogue version")
	}
}

func testCataloguePages(t *testing.T, p *testPortal) {
	ctx := context.Background()
	s := newShop(t, p)
	br := p.login(t, s.email, s.password)
	if _, body := br.get("/catalogo"); !strings.Contains(body, "Bologna Centro") || !strings.Contains(body, "usano ancora il proprio catalogo") {
		t.Fatalf("catalogue index:\n%s", body)
	}
	base := s.base()
	steps := []struct {
		name   string
		path   string
		form   url.Values
		status int
		shows  []string
	}{
		{"department", base + "/reparti", url.Values{"number": {"1"}, "name": {"Bar"}, "vat_rate": {"22"}}, 200, []string{"Reparto salvato"}},
		{"department 5,5%", base + "/reparti", url.Values{"number": {"3"}, "name": {"Editoria"}, "vat_rate": {"5,5"}}, 200, []string{`value="5,5"`}},
		{"department without a nature at 0%, typed values kept", base + "/reparti",
			url.Values{"number": {"2"}, "name": {"Esenti art. 10"}, "vat_rate": {"0"}}, 400, []string{"natura", `value="Esenti art. 10"`}},
		{"department number taken", base + "/reparti", url.Values{"number": {"1"}, "name": {"Doppio"}, "vat_rate": {"10"}}, 400,
			[]string{"numero 1", `value="Doppio"`}},
		{"department number not a number", base + "/reparti", url.Values{"number": {"uno"}, "name": {"X"}, "vat_rate": {"10"}}, 400,
			[]string{"stampante fiscale", `value="uno"`}},
		{"department with a nature", base + "/reparti", url.Values{"number": {"2"}, "name": {"Esenti"}, "vat_rate": {"0"}, "nature": {"N4"}}, 200,
			[]string{"Reparto salvato"}},
		{"category", base + "/categorie", url.Values{"name": {"Caffetteria"}}, 200, []string{"Categoria salvata"}},
		{"category twice", base + "/categorie", url.Values{"name": {"CAFFETTERIA"}}, 400, []string{"Esiste già", `value="CAFFETTERIA"`}},
	}
	for _, st := range steps {
		code, body := br.submit(st.path, st.form)
		if code != st.status {
			t.Fatalf("%s: status %d, want %d\n%s", st.name, code, st.status, body)
		}
		for _, want := range st.shows {
			if !strings.Contains(body, want) {
				t.Fatalf("%s: page lacks %q\n%s", st.name, want, body)
			}
		}
	}
	deps, _ := p.Store.CatalogueDepartments(ctx, s.accountID, s.spID)
	cats, _ := p.Store.CatalogueCategories(ctx, s.accountID, s.spID)
	if len(deps) != 3 || deps[2].VATRate != 550 || deps[1].Nature != "N4" || len(cats) != 1 {
		t.Fatalf("stored departments %+v, categories %+v", deps, cats)
	}
	product := url.Values{"code": {"CF01"}, "name": {"Caffè espresso"}, "price": {"abc"}, "department": {deps[0].ID},
		"category": {cats[0].ID}, "barcodes": {ean13(900007)}}
	code, body := br.submit(base+"/prodotti", product)
	if code != 400 || !strings.Contains(body, "non è un prezzo") || !strings.Contains(body, `value="Caffè espresso"`) || !strings.Contains(body, ean13(900007)) {
		t.Fatalf("bad price: %d\n%s", code, body)
	}
	product.Set("price", "1,20")
	if code, body := br.submit(base+"/prodotti", product); code != 200 || !strings.Contains(body, "Prodotto salvato") || !strings.Contains(body, "1,20 €") {
		t.Fatalf("save product: %d\n%s", code, body)
	}
	for _, q := range []string{"espre", "cf01", ean13(900007)} {
		if _, body := br.get(base + "?q=" + url.QueryEscape(q)); !strings.Contains(body, "Caffè espresso") {
			t.Errorf("search %q does not find the product", q)
		}
	}
	if _, body := br.get(base + "?q=" + url.QueryEscape("100%")); strings.Contains(body, "Caffè espresso") {
		t.Error("a search with % matched everything")
	}

	// 120 products make three pages of 50.
	if _, err := p.Store.ImportCatalogue(ctx, s.accountID, s.spID, rows(119), false); err != nil {
		t.Fatal(err)
	}
	_, body = br.get(base)
	if n := strings.Count(body, `<tr id="prodotto-`); n != 50 || !strings.Contains(body, "120 prodotti") || !strings.Contains(body, "pagina 1 di 3") {
		t.Fatalf("page 1 has %d rows\n%s", n, body)
	}
	_, body = br.get(base + "?pagina=3")
	if n := strings.Count(body, `<tr id="prodotto-`); n != 20 {
		t.Fatalf("page 3 has %d rows", n)
	}
	if _, body = br.get(base + "?pagina=999"); !strings.Contains(body, "pagina 3 di 3") {
		t.Fatal("a page past the end is not the last one")
	}

	// Deactivate from the list, reactivate by editing.
	list, _ := p.Store.SearchProducts(ctx, s.accountID, s.spID, "CF01", 1)
	id := list.Products[0].ID
	if code, body := br.submit(base+"/prodotti/"+id+"/attivo", url.Values{"attivo": {"no"}, "q": {"CF01"}}); code != 200 || !strings.Contains(body, "Disattivato") {
		t.Fatalf("deactivate: %d\n%s", code, body)
	}
	_, body = br.get(base + "/prodotti/" + id)
	if !strings.Contains(body, `value="1,20"`) || strings.Contains(body, "checked") {
		t.Fatalf("edit page of an inactive product:\n%s", body)
	}
	edit := url.Values{"name": {"Caffè"}, "price": {"1,30"}, "department": {deps[0].ID}, "category": {""}, "barcodes": {ean13(900007)}, "active": {"si"}}
	if code, _ := br.submit(base+"/prodotti/"+id, edit); code != 200 {
		t.Fatalf("edit: %d", code)
	}
	got, _ := p.Store.Product(ctx, s.accountID, s.spID, id)
	if !got.Active || got.Price != 130 || got.Name != "Caffè" || got.CategoryID != "" || got.Code != "CF01" {
		t.Fatalf("after edit: %+v", got)
	}
}

// badFile has a row for every field a catalogue file can get wrong; want is what the page
// must list for it, by line and column.
const badFile = "code;barcode;name;price;department;category\r\n" +
	";%[1]s;Senza codice;1,00;1;\r\n" + // 2
	"A1;12345;Codice a barre corto;1,00;1;\r\n" + // 3
	"A2;%[2]s;Cifra di controllo;1,00;1;\r\n" + // 4
	"A3;;;1,00;1;\r\n" + // 5
	"A4;;Prezzo negativo;-1,00;1;\r\n" + // 6
	"A5;;Prezzo in lettere;uno;1;\r\n" + // 7
	"A6;;Reparto che non c'è;1,00;9;\r\n" + // 8
	"a6;;Codice doppio;1,00;1;\r\n" + // 9
	"A7;;Colonne mancanti;1,00\r\n" + // 10
	"A8;;Prezzo zero;0;1;\r\n" + // 11
	"A9;%[1]s;Codice a barre doppio;1,00;1;\r\n" + // 12
	"A10;;Senza reparto;1,00;;\r\n" + // 13
	"A11;;Prezzo vuoto;;1;\r\n" // 14

func testUploadBadFileChangesNothing(t *testing.T, p *testPortal) {
	ctx := context.Background()
	s := newShop(t, p)
	s.departments(t, p)
	if _, err := p.Store.ImportCatalogue(ctx, s.accountID, s.spID, rows(3), false); err != nil {
		t.Fatal(err)
	}
	before := s.info(t, p)
	br := p.login(t, s.email, s.password)
	br.get(s.base() + "/importa")
	wrong := ean13(42)[:12] + fmt.Sprint((int(ean13(42)[12]-'0')+3)%10)
	file := fmt.Sprintf(badFile, ean13(99), wrong)
	code, body := br.upload(s.base()+"/importa", "listino.csv", []byte(file), true)
	want := [][2]string{{"2", "codice"}, {"3", "codice a barre"}, {"4", "codice a barre"}, {"5", "nome"}, {"6", "prezzo"},
		{"7", "prezzo"}, {"8", "reparto"}, {"9", "codice"}, {"10", "—"}, {"11", "prezzo"}, {"12", "codice a barre"},
		{"13", "reparto"}, {"14", "prezzo"}}
	got := problems(body)
	if code != http.StatusBadRequest || len(got) != len(want) || !strings.Contains(body, "nessun prodotto è stato cambiato") {
		t.Fatalf("bad file: status %d, %d problems %q\n%s", code, len(got), got, body)
	}
	for i, w := range want {
		if got[i][0] != w[0] || got[i][1] != w[1] {
			t.Errorf("problem %d: line %s column %s (%s), want line %s column %s", i, got[i][0], got[i][1], got[i][2], w[0], w[1])
		}
	}
	for _, text := range []string{"già presente alla riga 8", "già presente alla riga 2", "reparto «9» inesistente", "colonne invece di 6"} {
		if !strings.Contains(body, text) {
			t.Errorf("the problems do not say %q", text)
		}
	}
	if !strings.Contains(body, `id="sostituisci" checked`) {
		t.Error("the refused upload lost the replace choice")
	}
	for _, c := range []struct {
		name, file, shows string
	}{
		{"no header", "A1;;Caffè;1,00;1;\n", "intestazione"},
		{"only the header", "code;barcode;name;price;department;category\n", "non contiene prodotti"},
		{"Windows-1252 text", "code;barcode;name;price;department;category\nA1;;Caff\xe8;1,00;1;\n", "UTF-8"},
		{"open quote", "code;barcode;name;price;department;category\nA1;;\"Caffè;1,00;1;\n", "virgolette"},
		{"barcode of an active product the file does not list", "code;barcode;name;price;department;category\nNEW;" + ean13(1) + ";Nuovo;1,00;1;\n",
			"già usato dal prodotto P00001"},
	} {
		code, body := br.upload(s.base()+"/importa", "listino.csv", []byte(c.file), false)
		if code != http.StatusBadRequest || !strings.Contains(body, c.shows) {
			t.Errorf("%s: status %d, page lacks %q\n%s", c.name, code, c.shows, body)
		}
	}
	if code, body := br.upload(s.base()+"/importa", "vuoto.csv", nil, false); code != http.StatusBadRequest {
		t.Errorf("an empty upload: %d\n%s", code, body)
	}
	if after := s.info(t, p); after != before {
		t.Fatalf("refused uploads changed the catalogue: %+v → %+v", before, after)
	}
}

func testUploadReplaceAndRoundTrip(t *testing.T, p *testPortal) {
	s := newShop(t, p)
	s.departments(t, p)
	br := p.login(t, s.email, s.password)
	br.get(s.base() + "/importa")
	first := rows(3)
	code, body := br.upload(s.base()+"/importa", "listino.csv", csvFile(t, first), false)
	if code != 200 || !strings.Contains(body, `<span id="aggiunti">3</span>`) || !strings.Contains(body, "Categorie nuove: Bevande, Dolci, Varie") {
		t.Fatalf("first upload: %d\n%s", code, body)
	}
	v := s.info(t, p).CatalogueVersion
	// The download reads back to the same catalogue: uploading it changes nothing.
	resp, err := br.c.Get(p.URL + s.base() + "/prodotti.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, exported := br.read(resp)
	if resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(resp.Header.Get("Content-Disposition"), "catalogo-Bologna-Centro.csv") {
		t.Fatalf("download headers %v", resp.Header)
	}
	code, body = br.upload(s.base()+"/importa", "catalogo.csv", []byte(exported), true)
	if code != 200 || !strings.Contains(body, "Nessun cambiamento") || s.info(t, p).CatalogueVersion != v {
		t.Fatalf("upload of the download: %d, version %d → %d\n%s", code, v, s.info(t, p).CatalogueVersion, body)
	}
	// Replace: the product the file leaves out is deactivated, and its barcode may move.
	second := rows(3)[:2]
	second[1].Price = 999
	second[0].Barcodes = []string{ean13(1), ean13(3)}
	code, body = br.upload(s.base()+"/importa", "listino.csv", csvFile(t, second), true)
	if code != 200 || !strings.Contains(body, `<span id="aggiornati">2</span>`) || !strings.Contains(body, `<span id="disattivati">1</span>`) {
		t.Fatalf("replace upload: %d\n%s", code, body)
	}
	info := s.info(t, p)
	if info.Products != 3 || info.ActiveProducts != 2 || info.CatalogueVersion != v+1 {
		t.Fatalf("after replace: %+v (version was %d)", info, v)
	}
	list, _ := p.Store.SearchProducts(context.Background(), s.accountID, s.spID, ean13(3), 1)
	if len(list.Products) != 1 || list.Products[0].Code != "P00001" {
		t.Fatalf("the barcode of the deactivated product did not move: %+v", list.Products)
	}
	// The file names the deactivated product again: it is for sale again, and its barcode
	// comes back from the product the file gives other barcodes.
	code, body = br.upload(s.base()+"/importa", "listino.csv", csvFile(t, rows(3)), false)
	if code != 200 || !strings.Contains(body, `<span id="aggiornati">3</span>`) || s.info(t, p).ActiveProducts != 3 {
		t.Fatalf("upload reactivating: %d\n%s", code, body)
	}
}

func testAnotherAccountCannotSeeTheCatalogue(t *testing.T, p *testPortal) {
	s, other := newShop(t, p), newShop(t, p)
	deps := s.departments(t, p)
	intruder := p.login(t, other.email, other.password)
	if _, body := intruder.get("/catalogo"); strings.Contains(body, s.spID) {
		t.Fatal("the catalogue index lists another account's sales point")
	}
	for _, path := range []string{s.base(), s.base() + "/reparti", s.base() + "/importa", s.base() + "/prodotti.csv",
		s.base() + "/prodotti/nuovo"} {
		if code, _ := intruder.get(path); code != http.StatusNotFound {
			t.Errorf("GET %s by another account: %d", path, code)
		}
	}
	intruder.get("/catalogo")
	posts := []struct {
		path string
		form url.Values
	}{
		{s.base() + "/reparti", url.Values{"number": {"8"}, "name": {"Intruso"}, "vat_rate": {"22"}}},
		{s.base() + "/reparti/" + deps[1].ID, url.Values{"number": {"1"}, "name": {"Preso"}, "vat_rate": {"22"}}},
		{s.base() + "/reparti/" + deps[4].ID + "/elimina", nil},
		{s.base() + "/categorie", url.Values{"name": {"Intrusa"}}},
		{s.base() + "/prodotti", url.Values{"code": {"X"}, "name": {"X"}, "price": {"1"}, "department": {deps[1].ID}}},
	}
	for _, post := range posts {
		if code, _ := intruder.submit(post.path, post.form); code != http.StatusNotFound {
			t.Errorf("POST %s by another account: %d", post.path, code)
		}
	}
	if code, _ := intruder.upload(s.base()+"/importa", "x.csv", csvFile(t, rows(1)), false); code != http.StatusNotFound {
		t.Errorf("upload by another account: %d", code)
	}
	// A department of another sales point cannot be used either, even by id.
	other.departments(t, p)
	if _, err := p.Store.SaveProduct(context.Background(), other.accountID, other.spID,
		checkout.Product{Code: "X", Name: "X", Price: 100, DepartmentID: deps[1].ID}); err == nil {
		t.Error("a product was saved in another sales point's department")
	}
	info := s.info(t, p)
	if info.Departments != 3 || info.Products != 0 || info.Categories != 0 {
		t.Fatalf("the intruder changed the catalogue: %+v", info)
	}
	// Without the CSRF token an upload changes nothing, even by the owner.
	owner := p.login(t, s.email, s.password)
	owner.csrf = "wrong"
	if code, _ := owner.upload(s.base()+"/importa", "x.csv", csvFile(t, rows(1)), false); code != http.StatusForbidden {
		t.Errorf("upload without the CSRF token: %d", code)
	}
	if s.info(t, p).Products != 0 {
		t.Fatal("an upload without the CSRF token was applied")
	}
}
