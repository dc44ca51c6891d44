package cataloguecli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"till/app/catalogue"
	"till/app/checkout"
)

// searchResult is one product as `search --json` prints it.
type searchResult struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	PriceCents     int64    `json:"price_cents"`
	Price          string   `json:"price"` // as the file writes it: "1,20"
	Department     int      `json:"department"`
	DepartmentName string   `json:"department_name"`
	Category       string   `json:"category"`
	Barcodes       []string `json:"barcodes"`
}

// search finds active products as the sale screen does (catalogue.Index.Search).
func (c command) search() int {
	prods, deps, cats, ok := c.catalogue()
	if !ok {
		return ExitError
	}
	depByID := make(map[string]checkout.Department, len(deps))
	for _, d := range deps {
		depByID[d.ID] = d
	}
	catName := make(map[string]string, len(cats))
	for _, cat := range cats {
		catName[cat.ID] = cat.Name
	}
	x := catalogue.NewIndex(prods)
	results := []searchResult{}
	for _, i := range x.Search(c.opts.arg, "", nil) {
		p := x.At(i)
		dep := depByID[p.DepartmentID]
		barcodes := p.Barcodes
		if barcodes == nil {
			barcodes = []string{}
		}
		results = append(results, searchResult{Code: p.Code, Name: p.Name, PriceCents: int64(p.Price), Price: p.Price.Decimal(),
			Department: dep.Number, DepartmentName: dep.Name, Category: catName[p.CategoryID], Barcodes: barcodes})
	}
	if c.opts.json {
		return c.printJSON(results)
	}
	if len(results) == 0 {
		c.errs.say("tool.catalogue.none", map[string]any{"Query": c.opts.arg})
		return ExitOK
	}
	tw := tabwriter.NewWriter(c.out, 0, 0, 2, ' ', 0)
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d %s\t%s\t%s\n", r.Code, r.Name, r.Price, r.Department, r.DepartmentName, r.Category,
			strings.Join(r.Barcodes, catalogue.BarcodeSeparator))
	}
	if err := tw.Flush(); err != nil {
		c.errs.explain(err, "tool.catalogue.write", map[string]any{"Path": "stdout"})
		return ExitError
	}
	return ExitOK
}
