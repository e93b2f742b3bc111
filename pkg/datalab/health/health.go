// Package health turns observed composed resources into readiness, the
// job function-auto-ready does elsewhere (it is not available as a module
// here): a resource is ready when its observed Ready condition is True.
package health

import (
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Ready reports the readiness of one observed composed resource. A
// resource that has not been observed yet is not ready.
func Ready(obs *observed.Resources, key resource.Name) resource.Ready {
	oc, ok := obs.Get(key)
	if !ok || oc.Resource == nil {
		return resource.ReadyFalse
	}
	if ReadyCondition(oc.Resource.Object) == resource.ReadyTrue {
		return resource.ReadyTrue
	}
	return resource.ReadyFalse
}

// ReadyCondition reads an object's Ready condition: True, False (present
// but not True), or Unspecified when it reports none.
func ReadyCondition(obj map[string]any) resource.Ready {
	// Read status.conditions directly: GetCondition round-trips the whole
	// status through JSON, which for an Object includes the observed
	// manifest and dominates a step's cost per call.
	conds, _, _ := unstructured.NestedSlice(obj, "status", "conditions")
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == "Ready" {
			if m["status"] == "True" {
				return resource.ReadyTrue
			}
			return resource.ReadyFalse
		}
	}
	return resource.ReadyUnspecified
}

// Exists reports readiness for objects that are ready once they exist
// (plain Secrets and ConfigMaps composed directly).
func Exists(obs *observed.Resources, key resource.Name) resource.Ready {
	if oc, ok := obs.Get(key); ok && oc.Resource != nil && oc.Resource.GetName() != "" {
		return resource.ReadyTrue
	}
	return resource.ReadyFalse
}

// Apply sets the readiness of every desired resource from observed state:
// resources the check names use it, all others the Ready condition.
func Apply(desired map[resource.Name]*resource.DesiredComposed, obs *observed.Resources, checks map[resource.Name]func(*observed.Resources, resource.Name) resource.Ready) {
	for key, dc := range desired {
		check := Ready
		if c, ok := checks[key]; ok {
			check = c
		}
		dc.Ready = check(obs, key)
	}
}

// Manifest returns the target object an observed provider-kubernetes
// Object reports in status.atProvider.manifest, or nil.
func Manifest(obs *observed.Resources, key resource.Name) map[string]any {
	oc, ok := obs.Get(key)
	if !ok || oc.Resource == nil {
		return nil
	}
	at, _ := oc.Resource.Object["status"].(map[string]any)
	at, _ = at["atProvider"].(map[string]any)
	m, _ := at["manifest"].(map[string]any)
	return m
}

// AppliedManifest returns the manifest an observed provider-kubernetes
// Object was last told to apply (spec.forProvider.manifest), i.e. the
// previous output of the step that composes it, or nil.
func AppliedManifest(obs *observed.Resources, key resource.Name) map[string]any {
	oc, ok := obs.Get(key)
	if !ok || oc.Resource == nil {
		return nil
	}
	v, _, _ := unstructured.NestedFieldNoCopy(oc.Resource.Object, "spec", "forProvider", "manifest")
	m, _ := v.(map[string]any)
	return m
}
