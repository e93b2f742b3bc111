package compose

import (
	"reflect"
	"testing"
)

func TestWithoutKeptCurrent(t *testing.T) {
	np := func(name string) any {
		return map[string]any{"kind": "NetworkPolicy", "metadata": map[string]any{"name": name, "labels": map[string]any{LabelComponent: ComponentPolicy}}}
	}
	pvc := map[string]any{"kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": "bucket"}}
	otherRole := map[string]any{"kind": "Role", "metadata": map[string]any{"name": "tenant-made"}}
	applied := map[string]any{"kind": "Workshop", "spec": map[string]any{
		"environment": map[string]any{"objects": []any{pvc, np("deny-egress")}, "secrets": []any{"s"}},
		"session":     map[string]any{"objects": []any{np("deny-egress"), otherRole}, "resources": map[string]any{"memory": "2Gi"}},
	}}
	want := map[string]any{"kind": "Workshop", "spec": map[string]any{
		"environment": map[string]any{"objects": []any{pvc}, "secrets": []any{"s"}},
		"session":     map[string]any{"objects": []any{otherRole}, "resources": map[string]any{"memory": "2Gi"}},
	}}
	if got := WithoutKeptCurrent(applied); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	// The input is not modified.
	if n := len(applied["spec"].(map[string]any)["environment"].(map[string]any)["objects"].([]any)); n != 2 {
		t.Errorf("input modified: %d objects", n)
	}
	if WithoutKeptCurrent(nil) != nil {
		t.Error("nil manifest")
	}
}
