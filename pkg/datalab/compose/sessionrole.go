package compose

import (
	"slices"
	"strings"
)

// The session role. Educates binds a session's service account to a
// ClusterRole of its own per role name; which rules those carry depends on
// the Educates installation. The runtime therefore asks Educates for no
// binding (role "custom") and binds the service account in the session
// namespace (an Object of its own) to one of three ClusterRoles the
// operator installs (install/session-roles.yaml, rendered from
// SessionRoleRules): the rules of Kubernetes' view, edit and admin roles
// without write access to the objects that make the operator's boundary.
// NetworkPolicies add up (one allow-all policy undoes the rest), and
// ResourceQuotas and LimitRanges cap what the session may use. The rules
// live once, in the cluster, not in every Workshop and session namespace.

// EducatesCustomRole is the Educates session role that creates no
// binding: the session's access comes from the runtime's RoleBinding.
const EducatesCustomRole = "custom"

// SessionRoleName prefixes the session ClusterRoles (and so the
// RoleBindings, named like the ClusterRole they bind).
const SessionRoleName = "datalab-session"

// SessionRoles are the Kubernetes roles a session may hold.
var SessionRoles = []string{"admin", "edit", "view"}

// SessionRole returns a session role, or view for any other value.
func SessionRole(role string) string {
	if !slices.Contains(SessionRoles, role) {
		return "view"
	}
	return role
}

// SessionClusterRole names the ClusterRole of a session role, which also
// names its RoleBinding in the session namespace.
func SessionClusterRole(role string) string {
	return SessionRoleName + "-" + SessionRole(role)
}

// SessionClusterRoleNames are the names of every session ClusterRole.
func SessionClusterRoleNames() []string {
	out := make([]string, 0, len(SessionRoles))
	for _, role := range SessionRoles {
		out = append(out, SessionClusterRole(role))
	}
	return out
}

// SessionRoleRequirement is the Composition's requirement of a session
// role's ClusterRole (package/composition.yaml names all three for the
// runtime step, which reports one that does not exist).
func SessionRoleRequirement(role string) string {
	return "session-role-" + SessionRole(role)
}

// SessionRoleOf returns the role a session ClusterRole name carries, and
// whether the name is one.
func SessionRoleOf(clusterRole string) (string, bool) {
	role, ok := strings.CutPrefix(clusterRole, SessionRoleName+"-")
	return role, ok && slices.Contains(SessionRoles, role)
}

// SessionClusterRoles are the ClusterRoles of every session role, as the
// operator installs them.
func SessionClusterRoles() []map[string]any {
	out := make([]map[string]any, 0, len(SessionRoles))
	for _, role := range SessionRoles {
		out = append(out, map[string]any{
			"apiVersion": "rbac.authorization.k8s.io/v1",
			"kind":       "ClusterRole",
			"metadata":   map[string]any{"name": SessionClusterRole(role)},
			"rules":      SessionRoleRules(role),
		})
	}
	return out
}

// BoundaryResources are the resources no session role may write:
// group -> resources.
var BoundaryResources = map[string][]string{
	"":                  {"limitranges", "resourcequotas"},
	"networking.k8s.io": {"networkpolicies"},
}

var (
	readVerbs  = []any{"get", "list", "watch"}
	writeVerbs = []any{"create", "delete", "deletecollection", "patch", "update"}
	allVerbs   = append(append([]any{}, readVerbs...), writeVerbs...)
)

// WriteVerbs are the verbs that change objects (and "*").
var WriteVerbs = []string{"*", "create", "delete", "deletecollection", "patch", "update", "escalate", "bind"}

func rule(group string, verbs []any, resources ...string) map[string]any {
	res := make([]any, 0, len(resources))
	for _, r := range resources {
		res = append(res, r)
	}
	return map[string]any{"apiGroups": []any{group}, "resources": res, "verbs": verbs}
}

// SessionRoleRules returns the rules of a session role (view, edit or
// admin; anything else is view).
func SessionRoleRules(role string) []any {
	rules := []any{
		rule("", readVerbs, "configmaps", "endpoints", "events", "limitranges", "persistentvolumeclaims", "persistentvolumeclaims/status",
			"pods", "pods/log", "pods/status", "replicationcontrollers", "replicationcontrollers/scale", "replicationcontrollers/status",
			"resourcequotas", "resourcequotas/status", "serviceaccounts", "services", "services/status"),
		rule("apps", readVerbs, "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
			"replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"),
		rule("autoscaling", readVerbs, "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
		rule("batch", readVerbs, "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
		rule("discovery.k8s.io", readVerbs, "endpointslices"),
		rule("networking.k8s.io", readVerbs, "ingresses", "ingresses/status", "networkpolicies"),
		rule("policy", readVerbs, "poddisruptionbudgets", "poddisruptionbudgets/status"),
	}
	if role != "edit" && role != "admin" {
		return rules
	}
	rules = append(rules,
		rule("", allVerbs, "configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers",
			"replicationcontrollers/scale", "secrets", "serviceaccounts", "services"),
		rule("", []any{"create"}, "pods/attach", "pods/eviction", "pods/exec", "pods/portforward", "serviceaccounts/token"),
		rule("", []any{"get", "create"}, "pods/proxy", "services/proxy"),
		rule("apps", allVerbs, "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
			"replicasets/scale", "statefulsets", "statefulsets/scale"),
		rule("autoscaling", allVerbs, "horizontalpodautoscalers"),
		rule("batch", allVerbs, "cronjobs", "jobs"),
		rule("networking.k8s.io", allVerbs, "ingresses"),
		rule("policy", allVerbs, "poddisruptionbudgets"),
	)
	if role == "admin" {
		// Roles and bindings, but without escalate and bind: an admin can
		// grant only what it holds, so never the boundary resources.
		rules = append(rules,
			rule("rbac.authorization.k8s.io", allVerbs, "rolebindings", "roles"),
			rule("authorization.k8s.io", []any{"create"}, "localsubjectaccessreviews"),
		)
	}
	return rules
}

// WritesBoundary reports whether a Role rule lets its holder change a
// boundary resource (or everything in a group).
func WritesBoundary(r map[string]any) bool {
	verbs := StringList(r["verbs"])
	if !slices.ContainsFunc(verbs, func(v string) bool { return slices.Contains(WriteVerbs, v) }) {
		return false
	}
	for _, g := range StringList(r["apiGroups"]) {
		for group, resources := range BoundaryResources {
			if g != "*" && g != group {
				continue
			}
			for _, res := range StringList(r["resources"]) {
				if res == "*" || slices.Contains(resources, res) {
					return true
				}
			}
		}
	}
	return false
}

// StringList reads a list of strings of an unstructured object (other
// items are skipped).
func StringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
