package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func TestManagementPoliciesKeepDataUnlessDelete(t *testing.T) {
	keep := []any{"Observe", "Create", "Update", "LateInitialize"}
	cases := []struct {
		stateful  bool
		retention string
		want      []any
	}{
		{true, environment.RetentionRetain, keep},
		{true, "", keep},
		{true, environment.RetentionDelete, []any{"*"}},
		{false, environment.RetentionRetain, []any{"*"}},
	}
	for _, c := range cases {
		if d := cmp.Diff(c.want, ManagementPolicies(c.stateful, c.retention)); d != "" {
			t.Errorf("stateful=%v retention=%q: %s", c.stateful, c.retention, d)
		}
	}
}

func TestSessionOf(t *testing.T) {
	if s, ok := SessionOf(WorkspaceKey("default"), WorkspaceKey); !ok || s != "default" {
		t.Fatalf("got %q %v", s, ok)
	}
	if _, ok := SessionOf(SessionKey("default"), WorkspaceKey); ok {
		t.Fatal("a session key was taken for a workspace key")
	}
	if _, ok := SessionOf("workspace-", WorkspaceKey); ok {
		t.Fatal("an empty session name was accepted")
	}
}
