package storage

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"till/app/catalogue"
	"till/app/checkout"
	"till/money"
)

// demoShop is a till database with the demo catalogue.
func demoShop(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "till.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// fileRows is the catalogue as an export writes it: active products, departments by number,
// categories by name.
func fileRows(t *testing.T, db *DB) []catalogue.Row {
	t.Helper()
	ctx := context.Background()
	prods, err := db.Products(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deps, _ := db.Departments(ctx)
	cats, _ := db.Categories(ctx)
	return catalogue.Rows(prods, deps, cats)
}

func byCode(t *testing.T, db *DB) map[string]checkout.Product {
	t.Helper()
	all, err := db.AllProducts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]checkout.Product{}
	for _, p := range all {
		out[p.Code] = p
	}
	return out
}

func problemsOf(t *testing.T, err error) []catalogue.Problem {
	t.Helper()
	var inv *catalogue.Invalid
	if !errors.As(err, &inv) {
		t.Fatalf("err = %v, want a *catalogue.Invalid", err)
	}
	return inv.Problems
}

func TestSeedDemoLooksLikeABar(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	cats, _ := db.Categories(ctx)
	var names []string
	for _, c := range cats {
		names = append(names, c.Name)
	}
	if !reflect.DeepEqual(names, []string{"Caffetteria", "Bevande", "Cucina", "Alimentari", "Varie"}) {
		t.Fatalf("categories %v", names)
	}
	prods, _ := db.Products(ctx)
	if len(prods) != len(demoProducts) || len(prods) < 25 {
		t.Fatalf("%d products", len(prods))
	}
	codes, barcodes := map[string]bool{}, 0
	for i, p := range prods {
		if p.Code != demoProducts[i].code || p.CategoryID == "" || !p.Active || codes[p.Code] {
			t.Errorf("product %d: %+v", i, p)
		}
		codes[p.Code] = true
		for _, b := range p.Barcodes {
			barcodes++
			if !catalogue.ValidBarcode(b) {
				t.Errorf("%s: barcode %s has a wrong check digit", p.Code, b)
			}
		}
	}
	if barcodes < 8 {
		t.Errorf("%d barcodes; the demo should show scanning", barcodes)
	}
	if m, _ := db.CatalogueMeta(ctx); m != (CatalogueMeta{}) {
		t.Errorf("the demo has an origin: %+v", m)
	}
}

func TestImportTheExportChangesNothing(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	before, _ := db.AllProducts(ctx)
	for _, replace := range []bool{false, true} {
		res, err := db.ImportCatalogue(ctx, fileRows(t, db), replace)
		if err != nil || res != (ImportResult{}) {
			t.Fatalf("replace=%v: %+v %v, want no changes", replace, res, err)
		}
	}
	after, _ := db.AllProducts(ctx)
	if !reflect.DeepEqual(before, after) {
		t.Fatal("the products changed")
	}
	if m, _ := db.CatalogueMeta(ctx); m.Source != "" {
		t.Errorf("an import that changed nothing recorded an origin: %+v", m)
	}
}

func TestImportAddsUpdatesAndReplaces(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	rows := fileRows(t, db)
	rows[0].Price = 130                          // Caffè costs more
	rows[1].Code = "caf02"                       // the same product, another case
	rows[9].Barcodes = []string{"8001505005707"} // Acqua 50cl: a new barcode for its old one
	rows[2].Category = "caffetteria"             // the same category
	rows = append(rows[:3], rows[4:]...)         // Caffè d'orzo is left out
	rows = append(rows, catalogue.Row{Code: "GEL01", Name: "Gelato", Price: 250, Department: 1, Category: "Gelati"},
		catalogue.Row{Code: "GEL02", Name: "Ghiacciolo", Price: 150, Department: 1, Category: "gelati", Barcodes: []string{"96385074"}})

	res, err := db.ImportCatalogue(ctx, rows, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportResult{Added: 2, Updated: 3}); res != want {
		t.Fatalf("%+v, want %+v", res, want)
	}
	p := byCode(t, db)
	if p["CAF01"].Price != 130 || p["caf02"].Name != "Cappuccino" || !p["CAF04"].Active ||
		!slices.Equal(p["BEV01"].Barcodes, []string{"8001505005707"}) || p["GEL02"].CategoryID != p["GEL01"].CategoryID {
		t.Fatalf("products after the import: %+v", p)
	}
	cats, _ := db.Categories(ctx)
	if len(cats) != 6 || cats[5].Name != "Gelati" {
		t.Fatalf("categories %+v, want Gelati added once, at the end", cats)
	}
	prods, _ := db.Products(ctx)
	if prods[len(prods)-1].Code != "GEL02" || prods[3].Code != "CAF04" {
		t.Fatalf("without replace the old products keep their place and new ones go last")
	}
	if m, _ := db.CatalogueMeta(ctx); m.Source != catalogue.SourceLocal || m.Version != 0 || m.UpdatedAt.IsZero() {
		t.Errorf("origin %+v", m)
	}

	res, err = db.ImportCatalogue(ctx, rows, true)
	if err != nil || res != (ImportResult{Deactivated: 1}) {
		t.Fatalf("replace: %+v %v, want Caffè d'orzo deactivated", res, err)
	}
	prods, _ = db.Products(ctx)
	if len(prods) != len(rows) || prods[3].Code != rows[3].Code {
		t.Fatalf("with replace the file is the catalogue, in its order")
	}
	if orzo := byCode(t, db)["CAF04"]; orzo.Active || orzo.ID == "" {
		t.Fatalf("Caffè d'orzo must stay, inactive: %+v", orzo)
	}
	// Back in the file, it is active again.
	res, err = db.ImportCatalogue(ctx, []catalogue.Row{{Code: "CAF04", Name: "Caffè d'orzo", Price: 140, Department: 1}}, false)
	if err != nil || res != (ImportResult{Updated: 1}) || !byCode(t, db)["CAF04"].Active {
		t.Fatalf("reactivate: %+v %v", res, err)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	before, _ := db.AllProducts(ctx)
	cola := byCode(t, db)["BEV04"].Barcodes[0]
	tests := []struct {
		name    string
		rows    []catalogue.Row
		replace bool
		want    []catalogue.Problem
	}{
		{"no rows", nil, true, []catalogue.Problem{{Code: catalogue.ProblemEmpty}}},
		{"a barcode another product keeps", []catalogue.Row{
			{Line: 2, Code: "NEW1", Name: "Nuovo", Price: 100, Department: 1, Category: "Nuova"},
			{Line: 3, Code: "NEW2", Name: "Nuovo 2", Price: 100, Department: 1, Barcodes: []string{cola}},
		}, false, []catalogue.Problem{{Line: 3, Field: "barcode", Code: catalogue.ProblemDuplicate, Value: cola, Holder: "BEV04"}}},
		{"a department that does not exist", []catalogue.Row{
			{Line: 2, Code: "NEW1", Name: "Nuovo", Price: 100, Department: 9},
		}, true, []catalogue.Problem{{Line: 2, Field: "department", Code: catalogue.ProblemDepartment, Value: "9"}}},
		{"rows that skipped Parse", []catalogue.Row{
			{Line: 2, Code: "NEW1", Name: "Nuovo", Price: 0, Department: 1, Barcodes: []string{"123"}},
			{Line: 3, Code: "new1", Name: "Nuovo", Price: 100, Department: 1},
		}, true, []catalogue.Problem{
			{Line: 2, Field: "price", Code: catalogue.ProblemPriceRange, Value: "0,00"},
			{Line: 2, Field: "barcode", Code: catalogue.ProblemBarcode, Value: "123"},
			{Line: 3, Field: "code", Code: catalogue.ProblemDuplicate, Value: "new1", OtherLine: 2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.ImportCatalogue(ctx, tt.rows, tt.replace)
			if got := problemsOf(t, err); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("problems %+v, want %+v", got, tt.want)
			}
		})
	}
	after, _ := db.AllProducts(ctx)
	cats, _ := db.Categories(ctx)
	if !reflect.DeepEqual(before, after) || len(cats) != len(demoCategories) {
		t.Fatal("a refused import changed the catalogue")
	}
}

func TestImportMovesBarcodes(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	p := byCode(t, db)
	cola := p["BEV04"].Barcodes // two barcodes
	// Within the file: the cola gives one barcode to the orange soda.
	rows := fileRows(t, db)
	for i := range rows {
		switch rows[i].Code {
		case "BEV04":
			rows[i].Barcodes = cola[:1]
		case "BEV05":
			rows[i].Barcodes = append(rows[i].Barcodes, cola[1])
		}
	}
	if res, err := db.ImportCatalogue(ctx, rows, false); err != nil || res.Updated != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	// With replace, a product left out gives up its barcode to one in the file.
	water := byCode(t, db)["BEV01"].Barcodes[0]
	rows = []catalogue.Row{{Code: "ACQ", Name: "Acqua naturale", Price: 100, Department: 1, Barcodes: []string{water}}}
	if res, err := db.ImportCatalogue(ctx, rows, true); err != nil || res.Added != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	idx := catalogue.NewIndex(mustProducts(t, db))
	for code, owner := range map[string]string{water: "ACQ"} {
		if i, ok := idx.ByBarcode(code); !ok || idx.At(i).Code != owner {
			t.Errorf("barcode %s: want %s", code, owner)
		}
	}
	p = byCode(t, db)
	if !slices.Equal(p["BEV04"].Barcodes, cola[:1]) || !slices.Contains(p["BEV05"].Barcodes, cola[1]) || len(p["BEV01"].Barcodes) != 0 {
		t.Fatalf("barcodes: BEV04 %v BEV05 %v BEV01 %v", p["BEV04"].Barcodes, p["BEV05"].Barcodes, p["BEV01"].Barcodes)
	}
}

func mustProducts(t *testing.T, db *DB) []checkout.Product {
	t.Helper()
	prods, err := db.Products(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return prods
}

func TestApplyPortalCatalogue(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	old := byCode(t, db)
	snap := catalogue.Snapshot{
		Departments: []checkout.Department{
			{ID: "pd2", Number: 2, Name: "Ristorante", VATRate: 1000},
			{ID: "pd1", Number: 1, Name: "Bar", VATRate: 2200},
			{ID: "pd5", Number: 5, Name: "Giornali", Nature: "N2.2"},
		},
		Categories: []checkout.Category{{ID: "pc1", Name: "bevande", Position: 1}, {ID: "pc2", Name: "Edicola", Position: 0}},
		Products: []checkout.Product{
			{ID: "pp1", Code: "BEV01", Name: "Acqua naturale 50cl", Price: 160, DepartmentID: "pd1", CategoryID: "pc1", Barcodes: old["BEV01"].Barcodes},
			{ID: "pp2", Code: "GIO01", Name: "Quotidiano", Price: 180, DepartmentID: "pd5", CategoryID: "pc2", Barcodes: []string{"96385074"}},
			{ID: "pp3", Code: "CUC01", Name: "Menu pranzo", Price: 1300, DepartmentID: "pd2"},
		},
	}
	if err := db.ApplyPortalCatalogue(ctx, snap, 7, `"v7"`); err != nil {
		t.Fatal(err)
	}
	deps, _ := db.Departments(ctx)
	var got []string
	for _, d := range deps {
		got = append(got, d.Name+" "+d.VATRate.String()+d.Nature)
	}
	// Renamed, kept, added in the snapshot's order; number 3 and 4 stay after them.
	if want := []string{"Ristorante 10%", "Bar 22%", "Giornali 0%N2.2", "Alimentari 4%", "Escluso art. 15 0%N1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("departments %q, want %q", got, want)
	}
	cats, _ := db.Categories(ctx)
	if len(cats) != 2 || cats[0].Name != "Edicola" || cats[1].Name != "bevande" || cats[1].ID != old["BEV01"].CategoryID {
		t.Fatalf("categories %+v: want Edicola, then the old Bevande renamed; the rest removed", cats)
	}
	prods := mustProducts(t, db)
	if len(prods) != 3 || prods[0].Code != "BEV01" || prods[0].ID != old["BEV01"].ID || prods[0].Price != 160 ||
		prods[1].DepartmentID != deps[2].ID || prods[1].CategoryID != cats[0].ID || prods[1].ID == "pp2" ||
		prods[2].CategoryID != "" || prods[2].DepartmentID != deps[0].ID {
		t.Fatalf("products %+v", prods)
	}
	all := byCode(t, db)
	if caffe := all["CAF01"]; caffe.Active || caffe.CategoryID != "" {
		t.Fatalf("Caffè, left out, must stay inactive and lose its removed category: %+v", caffe)
	}
	m, _ := db.CatalogueMeta(ctx)
	if m.Version != 7 || m.ETag != `"v7"` || m.Source != catalogue.SourcePortal {
		t.Fatalf("origin %+v", m)
	}

	// A bad snapshot changes nothing, not even the origin.
	bad := snap
	bad.Products = append(slices.Clone(snap.Products), checkout.Product{Code: "X", Name: "X", Price: 100, DepartmentID: "pd9"})
	if err := db.ApplyPortalCatalogue(ctx, bad, 8, `"v8"`); !errors.Is(err, catalogue.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if m2, _ := db.CatalogueMeta(ctx); m2 != m || !reflect.DeepEqual(byCode(t, db), all) {
		t.Fatal("a refused snapshot changed the catalogue")
	}

	// From now on the back office owns the catalogue: every edit on the till is refused inside
	// its transaction and changes nothing, the origin included.
	p := prods[0]
	p.Price = 1
	edits := map[string]error{
		"import": func() error {
			_, err := db.ImportCatalogue(ctx, []catalogue.Row{{Line: 2, Code: "Z1", Name: "Z", Price: 100, Department: 1}}, false)
			return err
		}(),
		"product":    db.SaveProduct(ctx, p),
		"active":     db.SetProductActive(ctx, p.ID, false),
		"category":   db.SaveCategory(ctx, checkout.Category{Name: "Nuova"}),
		"department": db.SaveDepartment(ctx, checkout.Department{Number: 9, Name: "Nuovo", VATRate: 2200}),
	}
	for name, err := range edits {
		if !errors.Is(err, ErrCatalogueManaged) {
			t.Errorf("%s on a catalogue from the back office: %v, want ErrCatalogueManaged", name, err)
		}
	}
	if m3, _ := db.CatalogueMeta(ctx); m3 != m || !reflect.DeepEqual(byCode(t, db), all) {
		t.Fatal("a refused local edit changed the catalogue or its origin")
	}
}

func TestSaveProduct(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	deps, _ := db.Departments(ctx)
	cats, _ := db.Categories(ctx)
	old := byCode(t, db)
	p := checkout.Product{ID: NewID(), Code: " NEW1 ", Name: "Spritz", Price: 600, DepartmentID: deps[0].ID, CategoryID: cats[1].ID,
		Barcodes: []string{"96385074"}}
	if err := db.SaveProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	prods := mustProducts(t, db)
	last := prods[len(prods)-1]
	if last.ID != p.ID || last.Code != "NEW1" || !last.Active || !slices.Equal(last.Barcodes, p.Barcodes) {
		t.Fatalf("saved %+v, want it active, trimmed, at the end", last)
	}
	p.Price, p.Barcodes, p.Active = 650, nil, false
	if err := db.SaveProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := byCode(t, db)["NEW1"]; got.Price != 650 || len(got.Barcodes) != 0 || !got.Active {
		t.Fatalf("updated %+v: want the new price, no barcodes, still active", got)
	}
	if m, _ := db.CatalogueMeta(ctx); m.Source != catalogue.SourceLocal {
		t.Errorf("origin %+v", m)
	}

	colaBarcode := old["BEV04"].Barcodes[0]
	tests := []struct {
		name string
		p    checkout.Product
		want []catalogue.Problem
	}{
		{"a code another product has, in another case", checkout.Product{Code: "caf01", Name: "X", Price: 100, DepartmentID: deps[0].ID},
			[]catalogue.Problem{{Field: "code", Code: catalogue.ProblemDuplicate, Value: "caf01", Holder: "CAF01"}}},
		{"a barcode of an active product", checkout.Product{Code: "X1", Name: "X", Price: 100, DepartmentID: deps[0].ID, Barcodes: []string{colaBarcode}},
			[]catalogue.Problem{{Field: "barcode", Code: catalogue.ProblemDuplicate, Value: colaBarcode, Holder: "BEV04"}}},
		{"a wrong check digit", checkout.Product{Code: "X1", Name: "X", Price: 100, DepartmentID: deps[0].ID, Barcodes: []string{"96385075"}},
			[]catalogue.Problem{{Field: "barcode", Code: catalogue.ProblemBarcode, Value: "96385075"}}},
		{"no department, no such category", checkout.Product{Code: "X1", Name: "X", Price: 100, DepartmentID: "nope", CategoryID: "nope"},
			[]catalogue.Problem{{Field: "department", Code: catalogue.ProblemDepartment, Value: "nope"},
				{Field: "category", Code: catalogue.ProblemCategory, Value: "nope"}}},
		{"nothing", checkout.Product{},
			[]catalogue.Problem{{Field: "code", Code: catalogue.ProblemMissing}, {Field: "name", Code: catalogue.ProblemMissing},
				{Field: "price", Code: catalogue.ProblemPriceRange, Value: "0,00"}, {Field: "department", Code: catalogue.ProblemMissing}}},
		{"a price over the printer's limit", checkout.Product{Code: "X1", Name: "X", Price: money.MaxAmount + 1, DepartmentID: deps[0].ID},
			[]catalogue.Problem{{Field: "price", Code: catalogue.ProblemPriceRange, Value: "100.000,00"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := problemsOf(t, db.SaveProduct(ctx, tt.p)); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("problems %+v, want %+v", got, tt.want)
			}
		})
	}

	// The barcode of an inactive product moves to the product saved with it.
	if err := db.SetProductActive(ctx, old["BEV04"].ID, false); err != nil {
		t.Fatal(err)
	}
	p.Barcodes = []string{colaBarcode}
	if err := db.SaveProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	all := byCode(t, db)
	if !slices.Equal(all["NEW1"].Barcodes, p.Barcodes) || slices.Contains(all["BEV04"].Barcodes, colaBarcode) {
		t.Fatalf("barcode not moved: NEW1 %v BEV04 %v", all["NEW1"].Barcodes, all["BEV04"].Barcodes)
	}
}

func TestSetProductActive(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	caffe := byCode(t, db)["CAF01"]
	if err := db.SetProductActive(ctx, caffe.ID, false); err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(mustProducts(t, db), func(p checkout.Product) bool { return p.ID == caffe.ID }) || byCode(t, db)["CAF01"].Active {
		t.Fatal("an inactive product is still on sale")
	}
	if err := db.SetProductActive(ctx, caffe.ID, true); err != nil || !byCode(t, db)["CAF01"].Active {
		t.Fatalf("reactivate: %v", err)
	}
	if err := db.SetProductActive(ctx, "nope", false); !errors.Is(err, ErrNoProduct) {
		t.Fatalf("err = %v, want ErrNoProduct", err)
	}
}

func TestSaveCategoryAndDepartment(t *testing.T) {
	db := demoShop(t)
	ctx := context.Background()
	if err := db.SaveCategory(ctx, checkout.Category{Name: " Gelati ", Position: 9}); err != nil {
		t.Fatal(err)
	}
	cats, _ := db.Categories(ctx)
	gelati := cats[len(cats)-1]
	if gelati.Name != "Gelati" || gelati.Position != 9 || gelati.ID == "" {
		t.Fatalf("saved %+v", gelati)
	}
	gelati.Name = "Gelateria"
	if err := db.SaveCategory(ctx, gelati); err != nil {
		t.Fatal(err)
	}
	if cats, _ := db.Categories(ctx); cats[len(cats)-1] != gelati {
		t.Fatalf("renamed: %+v", cats[len(cats)-1])
	}
	for _, c := range []checkout.Category{{Name: "BEVANDE"}, {Name: ""}, {ID: gelati.ID, Name: "caffetteria"}, {Name: "VARIE "}} {
		if err := db.SaveCategory(ctx, c); !errors.Is(err, catalogue.ErrInvalid) {
			t.Errorf("%+v: err = %v, want refused", c, err)
		}
	}

	if err := db.SaveDepartment(ctx, checkout.Department{Number: 5, Name: "Giornali", Nature: "N2.2"}); err != nil {
		t.Fatal(err)
	}
	deps, _ := db.Departments(ctx)
	giornali := deps[len(deps)-1]
	if giornali.Number != 5 || giornali.Nature != "N2.2" {
		t.Fatalf("saved %+v, want it last", giornali)
	}
	giornali.VATRate, giornali.Nature = 400, ""
	if err := db.SaveDepartment(ctx, giornali); err != nil {
		t.Fatal(err)
	}
	if deps, _ := db.Departments(ctx); deps[len(deps)-1] != giornali {
		t.Fatalf("updated %+v", deps[len(deps)-1])
	}
	tests := []struct {
		d     checkout.Department
		field string
	}{
		{checkout.Department{Number: 1, Name: "Altro bar", VATRate: 2200}, "number"},
		{checkout.Department{ID: giornali.ID, Number: 2, Name: "Giornali", VATRate: 400}, "number"},
		{checkout.Department{Number: 6, Name: "Zero", VATRate: 0}, "nature"},
		{checkout.Department{Number: 6, Name: "Doppio", VATRate: 1000, Nature: "N1"}, "nature"},
		{checkout.Department{Number: 6, Name: "Troppo", VATRate: 10000}, "vat_rate"},
	}
	for _, tt := range tests {
		ps := problemsOf(t, db.SaveDepartment(ctx, tt.d))
		if len(ps) != 1 || ps[0].Field != tt.field {
			t.Errorf("%+v: problems %+v, want one with %s", tt.d, ps, tt.field)
		}
	}
}
