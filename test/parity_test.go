package test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// TestXRDServesOnlyValidatedVersions: every served version validates the
// spec (no preserve-unknown-fields that would skip the rules) and declares
// the status the functions write, so a claim in any served version is
// validated and can report its state.
func TestXRDServesOnlyValidatedVersions(t *testing.T) {
	root := rootDir(t)
	b, err := os.ReadFile(filepath.Join(root, "package", "xrd.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var xrd struct {
		Spec struct {
			Versions []struct {
				Name   string
				Served bool
				Schema struct {
					OpenAPIV3Schema struct {
						Properties map[string]map[string]any
					} `json:"openAPIV3Schema"`
				}
			}
		}
	}
	if err := yaml.Unmarshal(b, &xrd); err != nil {
		t.Fatal(err)
	}
	for _, v := range xrd.Spec.Versions {
		if !v.Served {
			continue
		}
		props := v.Schema.OpenAPIV3Schema.Properties
		if props["spec"]["x-kubernetes-preserve-unknown-fields"] == true || props["spec"]["properties"] == nil {
			t.Errorf("%s is served without a validating spec schema: its writes skip every rule", v.Name)
		}
		status, _ := props["status"]["properties"].(map[string]any)
		for _, f := range []string{"sessions", "services", "drift"} {
			if _, ok := status[f]; !ok {
				t.Errorf("%s is served without status.%s, which the functions set: its claims cannot report status", v.Name, f)
			}
		}
	}
}

// TestFunctionsRejectWhatTheXRDRejects: the XRD can be bypassed (an older
// served version, a direct write), so every claim the XRD refuses must
// also be refused by the functions' own validation, with a field path.
func TestFunctionsRejectWhatTheXRDRejects(t *testing.T) {
	_, v := xrdValidator(t, "XRD validation is")
	many := func(n int, item string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
	}
	sessions := func(n int) string {
		var s []string
		for i := range n {
			s = append(s, "{name: s"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26))+"}")
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	users := func(n int) string {
		var s []string
		for i := range n {
			s = append(s, "u"+strings.Repeat("0", i%3)+string(rune('a'+i%26))+string(rune('a'+(i/26)%26)))
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	stores := func(n int) string {
		var s []string
		for i := range n {
			s = append(s, "s"+string(rune('a'+i))+": {storage: 1Gi}")
		}
		return "{" + strings.Join(s, ", ") + "}"
	}
	cases := map[string]string{
		"session name too long":             "sessions: [{name: a-very-long-session-name-x}]",
		"session name not a DNS label":      "sessions: [{name: Default_Session}]",
		"duplicate session names":           "sessions: [{name: a}, {name: a}]",
		"predecessor's session state":       "sessions: [{name: a, state: paused}]",
		"unknown session state":             "sessions: [{name: a, state: hibernating}]",
		"too many sessions":                 "sessions: " + sessions(51),
		"too many users":                    "users: " + users(257),
		"user with a space":                 "users: [\"al ice\"]",
		"override for a non-user":           "users: [alice]\nuserOverrides: {mallory: {role: admin}}",
		"unknown user role":                 "users: [alice]\nuserOverrides: {alice: {role: root}}",
		"quantity that does not parse":      "quota: {memory: two-gigs}",
		"negative quantity":                 "quota: {storage: \"-1Gi\"}",
		"unknown budget":                    "quota: {budget: infinite}",
		"unknown security policy":           "security: {policy: anything}",
		"unknown kubernetes role":           "security: {kubernetesRole: cluster-admin}",
		"secretName not a DNS name":         "secretName: Not_A_Name",
		"storage class not a DNS name":      "persistence: {storageClassName: Fast_SSD}",
		"file with two sources":             "files: [{git: {url: a}, http: {url: b}}]",
		"file with no source":               "files: [{path: data}]",
		"file path escaping":                "files: [{path: ../../etc, http: {url: https://x}}]",
		"file path absolute":                "files: [{path: /etc, http: {url: https://x}}]",
		"too many files":                    "files: " + many(21, "{http: {url: https://x}}"),
		"database host name invalid":        "databases: {Main_DB: {storage: 1Gi, backupStorage: 1Gi}}",
		"database host name too long":       "databases: {" + strings.Repeat("h", 31) + ": {storage: 1Gi, backupStorage: 1Gi}}",
		"database name invalid":             "databases: {pg: {names: [Bad-Name], storage: 1Gi, backupStorage: 1Gi}}",
		"too many document stores":          "documentStores: " + stores(21),
		"store name invalid":                "cacheStores: {Cache: {storage: 1Gi}}",
		"store size that does not parse":    "vectorStores: {vec: {storage: lots}}",
		"registry size that does not parse": "registry: {enabled: true, storage: 5GB}",
	}
	env := &environment.Config{}
	for name, spec := range cases {
		t.Run(name, func(t *testing.T) {
			var claim map[string]any
			doc := "apiVersion: pkg.internal/v1beta2\nkind: Datalab\nmetadata: {name: lab, namespace: team}\nspec:\n  " + strings.ReplaceAll(spec, "\n", "\n  ")
			if err := yaml.Unmarshal([]byte(doc), &claim); err != nil {
				t.Fatal(err)
			}
			if errs := v.Validate(claim); len(errs) == 0 {
				t.Fatalf("the XRD accepts it: the case does not test a rule")
			}
			d, err := api.FromComposite(&unstructured.Unstructured{Object: claim})
			if err != nil {
				if !strings.Contains(err.Error(), "spec") {
					t.Fatalf("refused without naming the field: %v", err)
				}
				return
			}
			errs := validation.Datalab(d, env)
			errs = append(errs, validation.Storage(d, env)...)
			errs = append(errs, validation.Identity(d, env)...)
			errs = append(errs, validation.Backends(d, env)...)
			if len(errs) == 0 {
				t.Fatal("the XRD rejects it but the functions would render it")
			}
			if msg := validation.Message(errs); !strings.Contains(msg, "spec.") {
				t.Fatalf("the message names no field: %s", msg)
			}
		})
	}
}
