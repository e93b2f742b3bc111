package test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/test/render"
	"github.com/versioneer-tech/provider-datalab/test/schema"
)

// keycloakGroupSuffix marks provider-keycloak's namespaced API groups.
const keycloakGroupSuffix = ".keycloak.m.crossplane.io"

// TestIdentityActivation checks package/activation.yaml, the
// ManagedResourceActivationPolicy for the Keycloak kinds the identity step
// composes: it validates against the Crossplane schema, every entry names a
// provider-keycloak CRD, and it activates exactly the kinds the identity
// goldens emit (the predecessor's policy missed three, so its Datalabs never
// became Ready).
func TestIdentityActivation(t *testing.T) {
	root, dir := rootAndCRDs(t, "the activation policy is")

	b, err := os.ReadFile(filepath.Join(root, "package", "activation.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var policy map[string]any
	if err := yaml.Unmarshal(b, &policy); err != nil {
		t.Fatal(err)
	}
	v, err := schema.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if policy["kind"] != "ManagedResourceActivationPolicy" || policy["apiVersion"] != "apiextensions.crossplane.io/v1alpha1" {
		t.Fatalf("activation.yaml is a %v %v", policy["apiVersion"], policy["kind"])
	}
	for _, e := range v.Validate(policy) {
		t.Error(e)
	}
	spec, _ := policy["spec"].(map[string]any)
	activate := map[string]bool{}
	list, _ := spec["activate"].([]any)
	if len(list) == 0 {
		t.Fatal("activation.yaml activates nothing")
	}
	for _, a := range list {
		s, _ := a.(string)
		activate[s] = true
	}

	// CRD names (<plural>.<group>) by group and kind.
	crds := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "provider-keycloak", "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd struct {
			Metadata struct{ Name string }
			Spec     struct {
				Group string
				Names struct{ Kind string }
			}
		}
		if err := yaml.Unmarshal(b, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		crds[crd.Spec.Group+"/"+crd.Spec.Names.Kind] = crd.Metadata.Name
	}
	known := map[string]bool{}
	for _, name := range crds {
		known[name] = true
	}
	for a := range activate {
		if !known[a] {
			t.Errorf("activation.yaml activates %s, which is no provider-keycloak CRD", a)
		}
	}

	emitted := map[string]string{}
	goldens, _ := filepath.Glob(filepath.Join(root, "functions", "identity", "testdata", "*", "expected.yaml"))
	if len(goldens) == 0 {
		t.Fatal("no identity goldens")
	}
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range strings.Split(string(b), "\n---\n") {
			var m struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal([]byte(d), &m); err != nil || m.APIVersion == "" {
				continue
			}
			group, _, _ := strings.Cut(m.APIVersion, "/")
			if !strings.HasSuffix(group, keycloakGroupSuffix) {
				continue
			}
			name, ok := crds[group+"/"+m.Kind]
			if !ok {
				t.Errorf("%s emits %s %s, which has no provider-keycloak CRD", g, m.APIVersion, m.Kind)
				continue
			}
			emitted[name] = g
		}
	}
	var missing, unused []string
	for name, g := range emitted {
		if !activate[name] {
			missing = append(missing, name+" (emitted in "+filepath.Base(filepath.Dir(g))+")")
		}
	}
	for a := range activate {
		if _, ok := emitted[a]; !ok {
			unused = append(unused, a)
		}
	}
	sort.Strings(missing)
	sort.Strings(unused)
	if len(missing) > 0 {
		t.Errorf("activation.yaml does not activate: %s", strings.Join(missing, ", "))
	}
	if len(unused) > 0 {
		t.Errorf("activation.yaml activates kinds no golden emits (remove them or add a golden): %s", strings.Join(unused, ", "))
	}
}

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

// rootAndCRDs returns the repository root and the shared CRD directory,
// skipping the test (what is not checked) when the CRDs are not there.
func rootAndCRDs(t *testing.T, what string) (root, dir string) {
	t.Helper()
	wd, _ := os.Getwd()
	root, err := render.Root(wd)
	if err != nil {
		t.Fatal(err)
	}
	dir, ok := schema.DefaultDir()
	if !ok {
		t.Skip("shared/crds not found: " + what + " not checked")
	}
	return root, dir
}
