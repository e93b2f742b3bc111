package main

import (
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// educatesCustomRole is the Educates role that creates no binding; the
// session's access then comes from a Role in the session's objects.
const educatesCustomRole = "custom"

// sessionRoles checks how each Workshop gives session code Kubernetes
// access: Educates' own role binding (any role but view or custom) would
// bind a ClusterRole whose rules this step cannot see, so it is vetoed;
// every Role among the session's and environment's objects must leave
// NetworkPolicies, ResourceQuotas and LimitRanges unwritable (they would
// widen or lift the boundary); and the requested role (the session Role's
// label) must be in the operator's allowedKubernetesRoles.
func sessionRoles(in *pipeline.Input, w *workshop) (f findings) {
	allowed := in.Env.Limits.AllowedKubernetesRoles
	// An environment that exists keeps what it was created with until it
	// is recreated: a warning, not a veto.
	vetof := func(p path, v any, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if existing(in.Observed, w.key, p, v) {
			f.warnings = append(f.warnings, fmt.Sprintf("%s: %q %s; the existing environment keeps it until it is recreated", p.field(w.key), fmt.Sprint(v), msg))
			return
		}
		f.errs = append(f.errs, field.Invalid(p.field(w.key), fmt.Sprint(v), msg))
	}
	base := path{"spec", "forProvider", "manifest", "spec", "session"}
	l := validation.EnvPath.Child("limits", "allowedKubernetesRoles")
	if v, ok := valueAt(w.dc.Resource.Object, base.with("namespaces", "role")); ok {
		f.checked++
		if r := fmt.Sprint(v); r != educatesCustomRole && r != "view" {
			vetof(base.with("namespaces", "role"), v,
				"binds Educates' %s session role, whose rules the policy step cannot verify; use role %q with a Role in spec.session.objects", r, educatesCustomRole)
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
					vetof(p.with(i, "rules", j, "resources"), rm["resources"],
						"lets session code write NetworkPolicies, ResourceQuotas or LimitRanges, which would widen or lift the operator's boundary; remove the write verbs for them")
				}
			}
			meta, _ := m["metadata"].(map[string]any)
			labels, _ := meta["labels"].(map[string]any)
			if role, ok := labels[compose.LabelSessionRole].(string); ok && len(allowed) > 0 && !slices.Contains(allowed, role) {
				vetof(p.with(i, "metadata", "labels", compose.LabelSessionRole), role, "is not in the operator's allowlist %s (%v)", l, allowed)
			}
		}
	}
	return f
}
