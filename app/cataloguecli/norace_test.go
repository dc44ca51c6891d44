//go:build !race

package cataloguecli_test

// bigImportRows is the size of the large import test's file.
const bigImportRows = 50_000
