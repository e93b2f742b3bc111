package compose

import "testing"

func TestSessionRolesLeaveTheBoundaryUnwritable(t *testing.T) {
	for _, role := range []string{"view", "edit", "admin", "unknown"} {
		for _, r := range SessionRoleRules(role) {
			if WritesBoundary(r.(map[string]any)) {
				t.Errorf("%s: %v writes a boundary resource", role, r)
			}
		}
	}
	writes := func(group, verb, res string) bool {
		return WritesBoundary(map[string]any{"apiGroups": []any{group}, "verbs": []any{verb}, "resources": []any{res}})
	}
	for _, c := range []struct {
		group, verb, res string
		want             bool
	}{
		{"networking.k8s.io", "create", "networkpolicies", true},
		{"*", "update", "resourcequotas", true},
		{"", "*", "*", true},
		{"", "delete", "limitranges", true},
		{"networking.k8s.io", "get", "networkpolicies", false},
		{"networking.k8s.io", "create", "ingresses", false},
		{"apps", "create", "*", false},
	} {
		if got := writes(c.group, c.verb, c.res); got != c.want {
			t.Errorf("%s %s %s: WritesBoundary = %v", c.group, c.verb, c.res, got)
		}
	}
}

func TestSessionClusterRoles(t *testing.T) {
	for role, want := range map[string]string{"view": "datalab-session-view", "edit": "datalab-session-edit", "admin": "datalab-session-admin", "root": "datalab-session-view", "": "datalab-session-view"} {
		if got := SessionClusterRole(role); got != want {
			t.Errorf("SessionClusterRole(%q) = %q, want %q", role, got, want)
		}
	}
	for name, want := range map[string]string{"datalab-session-edit": "edit", "datalab-session-admin": "admin", "datalab-session-root": "", "datalab-session": "", "edit": "", "cluster-admin": ""} {
		if got, ok := SessionRoleOf(name); ok != (want != "") || ok && got != want {
			t.Errorf("SessionRoleOf(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	roles := SessionClusterRoles()
	if len(roles) != len(SessionRoles) {
		t.Fatalf("%d ClusterRoles for %d roles", len(roles), len(SessionRoles))
	}
	for i, r := range roles {
		if role, ok := SessionRoleOf(r["metadata"].(map[string]any)["name"].(string)); !ok || role != SessionRoles[i] {
			t.Errorf("ClusterRole %d is %v", i, r["metadata"])
		}
	}
}
