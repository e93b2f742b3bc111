package step

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// The final gate: whatever any step composed, the Datalab stays inside
// the tenant's boundary.
//   - Composed directly: a namespaced kind in the Datalab's namespace
//     (Crossplane v2 forbids anything else; `crossplane render` does not
//     notice).
//   - Wrapped in an Object: a namespaced kind in one of the tenant's
//     namespaces (the Datalab's, and each session's workshop, session and
//     vcluster namespaces), or one of the Educates kinds the runtime owns,
//     named with the tenant ID and referring only to the tenant's own
//     environments, Secrets and namespaces.
//   - Inside Educates objects (which Educates creates with its own,
//     cluster-wide rights): namespaced kinds in the session's namespaces.
//   - No Secret data outside Secrets: stringData and data only in Secrets
//     (data also in ConfigMaps); no credential of a composed Secret (the
//     value of a key named like a credential) anywhere else, except the
//     WorkshopSession login Educates offers no reference for; and no
//     literal value for a container variable named like a credential.
//   - NetworkPolicies are the policy step's alone: they add up, so one
//     from another step could only widen what the policies allow.

// educatesKinds are the cluster-scoped Educates kinds a Datalab composes
// (wrapped in Objects).
var educatesKinds = map[string]bool{"Workshop": true, "WorkshopEnvironment": true, "WorkshopSession": true}

// educatesNamespaces are the Educates variables a nested object may use as
// its namespace.
var educatesNamespaces = map[string]bool{"": true, varWorkshopNamespace: true, varSessionNamespace: true, varVClusterNamespace: true}

// boundary is what belongs to the tenant.
type boundary struct {
	in           *pipeline.Input
	scopes       scopes
	namespaces   map[string]bool
	environments map[string]bool
	workshopKeys map[resource.Name]bool
}

func newBoundary(in *pipeline.Input, sessions []string, ws []*workshop) boundary {
	b := boundary{
		in:           in,
		scopes:       newScopes(in.Env.Limits.ExtraNamespacedKinds),
		namespaces:   map[string]bool{in.Datalab.Namespace: true},
		environments: map[string]bool{},
		workshopKeys: map[resource.Name]bool{},
	}
	for _, s := range sessions {
		b.environments[in.Tenant.Environment(s)] = true
		b.namespaces[in.Tenant.Environment(s)] = true
		b.namespaces[in.Tenant.SessionNamespace(s)] = true
		b.namespaces[in.Tenant.VClusterNamespace(s)] = true
	}
	for _, w := range ws {
		b.workshopKeys[w.key] = true
	}
	return b
}

// tenantNamespaces are the Datalab's session namespaces (not its own),
// sorted.
func (b boundary) tenantNamespaces() []string {
	var out []string
	for ns := range b.namespaces {
		if ns != b.in.Datalab.Namespace {
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}

// sessionsOf lists the sessions of a Datalab: declared in the spec, or
// present in the desired state under a runtime key (sessions kept for
// their data).
func sessionsOf(in *pipeline.Input, desired map[resource.Name]*resource.DesiredComposed) []string {
	seen := map[string]bool{}
	for _, s := range in.Datalab.Spec.Sessions {
		seen[s.Name] = true
	}
	for key := range desired {
		for _, kind := range []func(string) resource.Name{compose.WorkshopKey, compose.EnvironmentKey, compose.SessionKey, compose.WorkspaceKey} {
			if s, ok := compose.SessionOf(key, kind); ok {
				seen[s] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// gate checks every desired composed resource.
func (b boundary) gate(desired map[resource.Name]*resource.DesiredComposed) findings {
	var f findings
	creds := credentials(desired)
	for _, key := range slices.Sorted(maps.Keys(desired)) {
		f.checked++
		obj := desired[key].Resource.Object
		p := composedPath(key)
		av, kind := str(obj, "apiVersion"), str(obj, "kind")
		namespaced, known := b.scopes.namespaced(av, kind)
		switch {
		case !known:
			f.errs = append(f.errs, field.Forbidden(p, fmt.Sprintf("%s %s is a kind the policy step does not know, so it cannot tell where it lands; list it in EnvironmentConfig.data.limits.extraNamespacedKinds if it is namespaced", av, kind)))
		case !namespaced:
			f.errs = append(f.errs, field.Forbidden(p, fmt.Sprintf("%s %s is cluster-scoped; a namespaced Datalab may compose it only wrapped in a provider-kubernetes Object", av, kind)))
		}
		if ns := str(obj, "metadata", "namespace"); ns != "" && ns != b.in.Datalab.Namespace {
			f.errs = append(f.errs, field.Forbidden(p.Child("metadata", "namespace"), fmt.Sprintf("%q is not the Datalab's namespace %q; wrap objects for other namespaces in an Object", ns, b.in.Datalab.Namespace)))
		}
		if kind == compose.ObjectKind && groupOf(av) == groupOf(compose.ObjectAPIVersion) {
			if m := manifestOf(obj); m != nil {
				if kindOf(m) == "PersistentVolume" && str(m, "apiVersion") == "v1" {
					f.errs = append(f.errs, b.volumeKeeper(key, obj, m)...)
				} else {
					f.errs = append(f.errs, b.wrapped(key, m, path{"spec", "forProvider", "manifest"})...)
				}
			}
		}
		for _, nm := range nestedManifests(obj, path{}) {
			f.errs = append(f.errs, secretData(key, nm.p, nm.m)...)
			f.errs = append(f.errs, foreignNetworkPolicy(key, nm.p, nm.m)...)
		}
		f.errs = append(f.errs, literalCredentials(key, obj, make(path, 0, 16))...)
		f.errs = append(f.errs, leaks(key, obj, creds)...)
	}
	return f
}

// wrapped checks the manifest of an Object.
func (b boundary) wrapped(key resource.Name, m map[string]any, p path) field.ErrorList {
	var errs field.ErrorList
	av, kind, name := str(m, "apiVersion"), str(m, "kind"), str(m, "metadata", "name")
	fp := p.field(key)
	if groupOf(av) == educatesGroup {
		if !educatesKinds[kind] {
			return field.ErrorList{field.Forbidden(fp, fmt.Sprintf("Educates %s is not something a Datalab composes (only Workshop, WorkshopEnvironment and WorkshopSession)", kind))}
		}
		if !strings.HasPrefix(name, b.in.Tenant.ID()+"-") {
			errs = append(errs, field.Forbidden(p.with("metadata", "name").field(key), fmt.Sprintf("Educates %s %q is cluster-scoped and must be named with the tenant ID %s- (pkg/datalab/names), so it cannot take over another tenant's", kind, name, b.in.Tenant.ID())))
		}
		switch kind {
		case "Workshop":
			if !b.workshopKeys[key] {
				errs = append(errs, field.Forbidden(fp, "an Educates Workshop outside the runtime's keys (workshop-<session>) gets no NetworkPolicies; compose Workshops only there"))
			}
			errs = append(errs, b.educatesObjects(key, m, p, "environment", "objects")...)
			errs = append(errs, b.educatesObjects(key, m, p, "session", "objects")...)
			errs = append(errs, b.educatesObjects(key, m, p, "request", "objects")...)
			errs = append(errs, b.secretsFrom(key, m, p)...)
			if v, ok := valueAt(m, path{"spec", "session", "namespaces", "secondary"}); ok && v != nil {
				errs = append(errs, field.Forbidden(p.with("spec", "session", "namespaces", "secondary").field(key), "secondary session namespaces would run tenant code where the policy step injects no NetworkPolicies; remove them"))
			}
			if hosts, ok := valueAt(m, path{"spec", "session", "applications", "vcluster", "services", "fromHost"}); ok {
				list, _ := hosts.([]any)
				for i, h := range list {
					from := str(asMap(h), "from")
					ns, _, _ := strings.Cut(from, "/")
					if !educatesNamespaces[ns] && !b.namespaces[ns] {
						errs = append(errs, field.Forbidden(p.with("spec", "session", "applications", "vcluster", "services", "fromHost", i, "from").field(key), fmt.Sprintf("%q is outside the tenant's namespaces; a vcluster may only import the Datalab's own services", from)))
					}
				}
			}
		case "WorkshopEnvironment":
			if w := str(m, "spec", "workshop", "name"); !b.environments[w] {
				errs = append(errs, field.Forbidden(p.with("spec", "workshop", "name").field(key), fmt.Sprintf("Workshop %q is not one of this Datalab's", w)))
			}
			errs = append(errs, b.educatesObjects(key, m, p, "environment", "objects")...)
			errs = append(errs, b.secretsFrom(key, m, p)...)
		case "WorkshopSession":
			if e := str(m, "spec", "environment", "name"); !b.environments[e] {
				errs = append(errs, field.Forbidden(p.with("spec", "environment", "name").field(key), fmt.Sprintf("environment %q is not one of this Datalab's", e)))
			}
		}
		return errs
	}
	namespaced, known := b.scopes.namespaced(av, kind)
	switch {
	case !known:
		errs = append(errs, field.Forbidden(fp, fmt.Sprintf("%s %s is a kind the policy step does not know, so it cannot tell where it lands; list it in EnvironmentConfig.data.limits.extraNamespacedKinds if it is namespaced", av, kind)))
	case !namespaced:
		errs = append(errs, field.Forbidden(fp, fmt.Sprintf("%s %s %q is cluster-scoped; a Datalab may not create it", av, kind, name)))
	default:
		if ns := str(m, "metadata", "namespace"); ns != "" && !b.namespaces[ns] {
			errs = append(errs, field.Forbidden(p.with("metadata", "namespace").field(key), fmt.Sprintf("%q is not one of the tenant's namespaces (the Datalab's own and its sessions')", ns)))
		}
	}
	return errs
}

// educatesObjects checks the objects Educates creates for the tenant.
func (b boundary) educatesObjects(key resource.Name, m map[string]any, p path, section, field_ string) field.ErrorList {
	var errs field.ErrorList
	v, _ := valueAt(m, path{"spec", section, field_})
	list, _ := v.([]any)
	for i, it := range list {
		o := asMap(it)
		ip := p.with("spec", section, field_, i)
		av, kind := str(o, "apiVersion"), str(o, "kind")
		namespaced, known := b.scopes.namespaced(av, kind)
		switch {
		case !known:
			errs = append(errs, field.Forbidden(ip.field(key), fmt.Sprintf("%s %s is a kind the policy step does not know; Educates would create it with its own rights", av, kind)))
		case !namespaced:
			errs = append(errs, field.Forbidden(ip.field(key), fmt.Sprintf("%s %s is cluster-scoped; Educates would create it with its own, cluster-wide rights", av, kind)))
		}
		if ns := str(o, "metadata", "namespace"); !educatesNamespaces[ns] && !b.namespaces[ns] {
			errs = append(errs, field.Forbidden(ip.with("metadata", "namespace").field(key), fmt.Sprintf("%q is not one of the session's namespaces", ns)))
		}
	}
	return errs
}

// secretsFrom keeps the Secrets Educates copies into the workshop
// namespace to the Datalab's own namespace.
func (b boundary) secretsFrom(key resource.Name, m map[string]any, p path) field.ErrorList {
	var errs field.ErrorList
	v, _ := valueAt(m, path{"spec", "environment", "secrets"})
	list, _ := v.([]any)
	for i, it := range list {
		if ns := str(asMap(it), "namespace"); ns != b.in.Datalab.Namespace {
			errs = append(errs, field.Forbidden(p.with("spec", "environment", "secrets", i, "namespace").field(key), fmt.Sprintf("Educates would copy a Secret from %q; a Datalab may only use Secrets of its own namespace %q", ns, b.in.Datalab.Namespace)))
		}
	}
	return errs
}

// nestedManifest is a Kubernetes object inside a composed resource.
type nestedManifest struct {
	p path
	m map[string]any
}

// nestedManifests lists obj and the objects nested in it: an Object's
// manifest, and the objects of Educates Workshops and environments
// (including those created inside a session's vcluster).
func nestedManifests(obj map[string]any, p path) []nestedManifest {
	out := []nestedManifest{{p, obj}}
	if str(obj, "kind") == compose.ObjectKind {
		if m := manifestOf(obj); m != nil {
			out = append(out, nestedManifests(m, p.with("spec", "forProvider", "manifest"))...)
		}
	}
	if groupOf(str(obj, "apiVersion")) == educatesGroup {
		for _, lp := range []path{
			{"spec", "environment", "objects"},
			{"spec", "session", "objects"},
			{"spec", "request", "objects"},
			{"spec", "session", "applications", "vcluster", "objects"},
		} {
			v, _ := valueAt(obj, lp)
			list, _ := v.([]any)
			for i, it := range list {
				if m, ok := it.(map[string]any); ok {
					out = append(out, nestedManifests(m, p.with(lp...).with(i))...)
				}
			}
		}
	}
	return out
}

// secretData keeps Secret data in Secrets.
func secretData(key resource.Name, p path, m map[string]any) field.ErrorList {
	kind := str(m, "kind")
	if kind == "Secret" && groupOf(str(m, "apiVersion")) == "" {
		return nil
	}
	var errs field.ErrorList
	if _, ok := m["stringData"]; ok {
		errs = append(errs, field.Forbidden(p.with("stringData").field(key), fmt.Sprintf("%s is not a Secret; Secret data belongs in a v1 Secret", kind)))
	}
	if _, ok := m["data"]; !ok {
		return errs
	}
	if kind != "ConfigMap" {
		errs = append(errs, field.Forbidden(p.with("data").field(key), fmt.Sprintf("%s is not a Secret or ConfigMap; put data in a Secret", kind)))
	}
	return errs
}

// foreignNetworkPolicy rejects NetworkPolicies other steps composed.
func foreignNetworkPolicy(key resource.Name, p path, m map[string]any) field.ErrorList {
	if str(m, "kind") != "NetworkPolicy" || groupOf(str(m, "apiVersion")) != "networking.k8s.io" || isPolicyObject(m) {
		return nil
	}
	return field.ErrorList{field.Forbidden(p.field(key), "NetworkPolicies are the policy step's alone: policies add up, so another step's could only widen what the operator allows; configure the flow in the EnvironmentConfig's network keys instead")}
}

// credentialSuffixes mark environment variables that hold credentials.
var credentialSuffixes = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIALS"}

func credentialName(n string) bool {
	u := strings.ToUpper(strings.ReplaceAll(n, "-", "_"))
	for _, s := range credentialSuffixes {
		if u == s || strings.HasSuffix(u, "_"+s) {
			return true
		}
	}
	return false
}

// literalCredentials finds container variables named like credentials
// with a literal value anywhere in obj: they must come from a Secret
// (valueFrom.secretKeyRef or envFrom). p is a stack shared by the walk.
func literalCredentials(key resource.Name, v any, p path) field.ErrorList {
	var errs field.ErrorList
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if k == "env" {
				list, _ := x.([]any)
				for i, it := range list {
					e := asMap(it)
					if name, value := str(e, "name"), str(e, "value"); value != "" && credentialName(name) {
						errs = append(errs, field.Forbidden(p.with(k, i, "value").field(key), fmt.Sprintf("variable %s carries a literal credential; read it from a Secret (valueFrom.secretKeyRef)", name)))
					}
				}
			}
			switch x.(type) {
			case map[string]any, []any:
				errs = append(errs, literalCredentials(key, x, append(p, k))...)
			}
		}
	case []any:
		for i, it := range t {
			switch it.(type) {
			case map[string]any, []any:
				errs = append(errs, literalCredentials(key, it, append(p, i))...)
			}
		}
	}
	return errs
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
