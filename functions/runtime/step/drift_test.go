package step

import (
	"slices"
	"testing"
)

// TestChangedFields: leaf paths that differ, numbers compared by value,
// fields present on one side only, lists as a whole.
func TestChangedFields(t *testing.T) {
	applied := map[string]any{"spec": map[string]any{
		"memory": "2Gi", "replicas": float64(2), "gone": "x",
		"list":   []any{map[string]any{"a": float64(1)}},
		"nested": map[string]any{"same": true, "other": "a"},
	}}
	desired := map[string]any{"spec": map[string]any{
		"memory": "4Gi", "replicas": 2, "new": "y",
		"list":   []any{map[string]any{"a": 1}},
		"nested": map[string]any{"same": true, "other": "b"},
	}}
	got := changedFields(applied, desired, "spec")
	want := []string{"spec.gone", "spec.memory", "spec.nested.other", "spec.new"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if changedFields(applied, applied, "spec") != nil || changedFields(nil, desired, "spec") != nil {
		t.Fatal("no change, or nothing applied, is drift")
	}
}
