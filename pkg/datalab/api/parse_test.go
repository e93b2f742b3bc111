package api

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestFromComposite(t *testing.T) {
	xr := &unstructured.Unstructured{Object: map[string]any{
		"metadata": map[string]any{"name": "lab", "namespace": "ns"},
		"spec": map[string]any{
			"sessions": []any{map[string]any{"name": "new"}, map[string]any{"name": "old", "state": "stopped"}, map[string]any{"name": "legacy", "state": "paused"}},
			"files":    []any{map[string]any{"git": map[string]any{"url": "https://x"}, "path": "."}},
		},
	}}
	d, err := FromComposite(xr)
	if err != nil {
		t.Fatal(err)
	}
	// The predecessor's "paused" is kept as written, for validation to refuse as the XRD does.
	want := []Session{{Name: "new", State: StateStarted}, {Name: "old", State: StateStopped}, {Name: "legacy", State: "paused"}}
	if diff := cmp.Diff(want, d.Spec.Sessions); diff != "" {
		t.Error(diff)
	}
	if d.Spec.Files[0].Raw["path"] != "." || d.Spec.Files[0].Git.URL != "https://x" {
		t.Errorf("files not kept verbatim: %+v", d.Spec.Files[0])
	}
	if d.EffectiveSecretName() != "lab" {
		t.Errorf("secret name default: %s", d.EffectiveSecretName())
	}
}

func TestFromCompositeRejectsPlainStringSessions(t *testing.T) {
	xr := &unstructured.Unstructured{Object: map[string]any{"metadata": map[string]any{"name": "lab"}, "spec": map[string]any{"sessions": []any{"plain"}}}}
	if _, err := FromComposite(xr); err == nil {
		t.Fatal("a plain-string session, which no served version accepts, was accepted")
	}
}

func TestFromCompositeRejectsWrongTypes(t *testing.T) {
	xr := &unstructured.Unstructured{Object: map[string]any{"metadata": map[string]any{"name": "lab"}, "spec": map[string]any{"users": "alice"}}}
	if _, err := FromComposite(xr); err == nil {
		t.Fatal("a string where a list belongs was accepted")
	}
}
