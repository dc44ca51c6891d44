package catalogue

import (
	"fmt"
	"strconv"
	"strings"

	"till/app/checkout"
)

// Where the catalogue in the database last came from (catalogue_meta.source).
const (
	SourceLocal  = "local"  // edited on this till: the manager's screen or a CSV import
	SourcePortal = "portal" // replaced as a whole by the back office
)

// Snapshot is a whole catalogue as the back office sends it. Products refer to departments and
// categories by the IDs they have in the snapshot, which are the sender's, not the till's: the
// till matches departments by Number and categories by Name.
type Snapshot struct {
	Departments []checkout.Department
	Categories  []checkout.Category
	Products    []checkout.Product
}

// CheckProduct lists what is wrong with a product about to be saved: a missing code or name,
// a price out of range, a barcode that is not valid or given twice. Whether the code and
// barcodes are free is the database's to say.
func CheckProduct(p checkout.Product) []Problem {
	var out []Problem
	if strings.TrimSpace(p.Code) == "" {
		out = append(out, Problem{Field: "code", Code: ProblemMissing})
	}
	if strings.TrimSpace(p.Name) == "" {
		out = append(out, Problem{Field: "name", Code: ProblemMissing})
	}
	for _, f := range []struct{ name, text string }{{"code", p.Code}, {"name", p.Name}} {
		if hasControl(f.text) {
			out = append(out, Problem{Field: f.name, Code: ProblemControl})
		}
	}
	if !PriceInRange(p.Price) {
		out = append(out, Problem{Field: "price", Code: ProblemPriceRange, Value: p.Price.Plain()})
	}
	if p.DepartmentID == "" {
		out = append(out, Problem{Field: "department", Code: ProblemMissing})
	}
	seen := map[string]bool{}
	for _, b := range p.Barcodes {
		switch {
		case !ValidBarcode(b):
			out = append(out, Problem{Field: "barcode", Code: ProblemBarcode, Value: b})
		case seen[b]:
			out = append(out, Problem{Field: "barcode", Code: ProblemDuplicate, Value: b})
		}
		seen[b] = true
	}
	return out
}

// natures are the codes of operations without VAT a department may carry (N1…N7, with the
// sub-codes of N2, N3 and N6 that FatturaPA knows).
var natures = map[string]bool{
	"N1": true, "N2": true, "N2.1": true, "N2.2": true, "N3": true, "N3.1": true, "N3.2": true,
	"N3.3": true, "N3.4": true, "N3.5": true, "N3.6": true, "N4": true, "N5": true, "N6": true,
	"N6.1": true, "N6.2": true, "N6.3": true, "N6.4": true, "N6.5": true, "N6.6": true, "N6.7": true,
	"N6.8": true, "N6.9": true, "N7": true,
}

// CheckDepartment lists what is wrong with a department about to be saved, by the rules of the
// departments table: a number over zero, a name, a VAT rate from 0 to 99,99%, and a nature
// exactly when the rate is 0.
func CheckDepartment(d checkout.Department) []Problem {
	var out []Problem
	if d.Number <= 0 {
		out = append(out, Problem{Field: "number", Code: ProblemMissing})
	}
	if strings.TrimSpace(d.Name) == "" {
		out = append(out, Problem{Field: "name", Code: ProblemMissing})
	}
	if d.VATRate < 0 || d.VATRate >= 10000 {
		out = append(out, Problem{Field: "vat_rate", Code: ProblemVAT, Value: d.VATRate.String()})
	}
	if (d.VATRate == 0) != (d.Nature != "") || (d.Nature != "" && !natures[d.Nature]) {
		out = append(out, Problem{Field: "nature", Code: ProblemNature, Value: d.Nature})
	}
	return out
}

// Check returns a *Invalid listing everything wrong with the snapshot, or nil: each department
// and product as CheckDepartment and CheckProduct see them, department numbers, category
// names, product codes and barcodes used twice, and references to departments or categories
// the snapshot does not hold. Fields are named like "products[3].price".
func (s Snapshot) Check() error {
	var out []Problem
	at := func(list string, i int, ps []Problem) {
		for _, p := range ps {
			p.Field = fmt.Sprintf("%s[%d].%s", list, i, p.Field)
			out = append(out, p)
		}
	}
	deps, numbers := map[string]bool{}, map[int]bool{}
	for i, d := range s.Departments {
		ps := CheckDepartment(d)
		if numbers[d.Number] {
			ps = append(ps, Problem{Field: "number", Code: ProblemDuplicate, Value: strconv.Itoa(d.Number)})
		}
		numbers[d.Number], deps[d.ID] = true, true
		at("departments", i, ps)
	}
	cats, names := map[string]bool{}, map[string]bool{}
	for i, c := range s.Categories {
		var ps []Problem
		switch name := strings.TrimSpace(c.Name); {
		case name == "":
			ps = append(ps, Problem{Field: "name", Code: ProblemMissing})
		case names[strings.ToLower(name)]:
			ps = append(ps, Problem{Field: "name", Code: ProblemDuplicate, Value: c.Name})
		}
		names[strings.ToLower(strings.TrimSpace(c.Name))], cats[c.ID] = true, true
		at("categories", i, ps)
	}
	codes, barcodes := map[string]bool{}, map[string]bool{}
	for i, p := range s.Products {
		ps := CheckProduct(p)
		if key := CodeKey(strings.TrimSpace(p.Code)); key != "" && codes[key] {
			ps = append(ps, Problem{Field: "code", Code: ProblemDuplicate, Value: p.Code})
		} else {
			codes[key] = true
		}
		for _, b := range p.Barcodes {
			if barcodes[b] {
				ps = append(ps, Problem{Field: "barcode", Code: ProblemDuplicate, Value: b})
			}
			barcodes[b] = true
		}
		if p.DepartmentID != "" && !deps[p.DepartmentID] {
			ps = append(ps, Problem{Field: "department", Code: ProblemDepartment, Value: p.DepartmentID})
		}
		if p.CategoryID != "" && !cats[p.CategoryID] {
			ps = append(ps, Problem{Field: "category", Code: ProblemCategory, Value: p.CategoryID})
		}
		at("products", i, ps)
	}
	if len(out) > 0 {
		return &Invalid{Problems: out}
	}
	return nil
}
