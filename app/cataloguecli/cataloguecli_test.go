package cataloguecli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"till/app/catalogue"
	"till/app/cataloguecli"
	"till/app/checkout"
	"till/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// demoDB is a till database on a temp file with the demo catalogue.
func demoDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "till.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := cataloguecli.Run(args, &out, &errs)
	return code, out.String(), errs.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// export returns the catalogue file of the database at dbPath.
func export(t *testing.T, dbPath string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.csv")
	if code, _, errs := run("export", "--db", dbPath, path); code != cataloguecli.ExitOK {
		t.Fatalf("export: %d %s", code, errs)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const header = "code;barcode;name;price;department;category\n"

func TestImportRefusesABadFileAndImportsNothing(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	dbPath := demoDB(t)
	before := export(t, dbPath)
	good := "NEW1;;Spritz;6,00;1;Aperitivi\n" // in every file: it must not be imported either
	tests := []struct {
		name, file string
		want       []string // the problem lines on stderr
	}{
		{"no header", good, []string{"riga 1: intestazione mancante o errata"}},
		{"a wrong header", "codice;barcode;nome;prezzo;reparto;categoria\n" + good, []string{"riga 1: intestazione mancante o errata"}},
		{"an empty code", header + good + ";;Senza codice;1,00;1;\n", []string{"riga 3, codice: obbligatorio"}},
		{"a duplicate code", header + good + "new1;;Spritz bis;6,00;1;\n", []string{"riga 3, codice: «new1» già presente alla riga 2"}},
		{"a code the file gives twice, twice", header + good + "NEW1;;A;1;1;\nNEW1;;B;1;1;\n",
			[]string{"riga 3, codice: «NEW1» già presente alla riga 2", "riga 4, codice: «NEW1» già presente alla riga 2"}},
		{"a bad price", header + good + "P1;;Caffè;1,2,3;1;\n", []string{"riga 3, prezzo: «1,2,3» non è un prezzo"}},
		{"a zero price", header + good + "P1;;Caffè;0;1;\n", []string{"riga 3, prezzo: «0» deve essere maggiore di zero"}},
		{"an unknown department", header + good + "P1;;Caffè;1,20;7;\n", []string{"riga 3, reparto: reparto «7» inesistente"}},
		{"a wrong check digit", header + good + "P1;8001505005708;Acqua;1,00;1;\n",
			[]string{"riga 3, codice a barre: «8001505005708» non è un EAN-13, EAN-8 o UPC-A valido"}},
		{"a barcode twice in the file", header + "P1;96385074;Uno;1;1;\nP2;4006381333931|96385074;Due;1;1;\n",
			[]string{"riga 3, codice a barre: «96385074» già presente alla riga 2"}},
		{"a wrong column count", header + good + "P1;;Caffè;1,20;1\nP2;;Tè;1,20;1;;\n",
			[]string{"riga 3: 5 colonne invece di 6", "riga 4: 7 colonne invece di 6"}},
		{"not UTF-8", header + good + "P1;;Caff\xe8;1,20;1;\n", []string{"riga 3, nome: testo non UTF-8"}},
		{"everything at once, every line listed", header + good + ";;;0;9;\nP2;123;Due;1;1;\n",
			[]string{"riga 3, codice: obbligatorio", "riga 3, nome: obbligatorio", "riga 3, prezzo: «0» deve essere maggiore di zero",
				"riga 3, reparto: reparto «9» inesistente", "riga 4, codice a barre: «123» non è"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeFile(t, "prodotti.csv", tt.file)
			for _, replace := range []string{"", "--replace"} {
				args := []string{"import", "--db", dbPath, file}
				if replace != "" {
					args = append(args, replace)
				}
				code, out, errs := run(args...)
				if code != cataloguecli.ExitInvalid || out != "" {
					t.Fatalf("%v: exit %d stdout %q, want 1 and nothing", args, code, out)
				}
				lines := strings.Split(strings.TrimSpace(errs), "\n")
				if !strings.Contains(lines[0], "nessun prodotto importato") || len(lines) != len(tt.want)+1 {
					t.Fatalf("stderr:\n%s\nwant a summary and %d problems", errs, len(tt.want))
				}
				for i, w := range tt.want {
					if !strings.Contains(lines[i+1], w) {
						t.Errorf("problem %d: %q, want %q", i, lines[i+1], w)
					}
				}
			}
		})
	}
	if after := export(t, dbPath); !bytes.Equal(before, after) {
		t.Fatal("a refused file changed the catalogue")
	}
}

// TestImportRefusesABarcodeAProductKeeps: without --replace, BEV01 stays and keeps its
// barcode, so a new product cannot have it; with --replace BEV01 is deactivated and gives it up.
func TestImportRefusesABarcodeAProductKeeps(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	dbPath := demoDB(t)
	file := writeFile(t, "acqua.csv", header+"ACQ;8039825979194;Acqua;1,00;1;\n")
	code, _, errs := run("import", "--db", dbPath, file)
	if code != cataloguecli.ExitInvalid || !strings.Contains(errs, "riga 2, codice a barre: «8039825979194» già usato dal prodotto BEV01") {
		t.Fatalf("%d %s", code, errs)
	}
	code, out, errs := run("import", "--db", dbPath, file, "--replace")
	if code != cataloguecli.ExitOK || !strings.HasSuffix(out, ": 1 prodotti aggiunti, 0 aggiornati, 31 disattivati\n") {
		t.Fatalf("%d %q %s", code, out, errs)
	}
	if code, out, _ := run("search", "--db", dbPath, "8039825979194"); code != 0 || !strings.HasPrefix(out, "ACQ ") {
		t.Fatalf("the barcode did not move: %q", out)
	}
}

func TestExportMatchesTheGoldenFile(t *testing.T) {
	got := export(t, demoDB(t))
	golden := filepath.Join("testdata", "demo.golden.csv")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("export differs from %s (go test -run TestExportMatchesTheGoldenFile -update to accept):\n%s", golden, got)
	}
}

func TestExportThenImportChangesNothing(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	dbPath := demoDB(t)
	first := export(t, dbPath)
	file := writeFile(t, "catalogo.csv", string(first))
	for _, args := range [][]string{
		{"import", "--db", dbPath, file},
		{"import", file, "--replace", "--db", dbPath}, // flags after the file, too
	} {
		code, out, errs := run(args...)
		if code != cataloguecli.ExitOK || !strings.HasSuffix(out, ": 0 prodotti aggiunti, 0 aggiornati, 0 disattivati\n") {
			t.Fatalf("%v: %d %q %q", args, code, out, errs)
		}
	}
	if again := export(t, dbPath); !bytes.Equal(first, again) {
		t.Fatalf("export after import differs:\n%s\nwas\n%s", again, first)
	}
}

func TestImportReplaceDeactivatesWhatTheFileLeavesOut(t *testing.T) {
	setLang(t, "en_GB.UTF-8")
	dbPath := demoDB(t)
	file := writeFile(t, "bar.csv", header+
		"CAF01;;Caffè;1,30;1;Caffetteria\n"+
		"CAF02;;Cappuccino;1,60;1;Caffetteria\n"+
		"GEL01;;Gelato due gusti;2,50;1;Gelati\n")
	code, out, errs := run("import", "--db", dbPath, file, "--replace", "--json")
	if code != cataloguecli.ExitOK {
		t.Fatalf("%d %s", code, errs)
	}
	var res struct {
		OK                          bool
		Added, Updated, Deactivated int
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.OK || res.Added != 1 || res.Updated != 1 || res.Deactivated != 29 {
		t.Fatalf("%+v %v from %s", res, err, out)
	}
	got := export(t, dbPath)
	want := "\ufeff" + strings.ReplaceAll(header+
		"CAF01;;Caffè;1,30;1;Caffetteria\n"+
		"CAF02;;Cappuccino;1,60;1;Caffetteria\n"+
		"GEL01;;Gelato due gusti;2,50;1;Gelati\n", "\n", "\r\n")
	if string(got) != want {
		t.Fatalf("catalogue now:\n%s", got)
	}
	// The products left out are still in the database, only inactive: sales refer to them.
	db, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if all, _ := db.AllProducts(context.Background()); len(all) != 32 {
		t.Fatalf("%d products in the database, want 31 + 1", len(all))
	}
}

func TestImportJSONListsEveryProblem(t *testing.T) {
	setLang(t, "en_GB.UTF-8")
	dbPath := demoDB(t)
	file := writeFile(t, "bad.csv", header+"P1;;Caffè;0;1;\nP1;96385075;Tè;1;1;\n")
	code, out, errs := run("import", "--json", "--db", dbPath, file)
	if code != cataloguecli.ExitInvalid || errs != "" {
		t.Fatalf("%d %q", code, errs)
	}
	var got struct {
		OK       bool
		File     string
		Problems []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{
		{"line": 2.0, "field": "price", "code": "price_range", "value": "0", "message": `line 2, price: "0" must be over zero and at most 99.999,99`},
		{"line": 3.0, "field": "code", "code": "duplicate", "value": "P1", "message": `line 3, code: "P1" already on line 2`},
		{"line": 3.0, "field": "barcode", "code": "barcode", "value": "96385075",
			"message": `line 3, barcode: "96385075" is not a valid EAN-13, EAN-8 or UPC-A: digits missing or wrong check digit`},
	}
	if got.OK || got.File != file || !reflect.DeepEqual(got.Problems, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestSearch(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	dbPath := demoDB(t)
	code, out, _ := run("search", "orzo", "--db", dbPath)
	if code != cataloguecli.ExitOK || !regexpLike(out, "CAF04  Caffè d'orzo  1,40  1 Bar  Caffetteria") {
		t.Fatalf("%d %q", code, out)
	}
	code, out, _ = run("search", "--db", dbPath, "--json", "cola")
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != cataloguecli.ExitOK {
		t.Fatalf("%d %v %s", code, err, out)
	}
	want := []map[string]any{{"code": "BEV04", "name": "Cola 33cl", "price_cents": 250.0, "price": "2,50", "department": 1.0,
		"department_name": "Bar", "category": "Bevande", "barcodes": []any{"8004047966697", "8062328601293"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	for query, wantCode := range map[string]string{"8062328601293": "BEV04", "cuc01": "CUC01", "TOAST PROSC": "CUC03"} {
		if code, out, _ := run("search", "--db", dbPath, query); code != 0 || !strings.HasPrefix(out, wantCode+" ") || strings.Count(out, "\n") != 1 {
			t.Errorf("search %q: %d %q, want only %s", query, code, out, wantCode)
		}
	}
	if code, out, errs := run("search", "--db", dbPath, "--json", "zzz"); code != 0 || strings.TrimSpace(out) != "[]" || errs != "" {
		t.Errorf("no match, JSON: %d %q %q", code, out, errs)
	}
	if code, out, errs := run("search", "--db", dbPath, "zzz"); code != 0 || out != "" || !strings.Contains(errs, "nessun prodotto") {
		t.Errorf("no match: %d %q %q", code, out, errs)
	}
}

func regexpLike(out, line string) bool {
	return strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(line), " "))
}

func TestUsageErrors(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	dbPath := demoDB(t)
	file := writeFile(t, "ok.csv", header+"P1;;Uno;1;1;\n")
	for _, args := range [][]string{
		nil,
		{"delete"},
		{"import", file},                       // no --db
		{"import", "--db", dbPath},             // no file
		{"import", "--db", dbPath, file, file}, // two files
		{"import", "--db", dbPath, file, "--force"},      // an unknown flag
		{"export", "--db", dbPath, "x.csv", "--replace"}, // a flag of another verb
		{"search", "--db", dbPath},
		{"import", "--db", filepath.Join(t.TempDir(), "none.db"), file}, // no such database
		{"import", "--db", dbPath, filepath.Join(t.TempDir(), "none.csv")},
		{"export", "--db", dbPath, filepath.Join(t.TempDir(), "no", "such", "dir.csv")},
	} {
		if code, out, errs := run(args...); code != cataloguecli.ExitError || out != "" || errs == "" {
			t.Errorf("%v: exit %d stdout %q stderr %q, want 2 and a message", args, code, out, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dbPath), "none.db")); err == nil {
		t.Error("a missing database was created")
	}
}

// TestImportASupermarketCatalogue imports a file the size of a supermarket's catalogue (50,000
// rows), then imports it again with one price changed. It logs how long each took; it asserts
// no time, only that it worked and changed what it should.
func TestImportASupermarketCatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("a large file")
	}
	setLang(t, "it_IT.UTF-8")
	dbPath := demoDB(t)
	n := bigImportRows
	var b strings.Builder
	b.WriteString(header)
	for i := 0; i < n; i++ {
		barcode := ""
		if i%2 == 0 {
			barcode = ean13(fmt.Sprintf("200%09d", i))
		}
		fmt.Fprintf(&b, "A%06d;%s;Prodotto di prova %d %s;%d,%02d;%d;Reparto %d\n", i, barcode, i,
			[]string{"pasta", "biscotti", "caffè d'orzo", "olio"}[i%4], 1+i%50, i%100, 1+i%3, i%12)
	}
	file := writeFile(t, "supermercato.csv", b.String())
	start := time.Now()
	code, out, errs := run("import", "--db", dbPath, file)
	t.Logf("first import of %d rows: %v", n, time.Since(start))
	if code != 0 || !strings.HasSuffix(out, fmt.Sprintf(": %d prodotti aggiunti, 0 aggiornati, 0 disattivati\n", n)) {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	last := fmt.Sprintf(";Prodotto di prova %d olio;50,99;", n-1)
	if !strings.Contains(b.String(), last) {
		t.Fatalf("the last row is not %q", last)
	}
	changed := strings.Replace(b.String(), last, fmt.Sprintf(";Prodotto di prova %d olio;51,00;", n-1), 1)
	file = writeFile(t, "supermercato2.csv", changed)
	start = time.Now()
	code, out, errs = run("import", "--db", dbPath, file, "--replace")
	t.Logf("second import of %d rows, one changed, with --replace: %v", n, time.Since(start))
	if code != 0 || !strings.HasSuffix(out, ": 0 prodotti aggiunti, 1 aggiornati, 31 disattivati\n") {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	if code, out, _ := run("search", "--db", dbPath, fmt.Sprintf("A%06d", n-1)); code != 0 || !strings.Contains(out, "51,00") {
		t.Fatalf("search after import: %d %q", code, out)
	}
}

func ean13(digits string) string {
	sum := 0
	for i := range 12 {
		d := int(digits[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return digits + fmt.Sprint((10-sum%10)%10)
}

// On a till whose catalogue comes from the back office, an import is refused with what to do,
// and nothing changes.
func TestImportRefusedWhenTheBackOfficeOwnsTheCatalogue(t *testing.T) {
	setLang(t, "it_IT.UTF-8")
	dbPath := demoDB(t)
	ctx := context.Background()
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	deps, _ := db.Departments(ctx)
	snap := catalogue.Snapshot{Departments: deps,
		Products: []checkout.Product{{Code: "P1", Name: "Caffè", Price: 120, DepartmentID: deps[0].ID}}}
	if err := db.ApplyPortalCatalogue(ctx, snap, 3, `"3"`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := export(t, dbPath)
	file := writeFile(t, "new.csv", "code;barcode;name;price;department;category\nZ1;;Spritz;6,00;1;\n")
	code, _, errs := run("import", "--db", dbPath, file)
	if code != cataloguecli.ExitError || !strings.Contains(errs, "gestito dal portale") {
		t.Fatalf("exit %d, stderr %q: want 2 and the portal named", code, errs)
	}
	if after := export(t, dbPath); !bytes.Equal(before, after) {
		t.Fatal("the refused import changed the catalogue")
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
	dbPath := demoDB(t)
	missing := filepath.Join(t.TempDir(), "none.db")
	bad := writeFile(t, "bad.csv", header+"P1;;Caffè;0;1;\n")
	tests := []struct {
		lang          string
		args          []string
		want, notWant string // on stderr
	}{
		{"", nil, "uso:\n  till catalogue import --db PERCORSO FILE.csv", "usage"},
		{"C.UTF-8", []string{"search", "--db", missing, "x"}, "database " + missing + " non trovato: indica quello della cassa con --db", "not found"},
		{"C.UTF-8", []string{"search", "--db", dbPath, "zzz"}, "nessun prodotto trovato per «zzz»", "no product"},
		{"", []string{"import", "--db", dbPath, bad}, "bad.csv: nessun prodotto importato, 1 errore da correggere:\n  riga 2, prezzo", "nothing"},
		{"", []string{"export", "--db", dbPath, "x.csv", "--replace"}, "uso:", "usage"},
		{"en_US.UTF-8", nil, "usage:\n  till catalogue import --db PATH FILE.csv", "uso"},
		{"en_US.UTF-8", []string{"search", "--db", missing, "x"}, "database " + missing + " not found: give the till's one with --db", "trovato"},
		{"en_US.UTF-8", []string{"search", "--db", dbPath, "zzz"}, "no product found for “zzz”", "nessun"},
		{"en_US.UTF-8", []string{"import", "--db", dbPath, bad}, "bad.csv: nothing imported, 1 problem to fix:\n  line 2, price", "riga"},
		{"en_US.UTF-8", []string{"export", "--db", dbPath, "x.csv", "--replace"}, "usage:", "uso"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			setLang(t, tt.lang)
			_, _, errs := run(tt.args...)
			if !strings.Contains(errs, tt.want) || strings.Contains(errs, tt.notWant) {
				t.Fatalf("stderr %q, want %q and not %q", errs, tt.want, tt.notWant)
			}
		})
	}
	setLang(t, "")
	if code, out, _ := run("export", "--db", dbPath, filepath.Join(t.TempDir(), "c.csv")); code != 0 || !strings.HasPrefix(out, "31 prodotti esportati in ") {
		t.Errorf("export in Italian: %d %q", code, out)
	}
	setLang(t, "en_US.UTF-8")
	if code, out, _ := run("export", "--db", dbPath, filepath.Join(t.TempDir(), "c.csv")); code != 0 || !strings.HasPrefix(out, "31 products exported to ") {
		t.Errorf("export in English: %d %q", code, out)
	}
}

// TestSearchJSONIsTheSameInEveryLanguage: scripts read --json, whatever the language.
func TestSearchJSONIsTheSameInEveryLanguage(t *testing.T) {
	dbPath := demoDB(t)
	var outs []string
	for _, lang := range []string{"", "en_US.UTF-8"} {
		setLang(t, lang)
		code, out, _ := run("search", "--db", dbPath, "--json", "cola")
		if code != cataloguecli.ExitOK || !strings.Contains(out, `"department_name": "Bar"`) {
			t.Fatalf("LANG=%q: exit %d %s", lang, code, out)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] {
		t.Fatalf("Italian:\n%s\nEnglish:\n%s", outs[0], outs[1])
	}
}
