package step

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// writesBoundary is why a Role rule that writes the boundary is refused.
const writesBoundary = "lets session code write NetworkPolicies, ResourceQuotas or LimitRanges, which would widen or lift the operator's boundary; remove the write verbs for them"

// sessionRoles checks how each Workshop gives session code Kubernetes
// access: Educates' own role binding (any role but view or custom) would
// bind a ClusterRole whose rules this step cannot see, so it is vetoed;
// every Role among the session's and environment's objects must leave
// NetworkPolicies, ResourceQuotas and LimitRanges unwritable (they would
// widen or lift the boundary); and every RoleBinding among them may bind
// a ClusterRole only if it is a session ClusterRole of a role in the
// operator's allowedKubernetesRoles (bindingProblem).
func sessionRoles(in *pipeline.Input, w *workshop) (f findings) {
	base := path{"spec", "forProvider", "manifest", "spec", "session"}
	if v, ok := valueAt(w.dc.Resource.Object, base.with("namespaces", "role")); ok {
		f.checked++
		if r := fmt.Sprint(v); r != compose.EducatesCustomRole && r != "view" {
			f.violation(in, w, base.with("namespaces", "role"), v, fmt.Sprintf(
				"binds Educates' %s session role, whose rules the policy step cannot verify; use role %q with a RoleBinding in spec.session.objects", r, compose.EducatesCustomRole))
		}
	}
	for _, section := range []string{"session", "environment"} {
		p := path{"spec", "forProvider", "manifest", "spec", section, "objects"}
		objects, _ := valueAt(w.dc.Resource.Object, p)
		list, _ := objects.([]any)
		for i, o := range list {
			m, _ := o.(map[string]any)
			switch kindOf(m) {
			case "Role", "ClusterRole":
				f.checked++
				for j, r := range asRules(m) {
					if compose.WritesBoundary(r) {
						f.violation(in, w, p.with(i, "rules", j, "resources"), r["resources"], writesBoundary)
					}
				}
			case "RoleBinding":
				f.checked++
				if v, msg := bindingProblem(in, m); msg != "" {
					f.violation(in, w, p.with(i, "roleRef", "name"), v, msg)
				}
			}
		}
	}
	return f
}

// objectRoles applies the same rules to Roles and RoleBindings wrapped in
// Objects (the runtime keeps each running session's RoleBinding current
// that way). These are applied on every reconcile, so a violation is
// always a veto.
func objectRoles(in *pipeline.Input, all map[resource.Name]*resource.DesiredComposed) (f findings) {
	for _, key := range slices.Sorted(maps.Keys(all)) {
		if all[key].Resource.GetKind() != compose.ObjectKind {
			continue
		}
		m := manifestOf(all[key].Resource.Object)
		base := composedPath(key).Child("spec", "forProvider", "manifest")
		switch kindOf(m) {
		case "Role", "ClusterRole":
			f.checked++
			for j, r := range asRules(m) {
				if compose.WritesBoundary(r) {
					f.errs = append(f.errs, field.Forbidden(base.Child("rules").Index(j).Child("resources"), writesBoundary))
				}
			}
		case "RoleBinding":
			f.checked++
			if v, msg := bindingProblem(in, m); msg != "" {
				f.errs = append(f.errs, field.Invalid(base.Child("roleRef", "name"), v, msg))
			}
		}
	}
	return f
}

// bindingProblem says what is wrong with the role a RoleBinding binds, if
// anything. A Role is checked where it is composed (or was made by someone
// who holds its rules). A ClusterRole must be a session ClusterRole: their
// rules are the operator's (install/session-roles.yaml), any other
// ClusterRole's rules this step cannot see; and its role must be in the
// operator's allowlist.
func bindingProblem(in *pipeline.Input, m map[string]any) (name, msg string) {
	if str(m, "roleRef", "kind") != "ClusterRole" {
		return "", ""
	}
	name = str(m, "roleRef", "name")
	role, ok := compose.SessionRoleOf(name)
	if !ok {
		return name, fmt.Sprintf("is a ClusterRole whose rules the policy step cannot verify; bind a session ClusterRole (%s) or a Role among the composed objects", strings.Join(compose.SessionClusterRoleNames(), ", "))
	}
	if allowed := in.Env.Limits.AllowedKubernetesRoles; len(allowed) > 0 && !slices.Contains(allowed, role) {
		return name, fmt.Sprintf("binds role %s, which is not in the operator's allowlist %s (%v)", role, validation.EnvPath.Child("limits", "allowedKubernetesRoles"), allowed)
	}
	return "", ""
}

// asRules reads a Role's rules, by index (an item that is no rule is nil).
func asRules(m map[string]any) []map[string]any {
	list, _ := m["rules"].([]any)
	out := make([]map[string]any, len(list))
	for i, r := range list {
		out[i], _ = r.(map[string]any)
	}
	return out
}
