package fntest

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// fieldMarkers are how the functions name a field in a Fatal message:
// validation paths (spec.x, metadata.name, EnvironmentConfig.data.x,
// composed[key].x), a parse error of the spec ("spec: ..."), the
// EnvironmentConfig by name, or its auth.type key (the identity step's
// guard against unauthenticated sessions).
var fieldMarkers = []string{"spec.", "spec:", "metadata.", "EnvironmentConfig", "composed[", "auth.type"}

const educatesGroup = "training.educates.dev"

// CheckProperties asserts what holds for every response of every step,
// whatever the request:
//
//   - a Fatal result names the field at fault, and comes with no desired
//     composed resource the step added or changed;
//   - every composed resource the step added or changed has a DNS-1123
//     subdomain name, and so has the manifest of an Object; Educates
//     Workshops, WorkshopEnvironments, WorkshopSessions and Namespaces
//     (cluster-scoped) have DNS-1123 label names that start with the
//     tenant ID, unless kept under the same name as observed;
//   - none of them is cluster-scoped or in another namespace than the
//     Datalab's (those must be wrapped in an Object);
//   - no secret value (plain or base64) appears in the response outside
//     the data and stringData of Secrets; the session login (MarkerLogin)
//     also in a WorkshopSession's spec.session.password; and the decoy
//     of another namespace (MarkerForeign) nowhere at all.
func CheckProperties(t testing.TB, req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, secrets []string) {
	t.Helper()
	for _, m := range Results(rsp, fnv1.Severity_SEVERITY_FATAL) {
		if !namesField(m) {
			t.Errorf("Fatal result names no field path: %q", m)
		}
	}
	changed := changedKeys(req, rsp)
	if f := Fatal(rsp); f != "" && len(changed) > 0 {
		t.Errorf("Fatal result %q, yet the step added or changed desired resources %v", f, changed)
	}
	for _, p := range boundary(req, rsp, changed) {
		t.Error(p)
	}
	for _, p := range leaks(rsp, changed, secrets) {
		t.Error(p)
	}
}

// CheckBoundary asserts the naming, scope and secret properties of
// CheckProperties on every desired composed resource of a response without
// a Fatal result, whichever step composed it: the policy step, the last of
// the pipeline, passes only what stays inside the tenant's boundary.
func CheckBoundary(t testing.TB, req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, secrets []string) {
	t.Helper()
	if Fatal(rsp) != "" {
		return
	}
	all := slices.Sorted(maps.Keys(rsp.GetDesired().GetResources()))
	for _, p := range boundary(req, rsp, all) {
		t.Error(p)
	}
	for _, p := range leaks(rsp, all, secrets) {
		t.Error(p)
	}
}

func namesField(msg string) bool {
	for _, m := range fieldMarkers {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// changedKeys are the desired composed resources of rsp that req did not
// carry as they are now.
func changedKeys(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) []string {
	before := req.GetDesired().GetResources()
	var out []string
	for k, r := range rsp.GetDesired().GetResources() {
		if b, ok := before[k]; !ok || !proto.Equal(b, r) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func str(m map[string]any, path ...string) string {
	for i, p := range path {
		if i == len(path)-1 {
			s, _ := m[p].(string)
			return s
		}
		m, _ = m[p].(map[string]any)
	}
	return ""
}

func groupOf(apiVersion string) string {
	if g, _, ok := strings.Cut(apiVersion, "/"); ok {
		return g
	}
	return ""
}

func manifestOf(obj map[string]any) map[string]any {
	spec, _ := obj["spec"].(map[string]any)
	fp, _ := spec["forProvider"].(map[string]any)
	m, _ := fp["manifest"].(map[string]any)
	return m
}

func isObject(obj map[string]any) bool {
	g := groupOf(str(obj, "apiVersion"))
	return str(obj, "kind") == "Object" && (g == "kubernetes.m.crossplane.io" || g == "kubernetes.crossplane.io")
}

// clusterScoped reports kinds known to be cluster-scoped.
func clusterScoped(apiVersion, kind string) bool {
	g := groupOf(apiVersion)
	if len(kind) > len("Cluster") && strings.HasPrefix(kind, "Cluster") && kind[len("Cluster")] >= 'A' && kind[len("Cluster")] <= 'Z' {
		return true // ClusterRole, ClusterIssuer, ClusterProviderConfig, ...
	}
	switch {
	case g == "":
		return kind == "Namespace" || kind == "Node" || kind == "PersistentVolume"
	case strings.HasSuffix(g, ".m.crossplane.io"), g == "protection.crossplane.io":
		return false
	case strings.HasSuffix(g, "crossplane.io"):
		return true // legacy managed resources, compositions, packages
	case g == "networking.k8s.io":
		return kind == "IngressClass" || kind == "IPAddress" || kind == "ServiceCIDR"
	}
	switch g {
	case "storage.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io", "scheduling.k8s.io", "node.k8s.io",
		"certificates.k8s.io", "apiregistration.k8s.io", educatesGroup, "secrets.educates.dev":
		return true
	}
	return false
}

// tenantScoped are the cluster-scoped kinds a Datalab composes (wrapped),
// whose names must carry the tenant ID.
func tenantScoped(apiVersion, kind string) bool {
	g := groupOf(apiVersion)
	return (g == educatesGroup && (kind == "Workshop" || kind == "WorkshopEnvironment" || kind == "WorkshopSession")) ||
		(g == "" && kind == "Namespace")
}

// boundary checks names and scope of the desired resources keys.
func boundary(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, keys []string) []string {
	xr := req.GetObserved().GetComposite().GetResource().AsMap()
	ns, name := str(xr, "metadata", "namespace"), str(xr, "metadata", "name")
	id := names.Tenant{Namespace: ns, Name: name}.ID()
	var out []string
	for _, key := range keys {
		obj := rsp.GetDesired().GetResources()[key].GetResource().AsMap()
		av, kind, n := str(obj, "apiVersion"), str(obj, "kind"), str(obj, "metadata", "name")
		observed := req.GetObserved().GetResources()[key].GetResource().AsMap()
		where := fmt.Sprintf("desired %s (%s %s %q)", key, av, kind, n)
		for _, m := range validation.IsDNS1123Subdomain(n) {
			out = append(out, fmt.Sprintf("%s: metadata.name is not a DNS-1123 subdomain: %s", where, m))
		}
		if ons := str(obj, "metadata", "namespace"); ons != "" && ons != ns {
			out = append(out, fmt.Sprintf("%s: composed directly in namespace %q, not the Datalab's %q", where, ons, ns))
		}
		if clusterScoped(av, kind) {
			out = append(out, fmt.Sprintf("%s: a cluster-scoped kind composed directly, not wrapped in an Object", where))
		}
		check := func(what string, m, obs map[string]any) {
			av, kind, n := str(m, "apiVersion"), str(m, "kind"), str(m, "metadata", "name")
			if !tenantScoped(av, kind) {
				return
			}
			for _, e := range validation.IsDNS1123Label(n) {
				out = append(out, fmt.Sprintf("%s: %s %s %q is not a DNS-1123 label: %s", where, what, kind, n, e))
			}
			kept := obs != nil && str(obs, "metadata", "name") == n
			if !kept && n != id && !strings.HasPrefix(n, id+"-") {
				out = append(out, fmt.Sprintf("%s: %s %s %q does not start with the tenant ID %s", where, what, kind, n, id))
			}
		}
		check("", obj, observed)
		if isObject(obj) {
			m := manifestOf(obj)
			mn := str(m, "metadata", "name")
			for _, e := range validation.IsDNS1123Subdomain(mn) {
				out = append(out, fmt.Sprintf("%s: manifest %s %q is not a DNS-1123 subdomain: %s", where, str(m, "kind"), mn, e))
			}
			var om map[string]any
			if observed != nil {
				om = manifestOf(observed)
			}
			check("manifest", m, om)
			if ref := str(m, "roleRef", "name"); str(m, "kind") == "RoleBinding" && str(m, "roleRef", "kind") == "ClusterRole" {
				if _, ok := compose.SessionRoleOf(ref); !ok {
					out = append(out, fmt.Sprintf("%s: binds ClusterRole %q, not a session ClusterRole", where, ref))
				}
			}
		}
	}
	return out
}

// leakForms are the strings that show a secret value: itself, and the
// base64 (standard and URL alphabet) of its whole 3-byte groups at every
// alignment, which appear in the encoding of any text containing it.
func leakForms(v string) []string {
	forms := []string{v}
	for a := 0; a < 3 && a < len(v); a++ {
		q := (len(v) - a) / 3 * 3
		if q < 6 {
			continue
		}
		e := base64.StdEncoding.EncodeToString([]byte(v[a : a+q]))
		forms = append(forms, e)
		if u := strings.NewReplacer("+", "-", "/", "_").Replace(e); u != e {
			forms = append(forms, u)
		}
	}
	return forms
}

// markerStem is what every marker starts with; a string without one of
// its forms carries no marker.
const markerStem = "FUZZ-SECRET-VALUE-"

var stemForms = leakForms(markerStem)

type marker struct {
	value string
	forms []string
}

type markers []marker

// knownForms are the leak forms of the generator's markers, computed once
// (read-only afterwards).
var knownForms = func() map[string][]string {
	m := map[string][]string{}
	for _, v := range append(slices.Clone(Markers), MarkerForeign) {
		m[v] = leakForms(v)
	}
	return m
}()

func markersOf(values ...string) markers {
	out := make(markers, 0, len(values))
	for _, v := range values {
		f, ok := knownForms[v]
		if !ok {
			f = leakForms(v)
		}
		out = append(out, marker{v, f})
	}
	return out
}

// in returns the marker s carries, or "".
func (ms markers) in(s string) string {
	if len(s) < 8 {
		return ""
	}
	stem := false
	for _, f := range stemForms {
		if strings.Contains(s, f) {
			stem = true
			break
		}
	}
	if !stem {
		// A marker not built on the stem still needs checking.
		for _, m := range ms {
			if !strings.HasPrefix(m.value, markerStem) && slices.ContainsFunc(m.forms, func(f string) bool { return strings.Contains(s, f) }) {
				return m.value
			}
		}
		return ""
	}
	for _, m := range ms {
		for _, f := range m.forms {
			if strings.Contains(s, f) {
				return m.value
			}
		}
	}
	return ""
}

var foreignMarkers = markersOf(MarkerForeign)

// leaks finds secret values where they do not belong: anywhere in the
// response but its desired composed resources, and in the resources keys
// outside Secret data (and the login in a WorkshopSession's password); the
// decoy of another namespace anywhere.
func leaks(rsp *fnv1.RunFunctionResponse, keys []string, secrets []string) []string {
	strict := append(markersOf(secrets...), foreignMarkers...)
	var out []string
	found := func(where string, ms markers) func(p []string, s string, inSession bool) {
		return func(p []string, s string, _ bool) {
			if m := ms.in(s); m != "" {
				out = append(out, fmt.Sprintf("secret %q in %s at %s", m, where, strings.Join(p, ".")))
			}
		}
	}
	for _, r := range rsp.GetResults() {
		found("a result message", strict)(nil, r.GetMessage(), false)
	}
	for _, c := range rsp.GetConditions() {
		found("condition "+c.GetType(), strict)(nil, c.GetReason()+" "+c.GetMessage(), false)
	}
	for k, sel := range rsp.GetRequirements().GetResources() {
		found("requirement "+k, strict)(nil, sel.String(), false)
	}
	walkLeaks(structpb.NewStructValue(rsp.GetContext()), nil, false, false, false, found("the context", strict))
	dxr := rsp.GetDesired().GetComposite()
	walkLeaks(structpb.NewStructValue(dxr.GetResource()), nil, false, false, false, found("the desired composite", strict))
	for k, v := range dxr.GetConnectionDetails() {
		found("the composite's connection details", strict)([]string{k}, string(v), false)
	}
	check := map[string]bool{}
	for _, k := range keys {
		check[k] = true
	}
	secretsOnly := markersOf(secrets...)
	for _, key := range slices.Sorted(maps.Keys(rsp.GetDesired().GetResources())) {
		r := rsp.GetDesired().GetResources()[key]
		v := structpb.NewStructValue(r.GetResource())
		for k, v := range r.GetConnectionDetails() {
			found("the connection details of desired "+key, foreignMarkers)([]string{k}, string(v), false)
		}
		walkLeaks(v, nil, false, false, false, func(p []string, s string, _ bool) {
			if m := foreignMarkers.in(s); m != "" {
				out = append(out, fmt.Sprintf("desired %s: %q from a Secret of namespace %s at %s", key, m, decoyNamespace, strings.Join(p, ".")))
			}
		})
		if !check[key] {
			continue
		}
		for k, v := range r.GetConnectionDetails() {
			found("the connection details of desired "+key, secretsOnly)([]string{k}, string(v), false)
		}
		walkLeaks(v, nil, true, false, false, func(p []string, s string, inSession bool) {
			m := secretsOnly.in(s)
			if m == "" {
				return
			}
			if m == MarkerLogin && inSession && slices.Equal(p, []string{"spec", "session", "password"}) {
				return
			}
			out = append(out, fmt.Sprintf("desired %s: secret %q outside Secret data at %s", key, m, strings.Join(p, ".")))
		})
	}
	return out
}

// walkLeaks visits every string (and map key) of v with its path relative
// to the innermost Kubernetes object; with skip, not the data and
// stringData of v1 Secrets.
func walkLeaks(v *structpb.Value, p []string, skip, inSecret, inSession bool, visit func(p []string, value string, inSession bool)) {
	switch t := v.GetKind().(type) {
	case *structpb.Value_StructValue:
		f := t.StructValue.GetFields()
		if kind, ok := f["kind"].GetKind().(*structpb.Value_StringValue); ok {
			if av, ok := f["apiVersion"].GetKind().(*structpb.Value_StringValue); ok {
				inSecret = kind.StringValue == "Secret" && groupOf(av.StringValue) == ""
				inSession = kind.StringValue == "WorkshopSession" && groupOf(av.StringValue) == educatesGroup
				p = nil
			}
		}
		for k, x := range f {
			if skip && inSecret && len(p) == 0 && (k == "data" || k == "stringData") {
				continue
			}
			// Siblings share p's spare capacity: visit reads the path
			// before the next sibling overwrites it.
			cp := append(p, k)
			visit(cp, k, false)
			walkLeaks(x, cp, skip, inSecret, inSession, visit)
		}
	case *structpb.Value_ListValue:
		for i, it := range t.ListValue.GetValues() {
			walkLeaks(it, append(p, strconv.Itoa(i)), skip, inSecret, inSession, visit)
		}
	case *structpb.Value_StringValue:
		if len(t.StringValue) >= 8 {
			visit(p, t.StringValue, inSession)
		}
	}
}
