package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
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
