package step

import (
	"fmt"
	"reflect"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// A path inside a composed resource: string keys and list indexes.
type path []any

func (p path) field(key resource.Name) *field.Path {
	fp := composedPath(key)
	for _, s := range p {
		switch v := s.(type) {
		case string:
			fp = fp.Child(v)
		case int:
			fp = fp.Index(v)
		}
	}
	return fp
}

func (p path) with(s ...any) path {
	out := make(path, 0, len(p)+len(s))
	return append(append(out, p...), s...)
}

// valueAt follows p through maps and lists.
func valueAt(obj any, p path) (any, bool) {
	cur := obj
	for _, s := range p {
		switch v := s.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[v]; !ok {
				return nil, false
			}
		case int:
			l, ok := cur.([]any)
			if !ok || v < 0 || v >= len(l) {
				return nil, false
			}
			cur = l[v]
		default:
			return nil, false
		}
	}
	return cur, true
}

// existing reports whether the observed resource of key already holds the
// same value at p: the object was created like this earlier (before the
// operator tightened a limit, or as data kept by the retention policy). It
// is reported with a Warning and kept rather than vetoed, since rejecting
// it would block the Datalab without undoing anything; new requests are
// vetoed.
func existing(obs *observed.Resources, key resource.Name, p path, value any) bool {
	oc, ok := obs.Get(key)
	if !ok || oc.Resource == nil {
		return false
	}
	if value == nil {
		// Absent in desired: existing when the observed object has the
		// same place (say, the claim spec) and lacks it too.
		if len(p) == 0 {
			return false
		}
		parent, ok := valueAt(oc.Resource.Object, p[:len(p)-1])
		m, isMap := parent.(map[string]any)
		if !ok || !isMap {
			return false
		}
		v := m[fmt.Sprint(p[len(p)-1])]
		return v == nil || v == ""
	}
	v, ok := valueAt(oc.Resource.Object, p)
	return ok && reflect.DeepEqual(fmt.Sprint(v), fmt.Sprint(value))
}
