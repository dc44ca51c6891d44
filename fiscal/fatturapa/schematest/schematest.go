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

// SchemaPath finds shared/schemas/FatturaPA_v1.2.2.xsd beside the repository root (the
// folder holding go.mod), as CI and every developer have it.
func SchemaPath(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "schemas", "FatturaPA_v1.2.2.xsd")
		}
		dir = filepath.Dir(dir)
	}
	t.Fatal("go.mod not found above the test directory")
	return ""
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
