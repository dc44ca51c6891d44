package catalogue

import "testing"

// keystrokes are what a cashier types, one key at a time, looking for products.
var keystrokes = []string{
	"c", "ca", "caf", "caff", "caffe", "caffe ", "caffe o", "caffe or", "caffe orz", "caffe orzo",
	"p", "pa", "pas", "pasta", "pasta i", "pasta in", "pasta integ",
	"m", "mo", "moz", "mozz", "mozzarella b",
	"A012345", "8000000000030", "x", "vino rosso tosc",
}

// BenchmarkSearch50k is one keystroke's search over 50,000 products: the sale screen runs it
// on every key, so it must stay far under a frame (16 ms).
func BenchmarkSearch50k(b *testing.B) {
	x := NewIndex(genProducts(50_000, 1))
	var dst []int
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		dst = x.Search(keystrokes[i%len(keystrokes)], "", dst[:0])
	}
}
