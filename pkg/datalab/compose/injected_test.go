package compose

import (
	"reflect"
	"testing"
)

func TestWithoutComponent(t *testing.T) {
	np := func(name string) any {
		return map[string]any{"kind": "NetworkPolicy", "metadata": map[string]any{"name": name, "labels": map[string]any{LabelComponent: ComponentPolicy}}}
	}
	pvc := map[string]any{"kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": "bucket"}}
	applied := map[string]any{"kind": "Workshop", "spec": map[string]any{
		"environment": map[string]any{"objects": []any{pvc, np("deny-egress")}, "secrets": []any{"s"}},
		"session":     map[string]any{"objects": []any{np("deny-egress")}, "resources": map[string]any{"memory": "2Gi"}},
	}}
	want := map[string]any{"kind": "Workshop", "spec": map[string]any{
		"environment": map[string]any{"objects": []any{pvc}, "secrets": []any{"s"}},
		"session":     map[string]any{"resources": map[string]any{"memory": "2Gi"}},
	}}
	if got := WithoutComponent(applied, ComponentPolicy); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	// The input is not modified.
	if n := len(applied["spec"].(map[string]any)["environment"].(map[string]any)["objects"].([]any)); n != 2 {
		t.Errorf("input modified: %d objects", n)
	}
	if WithoutComponent(nil, ComponentPolicy) != nil {
		t.Error("nil manifest")
	}
}
