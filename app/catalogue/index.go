package catalogue

import (
	"math/bits"
	"sort"
	"strings"

	"till/app/checkout"
)

// Index answers searches over a fixed set of products. It is built once per catalogue and
// never changed; a new catalogue gets a new index. It is safe for concurrent searches.
//
// Names are split into words once, at NewIndex: the sorted distinct words, each with the
// positions of the products that have it. A query word is a prefix, so the words it matches
// are one range of the sorted list, found by binary search; the products of the range are
// marked in a bitset, and the query words' bitsets intersected. A keystroke over 50,000
// products costs well under a millisecond (BenchmarkSearch50k).
type Index struct {
	products   []checkout.Product
	words      []string           // distinct words of the names, sorted
	postings   [][]int32          // postings[i]: products whose name has words[i], ascending
	codes      map[string][]int32 // lowercased code → products
	barcodes   map[string]int32   // barcode → first product that has it
	byCategory map[string][]int32 // category id → its products, ascending
}

// NewIndex indexes products, keeping their order (the order results come in).
func NewIndex(products []checkout.Product) *Index {
	x := &Index{
		products:   products,
		codes:      make(map[string][]int32, len(products)),
		barcodes:   make(map[string]int32, len(products)),
		byCategory: map[string][]int32{},
	}
	ids := map[string]int32{} // word → index in lists, assigned once per distinct word
	var lists [][]int32
	var buf []byte
	for i := range products {
		p := &products[i]
		pos := int32(i)
		buf = eachWord(p.Name, buf, func(w []byte) {
			id, ok := ids[string(w)] // no allocation for a word already seen
			switch {
			case !ok:
				ids[string(w)] = int32(len(lists))
				lists = append(lists, []int32{pos})
			case lists[id][len(lists[id])-1] != pos: // a word said twice in a name is one posting
				lists[id] = append(lists[id], pos)
			}
		})
		if code := strings.ToLower(strings.TrimSpace(p.Code)); code != "" {
			x.codes[code] = append(x.codes[code], pos)
		}
		for _, b := range p.Barcodes {
			if _, ok := x.barcodes[b]; !ok {
				x.barcodes[b] = pos
			}
		}
		x.byCategory[p.CategoryID] = append(x.byCategory[p.CategoryID], pos)
	}
	x.words = make([]string, 0, len(ids))
	for w := range ids {
		x.words = append(x.words, w)
	}
	sort.Strings(x.words)
	x.postings = make([][]int32, len(x.words))
	for i, w := range x.words {
		x.postings[i] = lists[ids[w]]
	}
	return x
}

// Len is how many products the index holds.
func (x *Index) Len() int { return len(x.products) }

// At is product i, in the order given to NewIndex. The caller must not change it.
func (x *Index) At(i int) *checkout.Product { return &x.products[i] }

// Search appends to dst the positions of the products in categoryID ("" for any) that match
// query, in catalogue order: every word of the query starts a word of the name (words split at
// spaces, apostrophes and other punctuation, case and accents ignored), or the query is the
// product's code (case ignored), or one of its barcodes exactly. An empty query matches every
// product of the category.
func (x *Index) Search(query, categoryID string, dst []int) []int {
	q := strings.TrimSpace(query)
	if q == "" {
		if categoryID == "" {
			for i := range x.products {
				dst = append(dst, i)
			}
			return dst
		}
		for _, i := range x.byCategory[categoryID] {
			dst = append(dst, int(i))
		}
		return dst
	}
	n := (len(x.products) + 63) / 64
	hits := x.nameHits(q, n)
	for _, i := range x.codes[strings.ToLower(q)] {
		hits[i/64] |= 1 << (i % 64)
	}
	if i, ok := x.barcodes[q]; ok {
		hits[i/64] |= 1 << (i % 64)
	}
	for w, word := range hits {
		for word != 0 {
			i := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			if categoryID == "" || x.products[i].CategoryID == categoryID {
				dst = append(dst, i)
			}
		}
	}
	return dst
}

// nameHits is the bitset (n words) of the products whose names have every word of q as the
// start of one of their words.
func (x *Index) nameHits(q string, n int) []uint64 {
	hits := make([]uint64, n)
	qwords := words(q, nil)
	if len(qwords) == 0 {
		return hits
	}
	var cur []uint64
	for k, qw := range qwords {
		target := hits
		if k > 0 {
			if cur == nil {
				cur = make([]uint64, n)
			} else {
				clear(cur)
			}
			target = cur
		}
		lo := sort.SearchStrings(x.words, qw)
		for j := lo; j < len(x.words) && strings.HasPrefix(x.words[j], qw); j++ {
			for _, i := range x.postings[j] {
				target[i/64] |= 1 << (i % 64)
			}
		}
		if k > 0 {
			left := uint64(0)
			for w := range hits {
				hits[w] &= cur[w]
				left |= hits[w]
			}
			if left == 0 {
				break
			}
		}
	}
	return hits
}

// ByBarcode is the position of the product with this barcode.
//
// A UPC-A is the EAN-13 with a leading 0, and scanners send it either way depending on their
// settings: the other form is tried too, so a product stored with one is found by the other.
func (x *Index) ByBarcode(code string) (int, bool) {
	if i, ok := x.barcodes[code]; ok {
		return int(i), true
	}
	switch {
	case len(code) == 13 && code[0] == '0':
		code = code[1:]
	case len(code) == 12:
		code = "0" + code
	default:
		return 0, false
	}
	i, ok := x.barcodes[code]
	return int(i), ok
}

// ByCode is the position of the product with this code (case ignored), the first if several.
func (x *Index) ByCode(code string) (int, bool) {
	if list := x.codes[strings.ToLower(strings.TrimSpace(code))]; len(list) > 0 {
		return int(list[0]), true
	}
	return 0, false
}
