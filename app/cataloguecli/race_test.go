//go:build race

package cataloguecli_test

// bigImportRows: under the race detector SQLite (C translated to Go) is some twenty times
// slower, and 50,000 rows take minutes; `go test ./app/cataloguecli` runs the full size.
const bigImportRows = 5_000
