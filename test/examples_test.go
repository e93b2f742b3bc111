package test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/test/render"
)

// TestExamples renders every claim in examples/ through the whole pipeline
// with the example environment and required Secrets, as `make render`
// does: each renders without a Fatal result, and every object (and the
// manifests nested in Objects and Educates objects) is valid against the
// real schemas and inside the tenant's boundary.
func TestExamples(t *testing.T) {
	root, v := xrdValidator(t, "the examples are")
	e := renderEnv(t, root)
	required, _ := filepath.Glob(filepath.Join(root, "examples", "required", "*.yaml"))
	files, _ := filepath.Glob(filepath.Join(root, "examples", "*.yaml"))
	claims := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if docs := yamlDocs(t, b); len(docs) != 1 || str(docs[0], "kind") != "Datalab" {
			continue
		}
		claims++
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, err := e.Render(context.Background(), render.Case{
				XR:          f,
				Composition: filepath.Join(root, "package", "composition.yaml"),
				XRD:         filepath.Join(root, "package", "xrd.yaml"),
				Required:    append([]string{filepath.Join(root, "examples", "environment.yaml")}, required...),
			})
			if err != nil {
				t.Fatalf("render failed: %v", err)
			}
			if strings.Contains(string(out), "severity: SEVERITY_FATAL") {
				t.Fatalf("a Fatal result:\n%s", out)
			}
			for _, p := range check(v, out) {
				t.Error(p)
			}
		})
	}
	if claims < 5 {
		t.Fatalf("only %d example claims", claims)
	}
}
