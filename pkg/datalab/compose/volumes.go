package compose

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// KeepVolumeShape makes a desired PersistentVolumeClaim manifest keep what
// an existing claim cannot change: its storage class (immutable) and its
// size, which may grow but never shrink (the API server refuses both, and
// the Object would stay unsynced). existing is the claim as it exists
// (nil before it does). It returns what was kept, for a condition.
func KeepVolumeShape(desired, existing map[string]any) []string {
	if desired == nil || existing == nil {
		return nil
	}
	var kept []string
	if class, ok, _ := unstructured.NestedString(existing, "spec", "storageClassName"); ok && class != "" {
		if want, _, _ := unstructured.NestedString(desired, "spec", "storageClassName"); want != class {
			_ = unstructured.SetNestedField(desired, class, "spec", "storageClassName")
			kept = append(kept, fmt.Sprintf("storage class %s (a volume's class cannot change)", class))
		}
	}
	// The volume a claim is bound to never changes; saying so keeps an
	// applied volumeName (a claim bound again after a restart) in place.
	if v, _, _ := unstructured.NestedString(existing, "spec", "volumeName"); v != "" {
		_ = unstructured.SetNestedField(desired, v, "spec", "volumeName")
	}
	have, ok1, _ := unstructured.NestedString(existing, "spec", "resources", "requests", "storage")
	want, ok2, _ := unstructured.NestedString(desired, "spec", "resources", "requests", "storage")
	if ok1 && ok2 {
		h, err1 := resource.ParseQuantity(have)
		w, err2 := resource.ParseQuantity(want)
		if err1 == nil && err2 == nil && w.Cmp(h) < 0 {
			_ = unstructured.SetNestedField(desired, have, "spec", "resources", "requests", "storage")
			kept = append(kept, fmt.Sprintf("size %s (a volume cannot shrink to %s)", have, want))
		}
	}
	return kept
}
