// Package property runs the whole pipeline in-process over random
// sequences of reconciles, as Crossplane would, and checks on every step
// that no sequence loses data (TestNoSequenceLosesData).
package property

import (
	"maps"
	"slices"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"
)

// world is what the API server holds: the operator's and the tenant's
// objects, and what the pipeline applied. Required resources are answered
// from it.
type world map[string]*structpb.Struct

func objectID(apiVersion, kind, namespace, name string) string {
	return apiVersion + "/" + kind + "/" + namespace + "/" + name
}

// field reads a string field of an object.
func field(o *structpb.Struct, path ...string) string {
	for _, p := range path[:len(path)-1] {
		o = o.GetFields()[p].GetStructValue()
	}
	return o.GetFields()[path[len(path)-1]].GetStringValue()
}

func (w world) put(o *structpb.Struct) {
	w[objectID(field(o, "apiVersion"), field(o, "kind"), field(o, "metadata", "namespace"), field(o, "metadata", "name"))] = o
}

func (w world) putMap(m map[string]any) { w.put(mustStruct(m)) }

func (w world) remove(apiVersion, kind, namespace, name string) {
	delete(w, objectID(apiVersion, kind, namespace, name))
}

func (w world) get(apiVersion, kind, namespace, name string) *structpb.Struct {
	return w[objectID(apiVersion, kind, namespace, name)]
}

// find answers a selector as Crossplane does: by name, or by labels.
func (w world) find(sel *fnv1.ResourceSelector) *fnv1.Resources {
	out := &fnv1.Resources{}
	if m := sel.GetMatchName(); m != "" {
		if o := w.get(sel.GetApiVersion(), sel.GetKind(), sel.GetNamespace(), m); o != nil {
			out.Items = append(out.Items, &fnv1.Resource{Resource: o})
		}
		return out
	}
	for _, id := range slices.Sorted(maps.Keys(w)) {
		o := w[id]
		if field(o, "apiVersion") != sel.GetApiVersion() || field(o, "kind") != sel.GetKind() {
			continue
		}
		if sel.Namespace != nil && field(o, "metadata", "namespace") != sel.GetNamespace() {
			continue
		}
		labels := o.GetFields()["metadata"].GetStructValue().GetFields()["labels"].GetStructValue().GetFields()
		match := true
		for k, v := range sel.GetMatchLabels().GetLabels() {
			if labels[k].GetStringValue() != v {
				match = false
			}
		}
		if match {
			out.Items = append(out.Items, &fnv1.Resource{Resource: o})
		}
	}
	return out
}
