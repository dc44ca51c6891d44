// Package configcli imports the till's configuration document from a file into the cache, for
// `till -config PATH` and `till sale --config PATH` while no back office serves it. It must
// never leave the cache without a good document: a file that is unreadable or wrong is
// refused as a whole, and the last good configuration stays in force.
package configcli

import (
	"context"
	"fmt"
	"os"

	"till/app/config"
	"till/storage"
)

// Import reads the document at path, checks it (config.Check: the rules of config.md and the
// terminal profile overrides) and caches it with source config.SourceFile, which may replace
// any cached version. On error nothing is cached and the error names the file and, for a bad
// document, wraps the *config.FieldError naming the field.
func Import(ctx context.Context, db *storage.DB, path string) (*config.Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("import configuration: %w", err)
	}
	doc, err := config.Parse(data)
	if err == nil {
		err = config.Check(doc)
	}
	if err != nil {
		return nil, fmt.Errorf("import configuration %s: %w", path, err)
	}
	if err := db.SaveConfig(ctx, doc, config.SourceFile); err != nil {
		return nil, fmt.Errorf("import configuration %s: %w", path, err)
	}
	return doc, nil
}
