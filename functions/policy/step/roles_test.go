package step

import (
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

// TestSessionRolesCannotWriteTheBoundary: a step (or an operator's
// replacement for the runtime) that gives session code write access to
// NetworkPolicies, ResourceQuotas or LimitRanges, binds a ClusterRole whose
// rules this step cannot see, or uses Educates' own role binding, is
// vetoed; the requested role must be allowed.
func TestSessionRolesCannotWriteTheBoundary(t *testing.T) {
	role := func(rules ...any) map[string]any {
		return map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
			"metadata": map[string]any{"name": "tenant-tools"}, "rules": rules}
	}
	binding := func(kind, name string) map[string]any {
		return map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
			"metadata": map[string]any{"name": name}, "roleRef": map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name}}
	}
	rule := func(group string, verbs []any, resources ...any) map[string]any {
		return map[string]any{"apiGroups": []any{group}, "verbs": verbs, "resources": resources}
	}
	edit := binding("ClusterRole", compose.SessionClusterRole("edit"))
	for name, tc := range map[string]struct {
		educatesRole string
		objects      []any
		env          string
		want         string // "" accepted
	}{
		"our edit role":           {"custom", []any{edit}, "", ""},
		"a Role that reads":       {"custom", []any{edit, role(compose.SessionRoleRules("view")...), binding("Role", "tenant-tools")}, "", ""},
		"network policies":        {"custom", []any{role(rule("networking.k8s.io", []any{"create"}, "networkpolicies"))}, "", "write NetworkPolicies"},
		"quotas by wildcard":      {"custom", []any{role(rule("", []any{"*"}, "*"))}, "", "write NetworkPolicies, ResourceQuotas or LimitRanges"},
		"any group":               {"custom", []any{role(rule("*", []any{"patch"}, "limitranges"))}, "", "ResourceQuotas or LimitRanges"},
		"Educates' edit role":     {"edit", nil, "", "binds Educates' edit session role"},
		"Educates' cluster-admin": {"cluster-admin", nil, "", "binds Educates' cluster-admin session role"},
		"cluster-admin":           {"custom", []any{binding("ClusterRole", "cluster-admin")}, "", "cannot verify"},
		"a role not allowed": {"custom", []any{binding("ClusterRole", compose.SessionClusterRole("admin"))},
			strings.Replace(testEnv, `"limits":{`, `"limits":{"allowedKubernetesRoles":["view","edit"],`, 1), "allowedKubernetesRoles"},
	} {
		t.Run(name, func(t *testing.T) {
			w := workshopManifest(false, nil, tc.objects)
			w["spec"].(map[string]any)["session"].(map[string]any)["namespaces"].(map[string]any)["role"] = tc.educatesRole
			rsp := fntest.Run(t, fn, newRequest(t, call{env: tc.env, desired: map[string]string{string(compose.WorkshopKey("s1")): obj(wrap(tenant.Environment("s1"), w))}}))
			got := fatal(rsp)
			if tc.want == "" && got != "" {
				t.Fatalf("vetoed: %s", got)
			}
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Fatalf("want a veto saying %q, got %q", tc.want, got)
			}
		})
	}
}
