package step

import (
	"fmt"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/required"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// sessionRoleObject is the RoleBinding of a session's service account in
// its session namespace to the ClusterRole of the session's Kubernetes role
// (compose.SessionClusterRole; the ClusterRoles are the operator's: the
// role without write access to NetworkPolicies, ResourceQuotas and
// LimitRanges). It is an Object only, never a Workshop template: Educates
// creates a session's namespace from the Workshop its environment was
// created with, so a template would bring back the role of that day into
// every restarted session, and roleRef cannot change. A new session
// namespace therefore has no binding (no Kubernetes access) until the
// Object is applied in it, moments after Educates created it. The key
// carries the role, so the binding of a former role is deleted with its
// Object within a reconcile.
func sessionRoleObject(in *pipeline.Input, session string, o compose.ObjectOptions) (resource.Name, map[string]any) {
	t := in.Tenant
	ns := t.SessionNamespace(session)
	role := compose.SessionRole(in.Settings.KubernetesRole)
	name := compose.SessionClusterRole(role)
	binding := compose.Manifest("rbac.authorization.k8s.io/v1", "RoleBinding", ns, name, compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, session))
	binding["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name}
	// Educates names a session's service account like its namespace.
	binding["subjects"] = []any{map[string]any{"kind": "ServiceAccount", "name": ns, "namespace": t.Environment(session)}}
	return compose.SessionRoleBindingKey(role, session), compose.Object("rolebinding-"+role+"-"+t.Session(session), binding, o)
}

// missingSessionRole says when the session ClusterRole the sessions are
// bound to does not exist, as far as the Composition fetched it (nothing
// when it did not ask): their RoleBindings then grant nothing until the
// operator applies install/session-roles.yaml.
func missingSessionRole(in *pipeline.Input) string {
	name := compose.SessionClusterRole(in.Settings.KubernetesRole)
	obj, resolved := required.Given(in.Request, compose.SessionRoleRequirement(in.Settings.KubernetesRole), "rbac.authorization.k8s.io/v1", "ClusterRole", "", name)
	if !resolved || obj != nil {
		return ""
	}
	return fmt.Sprintf("ClusterRole %s does not exist, so sessions have no Kubernetes access in their namespaces: the operator applies install/session-roles.yaml", name)
}

// running reports whether any session runs (has a RoleBinding).
func (p plan) running() bool {
	for _, sp := range p.sessions {
		if sp.render || sp.keep {
			return true
		}
	}
	return false
}
