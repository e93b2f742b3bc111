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
