package names

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

func TestAudience(t *testing.T) {
	cases := map[string]string{
		"workspace-api":           "workspace-api",
		"Workspace API":           "workspace-api",
		"  --https://api.x/v1-- ": "https-api-x-v1",
		"a__b":                    "a-b",
		"!!!":                     "",
		"":                        "",
		strings.Repeat("ab-", 30): strings.TrimRight(strings.Repeat("ab-", 16), "-"),
	}
	for in, want := range cases {
		got := Audience(in)
		if got != want {
			t.Errorf("Audience(%q) = %q, want %q", in, got, want)
		}
		if got == "" {
			continue
		}
		if errs := validation.IsDNS1123Label(got); len(errs) > 0 {
			t.Errorf("Audience(%q) = %q is not a DNS label: %v", in, got, errs)
		}
	}
}

// TestKeycloakNamesPerTenant: two same-named Datalabs in different
// namespaces never share a Keycloak client or group.
func TestKeycloakNamesPerTenant(t *testing.T) {
	a, b := Tenant{Namespace: "a", Name: "lab"}, Tenant{Namespace: "b", Name: "lab"}
	if a.KeycloakClientID() == b.KeycloakClientID() || a.KeycloakUserGroup() == b.KeycloakUserGroup() || a.KeycloakAdminGroup() == b.KeycloakAdminGroup() {
		t.Fatal("same-named Datalabs in different namespaces share Keycloak names")
	}
	if a.KeycloakUserGroup() == a.KeycloakAdminGroup() {
		t.Fatal("user and admin groups share a name")
	}
}
