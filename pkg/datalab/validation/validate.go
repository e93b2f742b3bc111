// Package validation checks a Datalab and its environment before anything
// is rendered. Every problem names its field path and how to fix it; the
// functions turn a non-empty list into a Fatal result, which stops the
// pipeline before Crossplane deletes or applies anything.
package validation

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// Allowed enumerations, shared with the XRD.
var (
	Budgets          = environment.BudgetNames()
	SecurityPolicies = []string{"restricted", "baseline", "privileged"}
	KubernetesRoles  = compose.SessionRoles
	UserRoles        = []string{"admin", "user"}
	AuthTypes        = []string{environment.AuthCredentials, environment.AuthDelegated}
	Retentions       = []string{environment.RetentionRetain, environment.RetentionDelete}
)

// EnvPath is the root of EnvironmentConfig field paths in messages.
var EnvPath = field.NewPath("EnvironmentConfig", "data")

// Datalab validates what every step relies on: metadata, sessions, users,
// quantities, enumerations, the storage-class allowlist and files.
func Datalab(d *api.Datalab, cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, metadata(d)...)
	spec := field.NewPath("spec")
	errs = append(errs, ceilings(d.Spec, spec)...)
	errs = append(errs, sessions(d.Spec.Sessions, spec.Child("sessions"))...)
	errs = append(errs, derivedNameClashes(d, spec.Child("sessions"))...)
	errs = append(errs, sessionLifetimes(d.Spec.Sessions, spec.Child("sessions"))...)
	errs = append(errs, agents(d.Spec, spec.Child("agents"))...)
	errs = append(errs, users(d.Spec, spec)...)
	errs = append(errs, quotaAndSecurity(d.Spec, spec)...)
	errs = append(errs, storageClass(d.Spec, cfg, spec)...)
	errs = append(errs, files(d, spec.Child("files"))...)
	errs = append(errs, storageSource(d)...)
	errs = append(errs, Environment(cfg)...)
	return errs
}

// Environment validates the operator's values the same way a tenant's are:
// an invalid default is as harmful as an invalid spec.
func Environment(cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	d := EnvPath.Child("defaults")
	errs = append(errs, size(d.Child("quota", "memory"), cfg.Defaults.Quota.Memory)...)
	errs = append(errs, size(d.Child("quota", "storage"), cfg.Defaults.Quota.Storage)...)
	errs = append(errs, oneOf(d.Child("quota", "budget"), cfg.Defaults.Quota.Budget, Budgets)...)
	errs = append(errs, oneOf(d.Child("security", "policy"), cfg.Defaults.Security.Policy, SecurityPolicies)...)
	errs = append(errs, oneOf(d.Child("security", "kubernetesRole"), cfg.Defaults.Security.KubernetesRole, KubernetesRoles)...)
	errs = append(errs, duration(d.Child("session", "maxDuration"), cfg.Defaults.Session.MaxDuration)...)
	errs = append(errs, duration(EnvPath.Child("limits", "maxSessionDuration"), cfg.Limits.MaxSessionDuration)...)
	if t := strings.ToLower(strings.TrimSpace(cfg.Auth.Type)); t != "" {
		errs = append(errs, oneOf(EnvPath.Child("auth", "type"), t, AuthTypes)...)
	}
	errs = append(errs, protection(cfg)...)
	errs = append(errs, oneOf(EnvPath.Child("retention", "policy"), cfg.Retention.Policy, Retentions)...)
	if r := cfg.ProviderConfigRef; r != nil && r.Kind != "" {
		errs = append(errs, oneOf(EnvPath.Child("providerConfigRef", "kind"), r.Kind, []string{"ProviderConfig", "ClusterProviderConfig"})...)
	}
	if dom := cfg.Ingress.Domain; dom != "" {
		for _, m := range validation.IsDNS1123Subdomain(dom) {
			errs = append(errs, field.Invalid(EnvPath.Child("ingress", "domain"), dom, m+"; set a DNS domain such as datalab.example.com"))
		}
	}
	return errs
}

func metadata(d *api.Datalab) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("metadata", "name")
	for _, m := range validation.IsDNS1123Label(d.Name) {
		errs = append(errs, field.Invalid(p, d.Name, m+"; name the Datalab with at most 63 lower-case letters, digits and '-' (it labels every generated object)"))
	}
	// Educates prefixes session hosts with these; a Datalab named with one
	// could otherwise own a host name of another tenant's session.
	for _, prefix := range names.ReservedHostPrefixes {
		if strings.HasPrefix(d.Name, prefix) {
			errs = append(errs, field.Invalid(p, d.Name, fmt.Sprintf("must not start with %q, which session host names use; choose another name", prefix)))
		}
	}
	return errs
}

func sessions(list []api.Session, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, s := range list {
		ip := p.Index(i)
		if s.Name == "" {
			errs = append(errs, field.Required(ip.Child("name"), "give every session a name such as default"))
			continue
		}
		errs = append(errs, shortName(ip.Child("name"), s.Name, seen, "every host name and namespace of the session is derived from it and must stay within 63 characters")...)
		if s.State != api.StateStarted && s.State != api.StateStopped {
			errs = append(errs, field.NotSupported(ip.Child("state"), s.State, []string{api.StateStarted, api.StateStopped}))
		}
	}
	return errs
}

// shortName checks a name other names are derived from: a DNS label of
// at most names.MaxSessionName characters, unique among seen (which it
// records).
func shortName(p *field.Path, name string, seen map[string]bool, why string) field.ErrorList {
	var errs field.ErrorList
	for _, m := range validation.IsDNS1123Label(name) {
		errs = append(errs, field.Invalid(p, name, m+"; use lower-case letters, digits and '-'"))
	}
	if len(name) > names.MaxSessionName {
		errs = append(errs, field.Invalid(p, name, fmt.Sprintf("is longer than %d characters; shorten it, since %s", names.MaxSessionName, why)))
	}
	if seen[name] {
		errs = append(errs, field.Duplicate(p, name))
	}
	seen[name] = true
	return errs
}

// derivedNameClashes rejects sessions whose derived names meet: one
// session's environment named like another's session namespace would put
// both sessions' objects into one namespace.
func derivedNameClashes(d *api.Datalab, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	t := names.Tenant{Namespace: d.Namespace, Name: d.Name}
	type use struct {
		session, what string
	}
	taken := map[string]use{}
	for i, s := range d.Spec.Sessions {
		if s.Name == "" {
			continue
		}
		for _, n := range t.SessionNames(s.Name) {
			prev, ok := taken[n.Name]
			if !ok {
				taken[n.Name] = use{s.Name, n.What}
				continue
			}
			if prev.session != s.Name {
				errs = append(errs, field.Invalid(p.Index(i).Child("name"), s.Name,
					fmt.Sprintf("its %s %q is also the %s of session %q; rename one of the sessions (avoid names that extend another session's name with -ws or -vc)", n.What, n.Name, prev.what, prev.session)))
				break
			}
		}
	}
	return errs
}

func users(spec api.Spec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	known := map[string]bool{}
	for i, u := range spec.Users {
		if strings.TrimSpace(u) == "" || u != strings.TrimSpace(u) {
			errs = append(errs, field.Invalid(p.Child("users").Index(i), u, "user names must not be empty or carry surrounding spaces; write the identity provider's user name exactly"))
		}
		if known[u] {
			e := field.Duplicate(p.Child("users").Index(i), u)
			e.Detail = "list each user once; remove the repeated entry"
			errs = append(errs, e)
		}
		known[u] = true
	}
	keys := make([]string, 0, len(spec.UserOverrides))
	for k := range spec.UserOverrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kp := p.Child("userOverrides").Key(k)
		if !known[k] {
			errs = append(errs, field.Invalid(kp, k, "is not in spec.users; add the user to spec.users or remove the override"))
		}
		if r := spec.UserOverrides[k].Role; r != "" {
			errs = append(errs, oneOf(kp.Child("role"), r, UserRoles)...)
		}
	}
	return errs
}

func quotaAndSecurity(spec api.Spec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if q := spec.Quota; q != nil {
		errs = append(errs, size(p.Child("quota", "memory"), q.Memory)...)
		errs = append(errs, size(p.Child("quota", "storage"), q.Storage)...)
		errs = append(errs, oneOf(p.Child("quota", "budget"), q.Budget, Budgets)...)
	}
	if s := spec.Security; s != nil {
		errs = append(errs, oneOf(p.Child("security", "policy"), s.Policy, SecurityPolicies)...)
		errs = append(errs, oneOf(p.Child("security", "kubernetesRole"), s.KubernetesRole, KubernetesRoles)...)
	}
	if r := spec.Registry; r != nil {
		errs = append(errs, size(p.Child("registry", "storage"), r.Storage)...)
	}
	return errs
}

func storageClass(spec api.Spec, cfg *environment.Config, p *field.Path) field.ErrorList {
	if spec.Persistence == nil {
		return nil
	}
	return AllowedClass(p.Child("persistence", "storageClassName"), spec.Persistence.StorageClassName, cfg)
}

// AllowedClass rejects a requested storage class outside the operator's
// allowlist. Nothing is substituted: a silent swap would change an
// immutable PVC field later and surprise the tenant.
func AllowedClass(p *field.Path, class string, cfg *environment.Config) field.ErrorList {
	class = strings.TrimSpace(class)
	if class == "" {
		return nil
	}
	if msgs := validation.IsDNS1123Subdomain(class); len(msgs) > 0 {
		return field.ErrorList{field.Invalid(p, class, strings.Join(msgs, "; ")+"; name an existing StorageClass")}
	}
	if cfg.ClassAllowed(class) {
		return nil
	}
	return field.ErrorList{field.Invalid(p, class, fmt.Sprintf("is not allowed by the operator; use one of %s, or leave it empty for %q",
		strings.Join(cfg.StorageClasses.Allowed, ", "), cfg.DefaultClass()))}
}

func oneOf(p *field.Path, v string, allowed []string) field.ErrorList {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return field.ErrorList{field.NotSupported(p, v, allowed)}
}

// OneOf exposes the enumeration check.
func OneOf(p *field.Path, v string, allowed []string) field.ErrorList { return oneOf(p, v, allowed) }

// Message renders an error list as one Fatal message, one problem per
// clause, in field-path order.
func Message(errs field.ErrorList) string {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	sort.Strings(msgs)
	return "invalid Datalab: " + strings.Join(msgs, "; ")
}
