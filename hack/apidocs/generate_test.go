package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReferenceIsCurrent fails when docs/api-reference.md does not match
// the XRD: run make docs and commit the result.
func TestReferenceIsCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	xrd, err := os.ReadFile(filepath.Join(root, "package", "xrd.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate(xrd)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "docs", "api-reference.md"))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatal("docs/api-reference.md is stale: run make docs and commit it")
	}
	for _, field := range []string{"`.spec.sessions[].name`", "`.spec.databases[*].backupStorage`", "`.status.sessions[*].phase`"} {
		if !strings.Contains(string(want), field) {
			t.Errorf("the reference lacks %s", field)
		}
	}
}
