// Package schematest checks FatturaPA XML against the official schema with xmllint, for the
// tests of every package that builds invoices. It never skips: a machine without xmllint
// fails with the package to install.
package schematest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// SchemaPath returns fiscal/fatturapa/schema/FatturaPA_v1.2.2.xsd under the repository root
// (the nearest folder above the test holding go.mod). The schema, and the xmldsig schema it
// imports from the same folder, are part of the repository so that a plain clone validates.
func SchemaPath(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	schema := filepath.Join(dir, "fiscal", "fatturapa", "schema")
	for _, name := range []string{"FatturaPA_v1.2.2.xsd", "xmldsig-core.xsd"} {
		if _, err := os.Stat(filepath.Join(schema, name)); err != nil {
			t.Fatalf("official schema missing from the repository: %v", err)
		}
	}
	return filepath.Join(schema, "FatturaPA_v1.2.2.xsd")
}

// Validate fails the test when xmllint --nonet refuses the invoice.
func Validate(t testing.TB, xml []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not found: apt-get install libxml2-utils")
	}
	f := filepath.Join(t.TempDir(), "invoice.xml")
	if err := os.WriteFile(f, xml, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--nonet", "--noout", "--schema", SchemaPath(t), f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint rejects the invoice: %v\n%s\n%s", err, out, xml)
	}
}
