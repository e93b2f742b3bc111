package step

import (
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

const educatesGroup = "training.educates.dev"

// workshop is one of the runtime's Educates Workshops in the desired
// state: the injection point for the NetworkPolicies of the session's
// namespaces.
type workshop struct {
	session  string
	key      resource.Name
	dc       *resource.DesiredComposed
	manifest map[string]any
	vcluster bool
	// changed: inject changed its templates.
	changed bool
}

// findWorkshops recognises the runtime's Workshops by their
// composition-resource-name key (compose.WorkshopKey) and content (an
// Object wrapping a training.educates.dev Workshop). A key that looks like
// a Workshop but holds something else is an error: the policy step could
// not protect that session's namespaces.
func findWorkshops(desired map[resource.Name]*resource.DesiredComposed) ([]*workshop, field.ErrorList) {
	var out []*workshop
	var errs field.ErrorList
	for _, key := range slices.Sorted(maps.Keys(desired)) {
		s, ok := compose.SessionOf(key, compose.WorkshopKey)
		if !ok {
			continue
		}
		dc := desired[key]
		m := manifestOf(dc.Resource.Object)
		if dc.Resource.GetKind() != compose.ObjectKind || m == nil || kindOf(m) != "Workshop" || groupOf(str(m, "apiVersion")) != educatesGroup {
			errs = append(errs, field.Forbidden(composedPath(key),
				"is not an Object wrapping an Educates Workshop; the policy step injects the session's NetworkPolicies only there, so it cannot protect session "+s))
			continue
		}
		enabled, _, _ := unstructured.NestedBool(m, "spec", "session", "applications", "vcluster", "enabled")
		out = append(out, &workshop{session: s, key: key, dc: dc, manifest: m, vcluster: enabled})
	}
	return out, errs
}

// inject replaces the policy step's objects in the Workshop (recognised by
// their component label) with the current ones, leaving every other object
// and field untouched:
//   - spec.environment.objects: the workshop namespace's policy, which
//     Educates creates with the environment;
//   - spec.session.objects: the session namespace's policy and budget and,
//     with a vcluster, the vcluster host namespace's policy, which Educates
//     creates with each session.
//
// These templates protect a namespace from its first moment; the
// boundary Objects (boundary.go) keep it current afterwards. It records in
// w whether the Workshop changed.
func (n netplan) inject(in *pipeline.Input, w *workshop) {
	spec, _ := w.manifest["spec"].(map[string]any)
	if spec == nil {
		spec = map[string]any{}
		w.manifest["spec"] = spec
	}
	env := present(n.sessionPolicy(in, w.session, roleWorkshop, w.vcluster, varWorkshopNamespace))
	sess := present(n.sessionPolicy(in, w.session, roleSession, w.vcluster, varSessionNamespace))
	if w.vcluster {
		sess = append(sess, present(n.sessionPolicy(in, w.session, roleVCluster, true, varVClusterNamespace))...)
	}
	quota, limits := sessionBudget(in, w.session, varSessionNamespace)
	sess = append(sess, present(quota, limits)...)
	w.changed = setObjects(spec, "environment", env)
	w.changed = setObjects(spec, "session", sess) || w.changed
}

// present lists the manifests that are not nil.
func present(ms ...map[string]any) []any {
	out := make([]any, 0, len(ms))
	for _, m := range ms {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// setObjects replaces the policy objects of a section of the Workshop's
// spec and reports whether that changed the section.
func setObjects(spec map[string]any, section string, policies []any) bool {
	sec, _ := spec[section].(map[string]any)
	if sec == nil {
		if len(policies) == 0 {
			return false
		}
		sec = map[string]any{}
		spec[section] = sec
	}
	items, _ := sec["objects"].([]any)
	kept := make([]any, 0, len(items)+len(policies))
	var previous []any
	// moved: an object of the Workshop's own follows a policy object, so
	// replacing the policies (always at the end) moves it.
	moved := false
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && isPolicyObject(m) {
			previous = append(previous, it)
			continue
		}
		moved = moved || len(previous) > 0
		kept = append(kept, it)
	}
	kept = append(kept, policies...)
	if len(kept) == 0 {
		delete(sec, "objects")
		return len(items) > 0
	}
	sec["objects"] = kept
	return moved || !compose.Equal(previous, policies)
}

// isPolicyObject recognises what this step injected earlier.
func isPolicyObject(m map[string]any) bool {
	v, _, _ := unstructured.NestedString(m, "metadata", "labels", compose.LabelComponent)
	return v == compose.ComponentPolicy
}

func manifestOf(obj map[string]any) map[string]any {
	v, _, _ := unstructured.NestedFieldNoCopy(obj, "spec", "forProvider", "manifest")
	m, _ := v.(map[string]any)
	return m
}

func kindOf(m map[string]any) string { return str(m, "kind") }

func str(m map[string]any, path ...string) string {
	v, _, _ := unstructured.NestedFieldNoCopy(m, path...)
	s, _ := v.(string)
	return s
}

// composedPath is the field path of a composed resource in messages.
func composedPath(key resource.Name) *field.Path {
	return field.NewPath("composed").Key(string(key))
}
