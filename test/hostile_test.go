package test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/test/render"
)

// expectation is a hostile case's expect.yaml: the render must fail with
// a Fatal result containing Fatal, or succeed and contain (and lack) the
// given text.
type expectation struct {
	Fatal    string   `json:"fatal"`
	Contains []string `json:"contains"`
	Lacks    []string `json:"lacks"`
}

// TestHostileCorpus renders every claim in test/hostile/ (a hostile
// tenant's claims, environments and observed state; each case's xr.yaml
// says what it tries) through the whole pipeline, WITHOUT the XRD, as a
// write that bypassed the API server's validation would reach it, and
// checks the outcome its expect.yaml names. A Fatal result stops the
// pipeline before anything is applied or deleted.
func TestHostileCorpus(t *testing.T) {
	root := rootDir(t)
	dirs, _ := filepath.Glob(filepath.Join(root, "test", "hostile", "*"))
	if len(dirs) == 0 {
		t.Fatal("no hostile cases")
	}
	e := renderEnv(t, root)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, "expect.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var want expectation
			if err := yaml.UnmarshalStrict(b, &want); err != nil {
				t.Fatal(err)
			}
			c := goldenCase{name: filepath.Base(dir), dir: dir}
			out, err := c.renderWithout(context.Background(), root, e)
			if err != nil {
				t.Fatal(err)
			}
			got := string(out)
			failed := strings.Contains(got, "# render error:")
			switch {
			case want.Fatal != "":
				if !failed || !strings.Contains(oneLine(got), want.Fatal) {
					t.Fatalf("want a Fatal result containing %q, got:\n%s", want.Fatal, tail(got))
				}
			case failed:
				t.Fatalf("want a render, got:\n%s", tail(got))
			}
			for _, s := range want.Contains {
				if !strings.Contains(got, s) && !strings.Contains(oneLine(got), s) {
					t.Errorf("the render lacks %q", s)
				}
			}
			for _, s := range want.Lacks {
				if strings.Contains(got, s) {
					t.Errorf("the render contains %q", s)
				}
			}
		})
	}
}

// renderWithout renders a case through the whole pipeline without the
// XRD (no schema defaults or validation before the functions).
func (c goldenCase) renderWithout(ctx context.Context, root string, e *render.Env) ([]byte, error) {
	return c.render(ctx, root, e, false)
}

// oneLine undoes YAML line folding, so expectations can name messages.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n# ", " ")
	return strings.Join(strings.Fields(s), " ")
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
