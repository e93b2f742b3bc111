package test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/test/render"
	"github.com/versioneer-tech/provider-datalab/test/schema"
)

var update = flag.Bool("update", false, "rewrite the render goldens from the current code")

// goldenCase is one folder of render inputs and the expected output:
//
//	xr.yaml           the Datalab (required)
//	environment.yaml  the EnvironmentConfig (default: examples/environment.yaml;
//	                  a file named no-environment means none at all); the
//	                  ingress protection of examples/required comes with it
//	observed.yaml     observed composed resources (optional)
//	required.yaml     more required resources, e.g. Secrets (optional)
//	steps             pipeline steps, one per line (default: the function
//	                  alone; full-pipeline cases use package/composition.yaml)
//	expected.yaml     the rendered output, with the render error if any
type goldenCase struct {
	name string
	dir  string
	fn   string // "" for the full pipeline
}

func cases(t *testing.T, root string) []goldenCase {
	t.Helper()
	var out []goldenCase
	add := func(pattern, fn string) {
		dirs, _ := filepath.Glob(pattern)
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, "xr.yaml")); err != nil {
				continue
			}
			rel, _ := filepath.Rel(root, d)
			out = append(out, goldenCase{name: rel, dir: d, fn: fn})
		}
	}
	fns := render.Available(root)
	for _, fn := range fns {
		add(filepath.Join(root, "functions", fn, "testdata", "*"), fn)
	}
	if os.Getenv("DATALAB_FUNCTIONS") == "" {
		add(filepath.Join(root, "package", "testdata", "*"), "")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func (c goldenCase) render(ctx context.Context, root string, e *render.Env, withXRD bool) ([]byte, error) {
	rc := render.Case{
		XR:          filepath.Join(c.dir, "xr.yaml"),
		Composition: filepath.Join(root, "package", "composition.yaml"),
	}
	if withXRD {
		rc.XRD = filepath.Join(root, "package", "xrd.yaml")
	}
	env := filepath.Join(c.dir, "environment.yaml")
	if !exists(env) {
		env = filepath.Join(root, "examples", "environment.yaml")
	}
	if !exists(filepath.Join(c.dir, "no-environment")) {
		// The platform every case runs on: the EnvironmentConfig, and the
		// ingress protection that delegated mode requires in place.
		rc.Required = append(rc.Required, env, filepath.Join(root, "examples", "required", "ingress-protection.yaml"))
	}
	if p := filepath.Join(c.dir, "required.yaml"); exists(p) {
		rc.Required = append(rc.Required, p)
	}
	if p := filepath.Join(c.dir, "observed.yaml"); exists(p) {
		rc.Observed = p
	}
	if c.fn != "" {
		rc.Steps = []string{c.fn}
		if b, err := os.ReadFile(filepath.Join(c.dir, "steps")); err == nil {
			rc.Steps = strings.Fields(string(b))
		}
	}
	out, err := e.Render(ctx, rc)
	if err != nil {
		var b bytes.Buffer
		b.Write(out)
		b.WriteString("# render error:\n")
		for _, l := range strings.Split(err.Error(), "\n") {
			b.WriteString("# " + l + "\n")
		}
		return b.Bytes(), nil
	}
	return out, nil
}

// TestGoldens renders every case, compares it with its golden, validates
// every rendered object (and the manifests nested in Objects and Educates
// objects) against the real schemas, and checks that nothing the
// namespaced Datalab composes directly is cluster-scoped or in another
// namespace.
func TestGoldens(t *testing.T) {
	root := rootDir(t)
	e := renderEnv(t, root)

	var v *schema.Validator
	if dir, ok := schema.DefaultDir(); ok {
		var err error
		if v, err = schema.Load(dir); err != nil {
			t.Fatal(err)
		}
		if err := v.AddXRD(filepath.Join(root, "package", "xrd.yaml")); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("shared/crds not found: schema validation and the scope check are skipped")
	}

	all := cases(t, root)
	if len(all) == 0 {
		t.Fatal("no golden cases found")
	}
	for _, c := range all {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.render(context.Background(), root, e, true)
			if err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(c.dir, "expected.yaml")
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("no golden: %v (run make update and review it)", err)
			}
			if !bytes.Equal(exp, got) {
				t.Errorf("render differs from %s (run make update and review the diff):\n%s", want, lineDiff(string(exp), string(got)))
			}
			if v != nil {
				for _, p := range check(v, got) {
					t.Error(p)
				}
			}
		})
	}
}

// check validates the rendered documents and applies the scope rule.
func check(v *schema.Validator, rendered []byte) []string {
	var problems []string
	docs := strings.Split(string(rendered), "\n---\n")
	var xrNamespace string
	var objs []map[string]any
	for _, d := range docs {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(d), &m); err != nil {
			problems = append(problems, fmt.Sprintf("unparseable document: %v", err))
			continue
		}
		if m == nil {
			continue
		}
		if m["kind"] == "Datalab" {
			md, _ := m["metadata"].(map[string]any)
			xrNamespace, _ = md["namespace"].(string)
		}
		objs = append(objs, m)
	}
	for _, m := range objs {
		kind, _ := m["kind"].(string)
		apiVersion, _ := m["apiVersion"].(string)
		if kind == "Result" {
			continue
		}
		for _, err := range v.Validate(m) {
			problems = append(problems, err.Error())
		}
		if kind == "Datalab" {
			continue
		}
		md, _ := m["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		ns, _ := md["namespace"].(string)
		namespaced, known := v.Scope(apiVersion, kind)
		switch {
		case !known:
			problems = append(problems, fmt.Sprintf("scope: %s %s has no schema", kind, name))
		case !namespaced:
			problems = append(problems, fmt.Sprintf("scope: %s %s is cluster-scoped; a namespaced Datalab must wrap it in an Object", kind, name))
		case ns != xrNamespace:
			problems = append(problems, fmt.Sprintf("scope: %s %s is in namespace %q, not the Datalab's %q", kind, name, ns, xrNamespace))
		}
	}
	return problems
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// lineDiff shows the first differing lines, enough to see what changed.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y))
			if len(out) >= 10 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
