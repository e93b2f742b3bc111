package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// sessionRole is the Role and RoleBinding of the session's service account
// in the session namespace, as Educates templates: Educates creates them
// with each session, so a new session is never without them. The
// requested Kubernetes role without write access to NetworkPolicies,
// ResourceQuotas and LimitRanges (compose.SessionRoleRules).
func sessionRole(in *pipeline.Input, session string) []any {
	r, b := sessionRoleManifests(in, session, names.VarSessionNamespace, names.VarServiceAccount, names.VarWorkshopNamespace)
	return []any{r, b}
}

// sessionRoleObjects keep the same Role and RoleBinding current in a
// running session's namespace: an operator's change of the role (or of the
// rules) reaches sessions that already run within one reconcile.
func sessionRoleObjects(in *pipeline.Input, session string, o compose.ObjectOptions) map[resource.Name]map[string]any {
	t := in.Tenant
	ns := t.SessionNamespace(session)
	// Educates names a session's service account like its namespace.
	r, b := sessionRoleManifests(in, session, ns, ns, t.Environment(session))
	return map[resource.Name]map[string]any{
		compose.SessionRoleKey(session):        compose.Object("role-"+t.Session(session), r, o),
		compose.SessionRoleBindingKey(session): compose.Object("rolebinding-"+t.Session(session), b, o),
	}
}

func sessionRoleManifests(in *pipeline.Input, session, namespace, serviceAccount, saNamespace string) (role, binding map[string]any) {
	kind := in.Settings.KubernetesRole
	labels := compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, session)
	labels[compose.LabelSessionRole] = kind
	role = compose.Manifest("rbac.authorization.k8s.io/v1", "Role", namespace, compose.SessionRoleName, labels)
	role["rules"] = compose.SessionRoleRules(kind)
	binding = compose.Manifest("rbac.authorization.k8s.io/v1", "RoleBinding", namespace, compose.SessionRoleName, labels)
	binding["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": compose.SessionRoleName}
	binding["subjects"] = []any{map[string]any{"kind": "ServiceAccount", "name": serviceAccount, "namespace": saNamespace}}
	return role, binding
}
