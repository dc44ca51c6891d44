package catalogue

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"till/app/checkout"
	"till/money"
)

var testDepartments = []checkout.Department{
	{ID: "d1", Number: 1, Name: "Bar", VATRate: 2200},
	{ID: "d2", Number: 2, Name: "Cucina", VATRate: 1000},
	{ID: "d4", Number: 4, Name: "Escluso", Nature: "N1"},
}

func TestParseReadsWhatSpreadsheetsWrite(t *testing.T) {
	want := []Row{
		{Line: 2, Code: "CAF01", Name: "Caffè", Price: 120, Department: 1, Category: "Caffetteria"},
		{Line: 3, Code: "BEV01", Barcodes: []string{"8001505005707"}, Name: "Acqua 50cl", Price: 150, Department: 1, Category: "Bevande"},
		{Line: 4, Code: "ALI01", Barcodes: []string{"4006381333931", "96385074"}, Name: "Pasta; formato \"famiglia\"",
			Price: 123450, Department: 2},
	}
	tests := []struct{ name, file string }{
		{"semicolons, comma decimals, LF", "code;barcode;name;price;department;category\n" +
			"CAF01;;Caffè;1,20;1;Caffetteria\n" +
			"BEV01;8001505005707;Acqua 50cl;1,50;1;Bevande\n" +
			"ALI01;4006381333931|96385074;\"Pasta; formato \"\"famiglia\"\"\";1.234,50;2;\n"},
		{"Excel on Windows: BOM, CRLF, spaces, blank rows at the end", "\ufeffCode; Barcode ;NAME;price;department;category\r\n" +
			"CAF01;;Caffè;1,2;1;Caffetteria\r\n" +
			" BEV01 ; 8001505005707 ; Acqua 50cl ;€ 1,50;1; Bevande\r\n" +
			"ALI01;4006381333931 | 96385074 |;\"Pasta; formato \"\"famiglia\"\"\";1234,50;2;\r\n" +
			";;;;;\r\n\r\n"},
		{"commas, dot decimals", "code,barcode,name,price,department,category\n" +
			"CAF01,,Caffè,1.20,1,Caffetteria\n" +
			"BEV01,8001505005707,Acqua 50cl,1.50,1,Bevande\n" +
			"ALI01,4006381333931|96385074,\"Pasta; formato \"\"famiglia\"\"\",1234.50,2,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Parse(strings.NewReader(tt.file), testDepartments)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, want) {
				t.Fatalf("rows:\n%+v\nwant\n%+v", rows, want)
			}
		})
	}
}

// TestParseListsEveryBadRow: one file with a mistake of each kind; all of them come back, with
// their lines and fields, and no rows.
func TestParseListsEveryBadRow(t *testing.T) {
	file := strings.Join([]string{
		"code;barcode;name;price;department;category",
		"OK1;;Caffè;1,20;1;",                        // 2
		";;Senza codice;1,00;1;",                    // 3
		"ok1;;Codice ripetuto;1,00;1;",              // 4: the same code, other case
		"P4;;;1,00;1;",                              // 5: no name
		"P5;;Prezzo;uno;1;",                         // 6
		"P6;;Gratis;0,00;1;",                        // 7
		"P7;;Troppo caro;100.000,00;1;",             // 8
		"P8;;Negativo;-1,00;1;",                     // 9
		"P9;;Reparto;1,00;3;",                       // 10: no department 3
		"P10;;Reparto;1,00;uno;",                    // 11
		"P11;4006381333932;Controllo;1,00;1;",       // 12: wrong check digit
		"P12;4006381333931;Uno;1,00;1;",             // 13
		"P13;96385074|4006381333931;Doppio;1,00;1;", // 14: barcode of line 13
		"P14;;Colonne;1,00;1",                       // 15: five columns
		"P15;;Colonne;1,00;1;;",                     // 16: seven
		"P16;;Caff\xe8 ANSI;1,00;1;",                // 17: Windows-1252
		"P17;;\"Due\nrighe\";1,00;1;",               // 18-19: a line break in a name
		"P18;;Tutto sbagliato;;;",                   // 20: no price nor department
		"P19;;\"Virgolette\" storte;1,00;1;",        // 21
		"P20;;Buono;2,00;2;Cucina",                  // 22
	}, "\n") + "\n"
	_, err := Parse(strings.NewReader(file), testDepartments)
	var inv *Invalid
	if !errors.As(err, &inv) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want *Invalid", err)
	}
	type got struct {
		Line        int
		Field, Code string
	}
	want := []got{
		{3, "code", ProblemMissing},
		{4, "code", ProblemDuplicate},
		{5, "name", ProblemMissing},
		{6, "price", ProblemPrice},
		{7, "price", ProblemPriceRange},
		{8, "price", ProblemPriceRange},
		{9, "price", ProblemPriceRange},
		{10, "department", ProblemDepartment},
		{11, "department", ProblemDepartment},
		{12, "barcode", ProblemBarcode},
		{14, "barcode", ProblemDuplicate},
		{15, "", ProblemColumns},
		{16, "", ProblemColumns},
		{17, "name", ProblemUTF8},
		{18, "name", ProblemControl},
		{20, "price", ProblemMissing},
		{20, "department", ProblemMissing},
		{21, "", ProblemQuotes},
	}
	var all []got
	for _, p := range inv.Problems {
		all = append(all, got{p.Line, p.Field, p.Code})
	}
	if !reflect.DeepEqual(all, want) {
		t.Fatalf("problems:\n%v\nwant\n%v", all, want)
	}
	if p := inv.Problems[1]; p.OtherLine != 2 || p.Value != "ok1" {
		t.Errorf("duplicate code: %+v, want the first line 2 and the value", p)
	}
	if p := inv.Problems[10]; p.OtherLine != 13 || p.Value != "4006381333931" {
		t.Errorf("duplicate barcode: %+v, want the first line 13 and the value", p)
	}
}

func TestParseRefusesAFileItCannotRead(t *testing.T) {
	tests := []struct {
		name, file string
		want       Problem
	}{
		{"empty", "", Problem{Line: 1, Code: ProblemHeader}},
		{"only a BOM", "\ufeff", Problem{Line: 1, Code: ProblemHeader}},
		{"no header", "CAF01;;Caffè;1,20;1;\n", Problem{Line: 1, Code: ProblemHeader}},
		{"Italian header", "codice;barcode;nome;prezzo;reparto;categoria\n", Problem{Line: 1, Code: ProblemHeader}},
		{"a column missing", "code;barcode;name;price;department\nA;;B;1;1\n", Problem{Line: 1, Code: ProblemHeader}},
		{"tabs", "code\tbarcode\tname\tprice\tdepartment\tcategory\n", Problem{Line: 1, Code: ProblemHeader}},
		{"header only", Header + "\r\n", Problem{Code: ProblemEmpty}},
		{"blank rows only", Header + "\n;;;;;\n", Problem{Code: ProblemEmpty}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := Parse(strings.NewReader(tt.file), testDepartments)
			var inv *Invalid
			if !errors.As(err, &inv) || rows != nil {
				t.Fatalf("rows %v err %v, want *Invalid", rows, err)
			}
			if len(inv.Problems) != 1 || inv.Problems[0] != tt.want {
				t.Fatalf("problems %+v, want %+v", inv.Problems, tt.want)
			}
		})
	}
}

func TestWriteThenParseGivesTheSameRows(t *testing.T) {
	rows := []Row{
		{Code: "CAF01", Name: "Caffè d'orzo", Price: 140, Department: 1, Category: "Caffetteria"},
		{Code: "X;1", Barcodes: []string{"4006381333931", "96385074"}, Name: `Olio "buono"; 1l`, Price: 1234567, Department: 4},
		{Code: "P3", Name: "Massimo", Price: money.MaxAmount, Department: 2, Category: "Cucina, varie"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff"+Header+"\r\n")) {
		t.Fatalf("file starts %q, want the BOM and the header", buf.String()[:50])
	}
	back, err := Parse(&buf, testDepartments)
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		back[i].Line = 0
	}
	if !reflect.DeepEqual(back, rows) {
		t.Fatalf("read back\n%+v\nwant\n%+v", back, rows)
	}
}

func TestRowsNameDepartmentsAndCategories(t *testing.T) {
	products := []checkout.Product{
		{Code: "A", Name: "Uno", Price: 100, DepartmentID: "d2", CategoryID: "c1", Barcodes: []string{"96385074"}},
		{Code: "B", Name: "Due", Price: 200, DepartmentID: "d4"},
	}
	got := Rows(products, testDepartments, []checkout.Category{{ID: "c1", Name: "Cucina"}})
	want := []Row{
		{Code: "A", Name: "Uno", Price: 100, Department: 2, Category: "Cucina", Barcodes: []string{"96385074"}},
		{Code: "B", Name: "Due", Price: 200, Department: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %+v, want %+v", got, want)
	}
}

// FuzzParse feeds Parse any bytes: it must not panic or hang, must return rows or problems
// (never both, never an *Invalid without problems), and the rows it accepts must survive Write
// and Parse unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte("code;barcode;name;price;department;category\nCAF01;;Caffè;1,20;1;Caffetteria\n"))
	f.Add([]byte("\ufeffcode,barcode,name,price,department,category\r\nA,96385074|4006381333931,\"x,y\",1.20,2,\r\n"))
	f.Add([]byte("code;barcode;name;price;department;category\n\"A;;;\n;;B\"\";1;1;\n"))
	f.Add([]byte("code;barcode;name;price;department;category\nA;;B;1.234,5;4;\xff\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := Parse(bytes.NewReader(data), testDepartments)
		var inv *Invalid
		if err != nil {
			if !errors.As(err, &inv) || len(inv.Problems) == 0 || rows != nil {
				t.Fatalf("rows %v err %v", rows, err)
			}
			for _, p := range inv.Problems {
				if p.Message(false) == "" || p.Message(true) == "" || p.Line < 0 {
					t.Fatalf("problem %+v", p)
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, rows); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(&buf, testDepartments)
		if err != nil {
			t.Fatalf("rows %+v written as\n%s\ndo not read back: %v", rows, buf.String(), err)
		}
		for i := range rows {
			rows[i].Line, back[i].Line = 0, 0
		}
		if !reflect.DeepEqual(back, rows) {
			t.Fatalf("read back\n%+v\nwant\n%+v", back, rows)
		}
	})
}
