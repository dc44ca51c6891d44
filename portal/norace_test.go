//go:build !race

package portal_test

// bigCatalogue is the size of the large catalogue tests: the 50,000 products.
const bigCatalogue = 50_000
