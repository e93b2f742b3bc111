package step

import (
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// TestVolumeKeepers: the runtime's keeper of a session volume passes; a
// PersistentVolume anywhere else, or a keeper that could create, delete,
// change other fields or bind the volume elsewhere, is vetoed.
func TestVolumeKeepers(t *testing.T) {
	tenant := names.Tenant{Namespace: "team", Name: "lab"}
	keeper := func(policies []any, spec map[string]any) string {
		o := compose.Object("keep-pv-1", map[string]any{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": map[string]any{"name": "pv-1"}, "spec": spec},
			compose.ObjectOptions{UpdateOnly: true})
		if policies != nil {
			o["spec"].(map[string]any)["managementPolicies"] = policies
		}
		return obj(o)
	}
	own := map[string]any{"persistentVolumeReclaimPolicy": "Retain", "claimRef": map[string]any{"namespace": tenant.Environment("s1"), "name": "x", "uid": ""}}
	key := string(compose.VolumeKeeperKey(compose.WorkspaceKey("s1")))
	for name, tc := range map[string]struct {
		key, keeper string
		veto        string
	}{
		"the runtime's keeper": {key, keeper(nil, own), ""},
		"another key":          {"volume", keeper(nil, own), "may only keep one of its session volumes"},
		"another session":      {string(compose.VolumeKeeperKey(compose.WorkspaceKey("nobody"))), keeper(nil, own), "may only keep one of its session volumes"},
		"deletes":              {key, keeper([]any{"*"}, own), "may only observe and update"},
		"reclaims":             {key, keeper(nil, map[string]any{"persistentVolumeReclaimPolicy": "Delete"}), "supported values"},
		"binds elsewhere":      {key, keeper(nil, map[string]any{"claimRef": map[string]any{"namespace": "victim", "name": "data"}}), "is not session s1's workshop namespace"},
		"changes other fields": {key, keeper(nil, map[string]any{"capacity": map[string]any{"storage": "1Pi"}}), "sets only"},
	} {
		t.Run(name, func(t *testing.T) {
			rsp := runWith(t, map[string]string{tc.key: tc.keeper})
			got := fatal(rsp)
			if (tc.veto == "") != (got == "") || !strings.Contains(got, tc.veto) {
				t.Fatalf("veto %q, want %q", got, tc.veto)
			}
		})
	}
}

func runWith(t *testing.T, desired map[string]string) *fnv1.RunFunctionResponse {
	t.Helper()
	return fntest.Run(t, fn, newRequest(t, call{desired: desired}))
}

// TestRoleObjectsKeepTheBoundary: a Role kept current by an Object may not
// write the boundary's kinds; a RoleBinding may bind only a session
// ClusterRole of an allowed role (or a Role).
func TestRoleObjectsKeepTheBoundary(t *testing.T) {
	tenant := names.Tenant{Namespace: "team", Name: "lab"}
	ns := tenant.SessionNamespace("s1")
	role := func(rules []any) string {
		m := compose.Manifest("rbac.authorization.k8s.io/v1", "Role", ns, "tenant-tools", nil)
		m["rules"] = rules
		return obj(compose.Object("role-x", m, compose.ObjectOptions{}))
	}
	binding := func(kind, name string) string {
		m := compose.Manifest("rbac.authorization.k8s.io/v1", "RoleBinding", ns, name, nil)
		m["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name}
		return obj(compose.Object("rolebinding-x", m, compose.ObjectOptions{}))
	}
	key := string(compose.SessionRoleBindingKey("edit", "s1"))
	// testEnv allows view and edit.
	for name, tc := range map[string]struct{ object, veto string }{
		"the session role":               {binding("ClusterRole", compose.SessionClusterRole("edit")), ""},
		"a Role of the session's":        {binding("Role", "tenant-tools"), ""},
		"a Role that reads":              {role(compose.SessionRoleRules("edit")), ""},
		"a Role writing NetworkPolicies": {role([]any{map[string]any{"apiGroups": []any{"networking.k8s.io"}, "resources": []any{"networkpolicies"}, "verbs": []any{"create"}}}), "write NetworkPolicies"},
		"a role outside the allowlist":   {binding("ClusterRole", compose.SessionClusterRole("admin")), "allowlist"},
		"cluster-admin":                  {binding("ClusterRole", "cluster-admin"), "cannot verify"},
		"Kubernetes' edit":               {binding("ClusterRole", "edit"), "cannot verify"},
		"a lookalike":                    {binding("ClusterRole", compose.SessionRoleName+"-root"), "cannot verify"},
	} {
		t.Run(name, func(t *testing.T) {
			if f := fatal(runWith(t, map[string]string{key: tc.object})); (tc.veto == "") != (f == "") || !strings.Contains(f, tc.veto) {
				t.Fatalf("veto %q, want %q", f, tc.veto)
			}
		})
	}
}
