package compose

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// observedContent are the top-level fields that carry an object's content
// (as opposed to its identity, metadata and status).
var observedContent = []string{"spec", "type", "data", "immutable"}

// FromObserved returns an observed composed resource as desired state,
// exactly as it is (identity, labels and content: spec, or a Secret's type
// and data), for objects that must stay while the inputs that would render
// them are missing. Status and server-set metadata are dropped. Nil when the
// resource was not observed.
func FromObserved(obs *observed.Resources, key resource.Name) map[string]any {
	oc, ok := obs.Get(key)
	if !ok || oc.Resource == nil {
		return nil
	}
	o := oc.Resource.Object
	meta := map[string]any{"name": oc.Resource.GetName()}
	if l := oc.Resource.GetLabels(); len(l) > 0 {
		labels := make(map[string]any, len(l))
		for k, v := range l {
			labels[k] = v
		}
		meta["labels"] = labels
	}
	out := map[string]any{"apiVersion": o["apiVersion"], "kind": o["kind"], "metadata": meta}
	for _, f := range observedContent {
		if v, ok := o[f]; ok {
			out[f] = v
		}
	}
	return out
}
