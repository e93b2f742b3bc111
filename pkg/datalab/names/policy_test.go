package names

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

func TestPolicyNames(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Policies {
		if seen[p] {
			t.Errorf("duplicate policy name %s", p)
		}
		seen[p] = true
		if errs := validation.IsDNS1123Subdomain(p); len(errs) > 0 {
			t.Errorf("%s: %v", p, errs)
		}
	}
	if len(Policies) != 14 {
		t.Errorf("every policy name must be excludable: %d listed", len(Policies))
	}
	d := "team-wonderland"
	got := map[string]bool{WorkspaceQuota(d): true, WorkspaceLimitRange(d): true, WorkspaceIngressPolicy(d): true, WorkspaceEgressPolicy(d): true}
	if len(got) != 4 {
		t.Error("workspace object names collide")
	}
}
