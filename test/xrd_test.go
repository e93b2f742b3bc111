package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestXRDRejectsWhatTheAPIServerCan: the claims in examples/ are valid
// against package/xrd.yaml (schema and CEL rules), and the bad inputs the
// API server can reject by itself are rejected there, before any function
// runs.
func TestXRDRejectsWhatTheAPIServerCan(t *testing.T) {
	root, v := xrdValidator(t, "XRD validation is")
	claim := func(spec string) map[string]any {
		var m map[string]any
		doc := "apiVersion: pkg.internal/v1beta2\nkind: Datalab\nmetadata: {name: lab, namespace: team}\nspec:\n" + spec
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}

	for _, f := range []string{"team-wonderland.yaml", "team-wonderland-services.yaml", "multi-user.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, "examples", f))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if errs := v.Validate(m); len(errs) > 0 {
			t.Errorf("examples/%s: %v", f, errs)
		}
	}

	bad := map[string]struct{ spec, want string }{
		"session name too long":        {"  sessions: [{name: a-very-long-session-name-x}]", "spec.sessions[0].name"},
		"session name not a DNS label": {"  sessions: [{name: Default_Session}]", "spec.sessions[0].name"},
		"duplicate session names":      {"  sessions: [{name: a}, {name: a}]", "spec.sessions[1]"},
		"unknown session state":        {"  sessions: [{name: a, state: paused}]", "spec.sessions[0].state"},
		"override for a non-user":      {"  users: [alice]\n  userOverrides: {mallory: {role: admin}}", "userOverrides"},
		"quantity that does not parse": {"  quota: {memory: two-gigs}", "spec.quota.memory"},
		"number instead of quantity":   {"  quota: {memory: 2}", "spec.quota.memory"},
		"file with two sources":        {"  files: [{git: {url: a}, http: {url: b}}]", "spec.files[0]"},
		"database without backup size": {"  databases: {pg: {names: [app], storage: 1Gi}}", "backupStorage"},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			errs := v.Validate(claim(c.spec))
			var all []string
			for _, e := range errs {
				all = append(all, e.Error())
			}
			if len(errs) == 0 || !strings.Contains(strings.Join(all, "\n"), c.want) {
				t.Fatalf("want a rejection at %s, got %v", c.want, all)
			}
		})
	}
}
