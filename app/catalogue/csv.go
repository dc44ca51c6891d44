package catalogue

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"till/app/checkout"
	"till/money"
)

// Header is the first line of a catalogue file. The separator may also be ",", and the
// header says which.
const Header = "code;barcode;name;price;department;category"

// BarcodeSeparator separates the barcodes of one product in the barcode cell
// ("8001234567895|8001234567888"): a product sold in several packagings has several codes.
const BarcodeSeparator = "|"

var columns = strings.Split(Header, ";")

// Row is a product as a catalogue file writes it: the department by its number and the
// category by its name, so a file can be written by hand and moved between tills.
type Row struct {
	Line       int // of the file, for messages; 0 for a row not read from a file
	Code       string
	Barcodes   []string
	Name       string
	Price      money.Cents
	Department int    // the department's Number
	Category   string // the category's Name; "" for none
}

const bom = "\ufeff"

// Parse reads a catalogue file (see README, "Catalogo CSV") and checks every row against the
// departments that exist. It returns either all the rows, or a *Invalid listing every problem
// of every bad row, never some of the rows: an import is all or nothing. Only an error reading
// r is returned as it is.
func Parse(r io.Reader, departments []checkout.Department) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read catalogue: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte(bom))
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ','
	if bytes.IndexByte(firstLine, ';') >= 0 {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil || !isHeader(header) {
		return nil, &Invalid{Problems: []Problem{{Line: 1, Code: ProblemHeader}}}
	}
	c := newChecker(departments)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.add(Problem{Line: pe.StartLine, Code: ProblemQuotes})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read catalogue: %w", err)
		}
		line, _ := cr.FieldPos(0)
		c.row(line, rec)
	}
	if len(c.problems) == 0 && len(c.rows) == 0 {
		c.add(Problem{Code: ProblemEmpty})
	}
	if len(c.problems) > 0 {
		return nil, &Invalid{Problems: c.problems}
	}
	return c.rows, nil
}

func isHeader(rec []string) bool {
	if len(rec) != len(columns) {
		return false
	}
	for i, f := range rec {
		if !strings.EqualFold(strings.TrimSpace(f), columns[i]) {
			return false
		}
	}
	return true
}

// checker collects the rows and the problems of one file, remembering the line that first
// used each code and barcode.
type checker struct {
	departments map[int]bool
	codes       map[string]int
	barcodes    map[string]int
	rows        []Row
	problems    []Problem
}

func newChecker(departments []checkout.Department) *checker {
	c := &checker{departments: map[int]bool{}, codes: map[string]int{}, barcodes: map[string]int{}}
	for _, d := range departments {
		c.departments[d.Number] = true
	}
	return c
}

func (c *checker) add(p Problem) { c.problems = append(c.problems, p) }

// row checks one record. A blank record (a spreadsheet's empty rows, ";;;;;") is skipped.
func (c *checker) row(line int, rec []string) {
	blank := true
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
		blank = blank && rec[i] == ""
	}
	if blank {
		return
	}
	if len(rec) != len(columns) {
		c.add(Problem{Line: line, Code: ProblemColumns, Value: strconv.Itoa(len(rec))})
		return
	}
	before := len(c.problems)
	for i, f := range rec {
		switch {
		case !utf8.ValidString(f):
			c.add(Problem{Line: line, Field: columns[i], Code: ProblemUTF8})
		case hasControl(f):
			c.add(Problem{Line: line, Field: columns[i], Code: ProblemControl})
		}
	}
	if len(c.problems) > before {
		return
	}
	r := Row{Line: line, Code: rec[0], Name: rec[2], Category: rec[5]}
	c.code(line, r.Code)
	if r.Name == "" {
		c.add(Problem{Line: line, Field: "name", Code: ProblemMissing})
	}
	r.Price = c.price(line, rec[3])
	r.Department = c.department(line, rec[4])
	r.Barcodes = c.barcodeCell(line, rec[1])
	if len(c.problems) == before {
		c.rows = append(c.rows, r)
	}
}

func (c *checker) code(line int, code string) {
	if code == "" {
		c.add(Problem{Line: line, Field: "code", Code: ProblemMissing})
		return
	}
	key := CodeKey(code)
	if first, ok := c.codes[key]; ok {
		c.add(Problem{Line: line, Field: "code", Code: ProblemDuplicate, Value: code, OtherLine: first})
		return
	}
	c.codes[key] = line
}

func (c *checker) price(line int, text string) money.Cents {
	if text == "" {
		c.add(Problem{Line: line, Field: "price", Code: ProblemMissing})
		return 0
	}
	p, err := money.Parse(text)
	if err != nil {
		c.add(Problem{Line: line, Field: "price", Code: ProblemPrice, Value: text})
		return 0
	}
	if !PriceInRange(p) {
		c.add(Problem{Line: line, Field: "price", Code: ProblemPriceRange, Value: text})
	}
	return p
}

func (c *checker) department(line int, text string) int {
	if text == "" {
		c.add(Problem{Line: line, Field: "department", Code: ProblemMissing})
		return 0
	}
	n, err := strconv.Atoi(text)
	if err != nil || !c.departments[n] {
		c.add(Problem{Line: line, Field: "department", Code: ProblemDepartment, Value: text})
	}
	return n
}

func (c *checker) barcodeCell(line int, cell string) []string {
	var out []string
	for _, b := range strings.Split(cell, BarcodeSeparator) {
		b = strings.TrimSpace(b)
		switch first, dup := c.barcodes[b]; {
		case b == "":
		case !ValidBarcode(b):
			c.add(Problem{Line: line, Field: "barcode", Code: ProblemBarcode, Value: b})
		case dup:
			c.add(Problem{Line: line, Field: "barcode", Code: ProblemDuplicate, Value: b, OtherLine: first})
		default:
			c.barcodes[b] = line
			out = append(out, b)
		}
	}
	return out
}

// hasControl reports whether s has a control character: a line break or tab in a name would
// break the receipt, and would not survive a spreadsheet.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) })
}

// PriceInRange reports whether p can be a product's price: over zero and at most what a
// fiscal printer takes for one entry.
func PriceInRange(p money.Cents) bool { return p > 0 && p <= money.MaxAmount }

// CodeKey is the form product codes are compared in: ASCII letters folded as SQLite's NOCASE
// folds them, so "cf01" and "CF01" are the same product in a file and in the database.
func CodeKey(code string) string {
	for i := 0; i < len(code); i++ {
		if c := code[i]; 'A' <= c && c <= 'Z' {
			b := []byte(code)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return code
}

// Write writes rows as a catalogue file: the header, ";" separators, prices with a comma and
// no thousands separator, barcodes joined by "|". It starts with a UTF-8 byte order mark and
// ends lines with CRLF, which is what a spreadsheet on Windows needs to open accents right;
// Parse reads it back to the same rows.
func Write(w io.Writer, rows []Row) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(columns); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	rec := make([]string, len(columns))
	for _, r := range rows {
		rec[0], rec[1], rec[2] = r.Code, strings.Join(r.Barcodes, BarcodeSeparator), r.Name
		rec[3], rec[4], rec[5] = r.Price.Decimal(), strconv.Itoa(r.Department), r.Category
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write catalogue: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	return nil
}

// Rows turns products into file rows, naming their departments by number and their categories
// by name. A product whose department or category is not among those given gets 0 or "".
func Rows(products []checkout.Product, departments []checkout.Department, categories []checkout.Category) []Row {
	numbers := make(map[string]int, len(departments))
	for _, d := range departments {
		numbers[d.ID] = d.Number
	}
	names := make(map[string]string, len(categories))
	for _, c := range categories {
		names[c.ID] = c.Name
	}
	rows := make([]Row, len(products))
	for i, p := range products {
		rows[i] = Row{Code: p.Code, Barcodes: p.Barcodes, Name: p.Name, Price: p.Price,
			Department: numbers[p.DepartmentID], Category: names[p.CategoryID]}
	}
	return rows
}
