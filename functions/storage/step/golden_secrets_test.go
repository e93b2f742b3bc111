package step

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// credentialKeys are the keys whose values are secrets, in source Secrets
// (every alias) and in the composed Secret.
var credentialKeys = append(append([]string{}, accessKeyAliases...), secretKeyAliases...)

// minFixtureLen keeps fixture credentials distinctive: a short value such
// as "a" would be found everywhere and prove nothing.
const minFixtureLen = 8

// docs splits a rendered or fixture YAML stream into its documents, each
// with its raw text (comments included: a render error is a comment).
func docs(t *testing.T, text string) []doc {
	t.Helper()
	var out []doc
	for _, raw := range strings.Split("\n"+text, "\n---") {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("unparseable document: %v\n%s", err, raw)
		}
		out = append(out, doc{raw: raw, obj: m})
	}
	return out
}

type doc struct {
	raw string
	obj map[string]any
}

func (d doc) kind() string { k, _ := d.obj["kind"].(string); return k }

// fixtureSecrets collects the credential values of every Secret in a
// fixture file (source Secrets in required.yaml, composed Secrets in
// observed.yaml), decoded.
func fixtureSecrets(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range docs(t, string(b)) {
		if d.kind() != "Secret" {
			continue
		}
		data, _ := d.obj["data"].(map[string]any)
		for _, k := range credentialKeys {
			enc, ok := data[k].(string)
			if !ok {
				continue
			}
			v, err := base64.StdEncoding.DecodeString(enc)
			if err != nil {
				t.Fatalf("%s: %s: %v", path, k, err)
			}
			// A multi-line fixture value leaks line by line.
			for _, line := range strings.Split(string(v), "\n") {
				if line = strings.TrimSpace(line); len(line) < minFixtureLen {
					t.Fatalf("%s: fixture value of %s has a line shorter than %d characters; make it distinctive", path, k, minFixtureLen)
				} else {
					out = append(out, line)
				}
			}
		}
	}
	return out
}

// leaks returns the fixture values (plain or base64-encoded) found in any
// document of a rendered output that is not a Secret: the XR with its
// status and conditions, Objects, results and render errors.
func leaks(t *testing.T, rendered string, values []string) []string {
	t.Helper()
	var found []string
	for _, d := range docs(t, rendered) {
		if d.kind() == "Secret" {
			continue
		}
		for _, v := range values {
			for _, form := range []string{v, base64.StdEncoding.EncodeToString([]byte(v))} {
				if strings.Contains(d.raw, form) {
					found = append(found, d.kind()+" contains "+form)
				}
			}
		}
	}
	return found
}

// TestGoldenSecretsOnlyInSecrets walks every storage golden: the fixture
// credentials (of the source Secrets and of the observed composed Secret)
// appear in no rendered document except Secrets. Where a Secret is
// rendered, the test also checks that the credentials it carries are
// fixture values, so the walk is not vacuous.
func TestGoldenSecretsOnlyInSecrets(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, dir := range dirs {
		exp, err := os.ReadFile(filepath.Join(dir, "expected.yaml"))
		if err != nil {
			continue
		}
		checked++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			values := append(fixtureSecrets(t, filepath.Join(dir, "required.yaml")), fixtureSecrets(t, filepath.Join(dir, "observed.yaml"))...)
			for _, l := range leaks(t, string(exp), values) {
				t.Error(l)
			}
			for _, d := range docs(t, string(exp)) {
				if d.kind() != "Secret" {
					continue
				}
				data, _ := d.obj["data"].(map[string]any)
				for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
					v, _ := base64.StdEncoding.DecodeString(data[k].(string))
					if !contains(values, string(v)) {
						t.Errorf("rendered %s %q is no fixture value: the fixture list is incomplete", k, v)
					}
				}
			}
		})
	}
	if checked < 10 {
		t.Fatalf("only %d goldens found", checked)
	}
}

// TestLeakDetection: the walk above would notice a leak.
func TestLeakDetection(t *testing.T) {
	rendered := "---\napiVersion: v1\nkind: Secret\ndata:\n  AWS_SECRET_ACCESS_KEY: " + base64.StdEncoding.EncodeToString([]byte("leaky-secret-value")) +
		"\n---\nkind: Datalab\nstatus:\n  conditions:\n  - message: key is " + base64.StdEncoding.EncodeToString([]byte("leaky-secret-value")) +
		"\n---\n# render error:\n# crossplane: error: leaky-secret-value\n"
	if got := leaks(t, rendered, []string{"leaky-secret-value"}); len(got) != 2 {
		t.Fatalf("found %v, want the base64 form in the Datalab and the plain form in the render error", got)
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
