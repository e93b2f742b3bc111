package schema

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Some kinds carry whole Kubernetes objects that their controller creates
// later. Their schemas only say "any object" (x-kubernetes-preserve-unknown-
// fields or x-kubernetes-embedded-resource), so the API server would accept a
// broken manifest and the failure would only surface at reconcile time. We
// validate such manifests as objects of their own.

// nestedRule says where one kind keeps nested manifests.
type nestedRule struct {
	// single paths hold one manifest each; list paths hold arrays of them.
	single []string
	list   []string
}

// nestedRules is keyed by group and kind, so every served version of a kind
// is covered (the manifest fields are the same in all of them).
var nestedRules = map[schema.GroupKind]nestedRule{
	// provider-kubernetes Object, namespaced (kubernetes.m.crossplane.io) and
	// cluster-scoped (kubernetes.crossplane.io) flavours.
	{Group: "kubernetes.m.crossplane.io", Kind: "Object"}: {single: []string{"spec.forProvider.manifest"}},
	{Group: "kubernetes.crossplane.io", Kind: "Object"}:   {single: []string{"spec.forProvider.manifest"}},
	// Educates: objects created per environment, per session, per request
	// and inside the session's virtual cluster.
	{Group: "training.educates.dev", Kind: "Workshop"}: {list: []string{
		"spec.environment.objects",
		"spec.session.objects",
		"spec.session.applications.vcluster.objects",
		"spec.request.objects",
	}},
	{Group: "training.educates.dev", Kind: "WorkshopEnvironment"}: {list: []string{
		"spec.environment.objects",
	}},
}

// nested is one manifest found inside another object.
type nested struct {
	path  string // e.g. spec.session.objects[2]
	value any
}

// nestedManifests returns the manifests kept inside obj, in schema order.
func nestedManifests(apiVersion, kind string, obj map[string]any) []nested {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil
	}
	rule, ok := nestedRules[gv.WithKind(kind).GroupKind()]
	if !ok {
		return nil
	}
	var out []nested
	for _, p := range rule.single {
		if val, found := lookupPath(obj, p); found && val != nil {
			out = append(out, nested{path: p, value: val})
		}
	}
	for _, p := range rule.list {
		val, found := lookupPath(obj, p)
		if !found || val == nil {
			continue
		}
		items, ok := val.([]any)
		if !ok {
			continue // a type error the schema check already reports
		}
		for i, it := range items {
			out = append(out, nested{path: fmt.Sprintf("%s[%d]", p, i), value: it})
		}
	}
	return out
}

// lookupPath follows a dotted path of object fields.
func lookupPath(obj map[string]any, path string) (any, bool) {
	var cur any = obj
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}
