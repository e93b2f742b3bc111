package step

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// findings are what a check found: errors veto the reconcile, warnings
// report existing objects that are kept.
type findings struct {
	errs     field.ErrorList
	warnings []string
	checked  int
}

func (f *findings) add(g findings) {
	f.errs = append(f.errs, g.errs...)
	f.warnings = append(f.warnings, g.warnings...)
	f.checked += g.checked
}

// violation records a Workshop value that breaks the operator's contract:
// a veto, or a warning when the environment already runs with it (it keeps
// what it was created with until it is recreated; vetoing would block the
// Datalab without undoing anything).
func (f *findings) violation(in *pipeline.Input, w *workshop, p path, v any, msg string) {
	s := fmt.Sprint(v)
	if existing(in.Observed, w.key, p, v) {
		f.warnings = append(f.warnings, fmt.Sprintf("%s: %q %s; the existing environment keeps it until it is recreated", p.field(w.key), s, msg))
		return
	}
	f.errs = append(f.errs, field.Invalid(p.field(w.key), s, msg))
}

// workshopCaps checks what the runtime actually put into each Workshop
// against the operator's caps. validation.Caps has checked the claim's
// effective settings already; this catches a step (or a kept, observed
// Workshop) that deviates from them.
func workshopCaps(in *pipeline.Input, ws []*workshop) findings {
	var f findings
	cfg := in.Env
	lim := cfg.Limits
	l := validation.EnvPath.Child("limits")
	for _, w := range ws {
		f.add(sessionRoles(in, w))
		base := path{"spec", "forProvider", "manifest", "spec", "session"}
		obj := w.dc.Resource.Object
		check := func(p path, problem func(v string) string) {
			v, ok := valueAt(obj, p)
			if !ok {
				return
			}
			f.checked++
			if msg := problem(fmt.Sprint(v)); msg != "" {
				f.violation(in, w, p, v, msg)
			}
		}
		check(base.with("namespaces", "security", "policy"), func(v string) string {
			if v == "privileged" && !cfg.AllowPrivileged() {
				return fmt.Sprintf("is not allowed: the operator's %s is false", l.Child("allowPrivileged"))
			}
			return notIn(v, lim.AllowedSecurityPolicies, l.Child("allowedSecurityPolicies"))
		})
		check(base.with("namespaces", "budget"), func(v string) string {
			if v == compose.EducatesCustomBudget {
				// The budget is this step's (sessionBudget), from the
				// claim's class, which validation.Caps has checked.
				return ""
			}
			return notIn(v, lim.AllowedBudgets, l.Child("allowedBudgets"))
		})
		check(base.with("resources", "memory"), func(v string) string {
			return above(v, lim.MaxMemory, l.Child("maxMemory"))
		})
		check(base.with("applications", "docker", "enabled"), func(v string) string {
			if v == "true" && !cfg.AllowPrivileged() {
				return fmt.Sprintf("Docker needs privileged sessions, which the operator's %s forbids", l.Child("allowPrivileged"))
			}
			return ""
		})
		for _, app := range []string{"docker", "registry"} {
			check(base.with("applications", app, "storage"), func(v string) string {
				return above(v, lim.MaxStorage, l.Child("maxStorage"))
			})
		}
	}
	return f
}

func notIn(v string, list []string, p *field.Path) string {
	if len(list) == 0 {
		return ""
	}
	for _, a := range list {
		if a == v {
			return ""
		}
	}
	return fmt.Sprintf("is not in the operator's allowlist %s (%s)", p, strings.Join(list, ", "))
}

func above(v, max string, p *field.Path) string {
	if max == "" {
		return ""
	}
	q, err := resource.ParseQuantity(v)
	if err != nil {
		return "is not a Kubernetes quantity"
	}
	if q.Cmp(resource.MustParse(max)) > 0 {
		return fmt.Sprintf("exceeds the operator's cap %s (%s)", p, max)
	}
	return ""
}

// capsChecked counts the claim-level caps the operator configured, for the
// condition message.
func capsChecked(cfg *environment.Config) int {
	lim := cfg.Limits
	n := 1 // allowPrivileged is always enforced
	for _, set := range []bool{lim.MaxSessions != nil, lim.MaxServices != nil, lim.MaxMemory != "", lim.MaxStorage != "",
		len(lim.AllowedSecurityPolicies) > 0, len(lim.AllowedKubernetesRoles) > 0, len(lim.AllowedBudgets) > 0} {
		if set {
			n++
		}
	}
	return n
}
