package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// sessionRole is the Role and RoleBinding of the session's service account
// in the session namespace (Educates creates them with each session): the
// requested Kubernetes role without write access to NetworkPolicies,
// ResourceQuotas and LimitRanges (compose.SessionRoleRules).
func sessionRole(in *pipeline.Input, session string) []any {
	role := in.Settings.KubernetesRole
	labels := compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, session)
	labels[compose.LabelSessionRole] = role
	r := compose.Manifest("rbac.authorization.k8s.io/v1", "Role", "$(session_namespace)", compose.SessionRoleName, labels)
	r["rules"] = compose.SessionRoleRules(role)
	b := compose.Manifest("rbac.authorization.k8s.io/v1", "RoleBinding", "$(session_namespace)", compose.SessionRoleName, labels)
	b["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": compose.SessionRoleName}
	b["subjects"] = []any{map[string]any{"kind": "ServiceAccount", "name": "$(service_account)", "namespace": "$(workshop_namespace)"}}
	return []any{r, b}
}
