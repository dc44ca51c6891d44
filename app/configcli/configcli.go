// Package configcli imports the till's configuration document from a file into the cache, for
// `till -config PATH` and `till sale --config PATH` while no back office serves it. It must
// never leave the cache without a good document: a file that is unreadable or wrong is
// refused as a whole, and the last good configuration stays in force.
package configcli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"till/app/config"
	"till/app/errtext"
	"till/storage"
)

// Import reads the document at path, checks it (config.Check: the rules of config.md and the
// terminal profile overrides) and caches it with source config.SourceFile, which may replace
// any cached version. On error nothing is cached; the error says in the run's language which
// file failed and how (errtext.Text), and wraps the cause: for a bad document the
// *config.FieldError naming the field.
func Import(ctx context.Context, db *storage.DB, path string) (*config.Document, error) {
	file := map[string]any{"Path": path}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errtext.Wrap(fmt.Errorf("import configuration: %w", err), "tool.config.unreadable", file)
	}
	doc, err := config.Parse(data)
	if err == nil {
		err = config.Check(doc)
	}
	if err != nil {
		key, data := "tool.config.invalid", file
		var fe *config.FieldError
		if errors.As(err, &fe) {
			key, data = "tool.config.invalid.field", map[string]any{"Path": path, "Field": fe.Field}
		}
		return nil, errtext.Wrap(fmt.Errorf("import configuration %s: %w", path, err), key, data)
	}
	if err := db.SaveConfig(ctx, doc, config.SourceFile); err != nil {
		return nil, errtext.Wrap(fmt.Errorf("import configuration %s: %w", path, err), "tool.config.not.saved", file)
	}
	return doc, nil
}
