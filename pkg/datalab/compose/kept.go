package compose

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// KeepStateful returns an observed stateful Object (a removed session's
// volume, a removed service's database) as desired state, exactly as
// observed except for its management policies, which follow the current
// retention policy: an Object created under Delete and kept after the
// operator switched to Retain must not delete its data when the Datalab
// is deleted later. Nil when the resource was not observed.
func KeepStateful(obs *observed.Resources, key resource.Name, retention string) map[string]any {
	obj := FromObserved(obs, key)
	if obj == nil || obj["kind"] != ObjectKind {
		return obj
	}
	if spec, ok := obj["spec"].(map[string]any); ok {
		spec["managementPolicies"] = ManagementPolicies(true, retention)
	}
	return obj
}
