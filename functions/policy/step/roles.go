package step

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// sessionRoles checks how each Workshop gives session code Kubernetes
// access: Educates' own role binding (any role but view or custom) would
// bind a ClusterRole whose rules this step cannot see, so it is vetoed;
// every Role among the session's and environment's objects must leave
// NetworkPolicies, ResourceQuotas and LimitRanges unwritable (they would
// widen or lift the boundary); and the requested role (the session Role's
// label) must be in the operator's allowedKubernetesRoles.
func sessionRoles(in *pipeline.Input, w *workshop) (f findings) {
	allowed := in.Env.Limits.AllowedKubernetesRoles
	base := path{"spec", "forProvider", "manifest", "spec", "session"}
	l := validation.EnvPath.Child("limits", "allowedKubernetesRoles")
	if v, ok := valueAt(w.dc.Resource.Object, base.with("namespaces", "role")); ok {
		f.checked++
		if r := fmt.Sprint(v); r != compose.EducatesCustomRole && r != "view" {
			f.violation(in, w, base.with("namespaces", "role"), v, fmt.Sprintf(
				"binds Educates' %s session role, whose rules the policy step cannot verify; use role %q with a Role in spec.session.objects", r, compose.EducatesCustomRole))
		}
	}
	for _, section := range []string{"session", "environment"} {
		p := path{"spec", "forProvider", "manifest", "spec", section, "objects"}
		objects, _ := valueAt(w.dc.Resource.Object, p)
		list, _ := objects.([]any)
		for i, o := range list {
			m, _ := o.(map[string]any)
			if kindOf(m) != "Role" && kindOf(m) != "ClusterRole" {
				continue
			}
			f.checked++
			rules, _ := m["rules"].([]any)
			for j, r := range rules {
				rm, _ := r.(map[string]any)
				if compose.WritesBoundary(rm) {
					f.violation(in, w, p.with(i, "rules", j, "resources"), rm["resources"],
						"lets session code write NetworkPolicies, ResourceQuotas or LimitRanges, which would widen or lift the operator's boundary; remove the write verbs for them")
				}
			}
			meta, _ := m["metadata"].(map[string]any)
			labels, _ := meta["labels"].(map[string]any)
			if role, ok := labels[compose.LabelSessionRole].(string); ok && len(allowed) > 0 && !slices.Contains(allowed, role) {
				f.violation(in, w, p.with(i, "metadata", "labels", compose.LabelSessionRole), role, fmt.Sprintf("is not in the operator's allowlist %s (%v)", l, allowed))
			}
		}
	}
	return f
}

// objectRoles applies the same rules to Roles wrapped in Objects (the
// runtime keeps each running session's Role current that way): no write
// access to the boundary, and the requested role in the allowlist. These
// are applied on every reconcile, so a violation is always a veto.
func objectRoles(in *pipeline.Input, all map[resource.Name]*resource.DesiredComposed) (f findings) {
	allowed := in.Env.Limits.AllowedKubernetesRoles
	l := validation.EnvPath.Child("limits", "allowedKubernetesRoles")
	for _, key := range slices.Sorted(maps.Keys(all)) {
		m := manifestOf(all[key].Resource.Object)
		if all[key].Resource.GetKind() != compose.ObjectKind || (kindOf(m) != "Role" && kindOf(m) != "ClusterRole") {
			continue
		}
		f.checked++
		base := composedPath(key).Child("spec", "forProvider", "manifest")
		rules, _ := m["rules"].([]any)
		for j, r := range rules {
			rm, _ := r.(map[string]any)
			if compose.WritesBoundary(rm) {
				f.errs = append(f.errs, field.Forbidden(base.Child("rules").Index(j).Child("resources"),
					"lets session code write NetworkPolicies, ResourceQuotas or LimitRanges, which would widen or lift the operator's boundary; remove the write verbs for them"))
			}
		}
		if role := str(m, "metadata", "labels", compose.LabelSessionRole); role != "" && len(allowed) > 0 && !slices.Contains(allowed, role) {
			f.errs = append(f.errs, field.Invalid(base.Child("metadata", "labels").Key(compose.LabelSessionRole), role, fmt.Sprintf("is not in the operator's allowlist %s (%v)", l, allowed)))
		}
	}
	return f
}
