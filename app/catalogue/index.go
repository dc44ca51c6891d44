// Package catalogue is the shop's catalogue outside the database: the CSV format of
// `till catalogue import|export`, barcode check digits, and the in-memory index the sale
// screen and `till catalogue search` search on every keystroke.
package catalogue

import (
	"strings"

	"till/app/checkout"
)

// Index answers searches over a fixed set of products. It is built once per catalogue and
// never changed; a new catalogue gets a new index.
type Index struct {
	products []checkout.Product
}

// NewIndex indexes products, keeping their order (the order results come in).
func NewIndex(products []checkout.Product) *Index {
	return &Index{products: products}
}

// Len is how many products the index holds.
func (x *Index) Len() int { return len(x.products) }

// At is product i, in the order given to NewIndex. The caller must not change it.
func (x *Index) At(i int) *checkout.Product { return &x.products[i] }

// Search appends to dst the positions of the products in categoryID ("" for any) that match
// query, in catalogue order: every word of the query starts a word of the name (words split at
// spaces and apostrophes, case and accents ignored), or the query is the product's code, or
// one of its barcodes exactly. An empty query matches every product of the category.
func (x *Index) Search(query, categoryID string, dst []int) []int {
	q := strings.ToLower(strings.TrimSpace(query))
	for i := range x.products {
		p := &x.products[i]
		if categoryID != "" && p.CategoryID != categoryID {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(p.Name), q) || strings.EqualFold(p.Code, q) {
			dst = append(dst, i)
		}
	}
	return dst
}

// ByBarcode is the position of the product with this barcode.
func (x *Index) ByBarcode(code string) (int, bool) {
	for i := range x.products {
		for _, b := range x.products[i].Barcodes {
			if b == code {
				return i, true
			}
		}
	}
	return 0, false
}
