//go:build race

package portal_test

// bigCatalogue: under the race detector SQLite (C translated to Go) is some twenty times
// slower, and 50,000 products take minutes; without -race the tests use the full size.
const bigCatalogue = 5_000
