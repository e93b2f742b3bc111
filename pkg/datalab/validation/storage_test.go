package validation

import (
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func TestStorageInput(t *testing.T) {
	cases := map[string]struct {
		secretName string
		storage    environment.Storage
		path       string
	}{
		"secret name":           {"Not_A_Secret", environment.Storage{}, "spec.secretName"},
		"secret namespace":      {"", environment.Storage{SecretNamespace: "Shared Secrets"}, "EnvironmentConfig.data.storage.secretNamespace"},
		"type":                  {"", environment.Storage{Type: "azureblob"}, "EnvironmentConfig.data.storage.type"},
		"endpoint with newline": {"", environment.Storage{Endpoint: "https://s3\n[x]"}, "EnvironmentConfig.data.storage.endpoint"},
		"region with space":     {"", environment.Storage{Region: "eu central"}, "EnvironmentConfig.data.storage.region"},
		"provider with control": {"", environment.Storage{Provider: "Other\t"}, "EnvironmentConfig.data.storage.provider"},
	}
	for name, c := range cases {
		d := valid()
		d.Spec.SecretName = c.secretName
		errs := Storage(d, &environment.Config{Storage: c.storage})
		if len(errs) != 1 || errs[0].Field != c.path {
			t.Errorf("%s: got %v, want one error at %s", name, errs, c.path)
		}
	}
	ok := &environment.Config{Storage: environment.Storage{SecretNamespace: "shared", Type: "S3", Endpoint: "https://s3.example.com", Region: "eu-central-1", Provider: "Other"}}
	d := valid()
	d.Spec.SecretName = "team.creds-1"
	if errs := Storage(d, ok); len(errs) != 0 {
		t.Errorf("valid storage input rejected: %v", errs)
	}
}

// TestStorageBinding is the tenant rule for a shared storage namespace.
func TestStorageBinding(t *testing.T) {
	d := &api.Datalab{Name: "lab", Namespace: "team-b", Spec: api.Spec{SecretName: "creds"}}
	cases := map[string]struct {
		namespace string
		labels    map[string]string
		ok        bool
	}{
		"own namespace, no labels":          {"team-b", nil, true},
		"own namespace, foreign labels":     {"team-b", map[string]string{compose.LabelNamespace: "team-a"}, true},
		"shared, bound to the namespace":    {"shared", map[string]string{compose.LabelNamespace: "team-b"}, true},
		"shared, bound to the Datalab":      {"shared", map[string]string{compose.LabelNamespace: "team-b", compose.LabelDatalab: "lab"}, true},
		"shared, unbound":                   {"shared", nil, false},
		"shared, another tenant's":          {"shared", map[string]string{compose.LabelNamespace: "team-a", compose.LabelDatalab: "lab"}, false},
		"shared, another Datalab's":         {"shared", map[string]string{compose.LabelNamespace: "team-b", compose.LabelDatalab: "other"}, false},
		"shared, name without namespace":    {"shared", map[string]string{compose.LabelDatalab: "lab"}, false},
		"shared, empty namespace label":     {"shared", map[string]string{compose.LabelNamespace: ""}, false},
		"shared, namespace label mis-cased": {"shared", map[string]string{compose.LabelNamespace: "Team-B"}, false},
	}
	for name, c := range cases {
		errs := StorageBinding(d, c.namespace, c.labels)
		if c.ok != (len(errs) == 0) {
			t.Errorf("%s: got %v", name, errs)
			continue
		}
		if c.ok {
			continue
		}
		msg := errs[0].Error()
		for _, want := range []string{"spec.secretName", "Forbidden", c.namespace + "/creds", compose.LabelNamespace + "=team-b"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: message %q lacks %q", name, msg, want)
			}
		}
		if strings.Contains(msg, "team-a") {
			t.Errorf("%s: message reveals the owner: %q", name, msg)
		}
	}
}
