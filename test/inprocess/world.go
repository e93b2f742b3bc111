// Package inprocess runs the Datalab pipeline in one process as
// Crossplane v2.4 does: the five steps in order, each called again while
// its requirements change, required resources answered from a world of
// objects, the outcome applied and observed by the next reconcile. The
// property test (test/property) and the benchmark (test/cmd/bench) use it.
package inprocess

import (
	"maps"
	"slices"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
)

// World is what the API server holds: the operator's and the tenant's
// objects, and what the pipeline applied. Required resources are answered
// from it.
type World map[string]*structpb.Struct

func objectID(apiVersion, kind, namespace, name string) string {
	return apiVersion + "/" + kind + "/" + namespace + "/" + name
}

// Field reads a string field of an object.
func Field(o *structpb.Struct, path ...string) string {
	return observed.Path(o, path[:len(path)-1]...).GetFields()[path[len(path)-1]].GetStringValue()
}

func (w World) Put(o *structpb.Struct) {
	w[objectID(Field(o, "apiVersion"), Field(o, "kind"), Field(o, "metadata", "namespace"), Field(o, "metadata", "name"))] = o
}

func (w World) PutMap(m map[string]any) { w.Put(MustStruct(m)) }

func (w World) Remove(apiVersion, kind, namespace, name string) {
	delete(w, objectID(apiVersion, kind, namespace, name))
}

func (w World) Get(apiVersion, kind, namespace, name string) *structpb.Struct {
	return w[objectID(apiVersion, kind, namespace, name)]
}

// Find answers a selector as Crossplane does: by name, or by labels.
func (w World) Find(sel *fnv1.ResourceSelector) *fnv1.Resources {
	out := &fnv1.Resources{}
	if m := sel.GetMatchName(); m != "" {
		if o := w.Get(sel.GetApiVersion(), sel.GetKind(), sel.GetNamespace(), m); o != nil {
			out.Items = append(out.Items, &fnv1.Resource{Resource: o})
		}
		return out
	}
	for _, id := range slices.Sorted(maps.Keys(w)) {
		o := w[id]
		if Field(o, "apiVersion") != sel.GetApiVersion() || Field(o, "kind") != sel.GetKind() {
			continue
		}
		if sel.Namespace != nil && Field(o, "metadata", "namespace") != sel.GetNamespace() {
			continue
		}
		labels := observed.Path(o, "metadata", "labels").GetFields()
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

// MustStruct converts a JSON-like map.
func MustStruct(m map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(m)
	if err != nil {
		panic(err)
	}
	return s
}
