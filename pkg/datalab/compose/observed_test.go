package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func observedObject(obj map[string]any) *observed.Resources {
	return observed.FromMap(map[resource.Name]resource.ObservedComposed{"k": {Resource: &unstructured.Unstructured{Object: obj}}})
}

// TestFromObserved: identity, labels and content are kept exactly; status
// and server-set metadata are dropped.
func TestFromObserved(t *testing.T) {
	secret := map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "immutable": false,
		"metadata": map[string]any{"name": "lab-storage", "namespace": "team", "uid": "u", "resourceVersion": "9",
			"labels": map[string]any{"a": "b"}, "annotations": map[string]any{"crossplane.io/composition-resource-name": "k"}},
		"data":   map[string]any{"K": "dg=="},
		"status": map[string]any{"conditions": []any{}},
	}
	want := map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "immutable": false,
		"metadata": map[string]any{"name": "lab-storage", "labels": map[string]any{"a": "b"}},
		"data":     map[string]any{"K": "dg=="},
	}
	if d := cmp.Diff(want, FromObserved(observedObject(secret), "k")); d != "" {
		t.Error(d)
	}
	object := map[string]any{"apiVersion": ObjectAPIVersion, "kind": ObjectKind, "metadata": map[string]any{"name": "o"},
		"spec": map[string]any{"forProvider": map[string]any{}}, "status": map[string]any{"atProvider": map[string]any{}}}
	wantObject := map[string]any{"apiVersion": ObjectAPIVersion, "kind": ObjectKind, "metadata": map[string]any{"name": "o"},
		"spec": map[string]any{"forProvider": map[string]any{}}}
	if d := cmp.Diff(wantObject, FromObserved(observedObject(object), "k")); d != "" {
		t.Error(d)
	}
	if FromObserved(observedObject(secret), "missing") != nil {
		t.Error("an unobserved resource was returned")
	}
}
