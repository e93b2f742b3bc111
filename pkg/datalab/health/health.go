// Package health turns observed composed resources into readiness, the
// job function-auto-ready does elsewhere (it is not available as a module
// here): a resource is ready when its observed Ready condition is True.
package health

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Ready reports the readiness of one observed composed resource. A
// resource that has not been observed yet is not ready.
func Ready(obs *observed.Resources, key resource.Name) resource.Ready {
	// Read from the resource as received: converting all of it (for an
	// Object, its manifest twice) only to read one condition dominated a
	// step's cost per call.
	for _, c := range observed.Path(obs.Raw(key), "status").GetFields()["conditions"].GetListValue().GetValues() {
		f := c.GetStructValue().GetFields()
		if f["type"].GetStringValue() == "Ready" {
			if f["status"].GetStringValue() == "True" {
				return resource.ReadyTrue
			}
			return resource.ReadyFalse
		}
	}
	return resource.ReadyFalse
}

// ReadyCondition reads an object's Ready condition: True, False (present
// but not True), or Unspecified when it reports none.
func ReadyCondition(obj map[string]any) resource.Ready {
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
	if observed.Path(obs.Raw(key), "metadata").GetFields()["name"].GetStringValue() != "" {
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
	return obs.Part(key, "status", "atProvider", "manifest")
}

// AppliedManifest returns the manifest an observed provider-kubernetes
// Object was last told to apply (spec.forProvider.manifest), i.e. the
// previous output of the step that composes it, or nil.
func AppliedManifest(obs *observed.Resources, key resource.Name) map[string]any {
	return obs.Part(key, "spec", "forProvider", "manifest")
}
