package step

import (
	"sort"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/desired"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
)

// workshopSessionKind is the Educates kind a runtime session Object wraps.
const workshopSessionKind = "WorkshopSession"

// withholdNewSessions removes from the desired state every session the
// runtime step rendered that does not exist yet, so that a Datalab without
// credentials does not start sessions that would run without them (a
// session imports its environment only when it starts). It edits only what
// it recognises: a desired resource under a runtime session key
// (compose.SessionKey) that is a provider-kubernetes Object wrapping an
// Educates WorkshopSession. A session that exists in observed state is never
// removed. It returns the withheld session names, sorted.
func withholdNewSessions(rsp *fnv1.RunFunctionResponse, obs *observed.Resources) []string {
	var withheld []string
	state := rsp.GetDesired()
	for _, e := range desired.List(state) {
		session, ok := compose.SessionOf(e.Name, compose.SessionKey)
		if !ok || obs.Has(e.Name) || !wrapsWorkshopSession(e.Resource()) {
			continue
		}
		desired.Remove(state, e.Name)
		withheld = append(withheld, session)
	}
	sort.Strings(withheld)
	return withheld
}

// wrapsWorkshopSession reports whether a desired resource is an Object
// whose manifest is a WorkshopSession. It reads the wire struct directly:
// no conversion of the whole desired state.
func wrapsWorkshopSession(r *fnv1.Resource) bool {
	f := r.GetResource().GetFields()
	if f["apiVersion"].GetStringValue() != compose.ObjectAPIVersion || f["kind"].GetStringValue() != compose.ObjectKind {
		return false
	}
	m := f["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue().GetFields()["manifest"].GetStructValue().GetFields()
	return m["kind"].GetStringValue() == workshopSessionKind
}
