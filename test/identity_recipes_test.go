package test

import (
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/test/schema"
)

// TestIdentityRecipes validates the delegated-mode recipes the identity
// README documents (functions/identity/recipes) against the Kyverno schema.
func TestIdentityRecipes(t *testing.T) {
	root, dir := rootAndCRDs(t, "the recipes are")
	v, err := schema.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "functions", "identity", "recipes", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no recipes")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range v.Validate(m) {
			t.Errorf("%s: %v", filepath.Base(f), e)
		}
	}
}

// xrdValidator returns the repository root and a validator of the shared
// CRDs and the package's XRD, skipping the test (what is not checked) when
// the CRDs are not there.
func xrdValidator(t *testing.T, what string) (string, *schema.Validator) {
	t.Helper()
	root, dir := rootAndCRDs(t, what)
	v, err := schema.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.AddXRD(filepath.Join(root, "package", "xrd.yaml")); err != nil {
		t.Fatal(err)
	}
	return root, v
}

// rootAndCRDs returns the repository root and the shared CRD directory,
// skipping the test (what is not checked) when the CRDs are not there.
func rootAndCRDs(t *testing.T, what string) (root, dir string) {
	t.Helper()
	root = rootDir(t)
	dir, ok := schema.DefaultDir()
	if !ok {
		t.Skip("shared/crds not found: " + what + " not checked")
	}
	return root, dir
}
