package fntest

import (
	"encoding/json"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
)

// Applied returns a response's desired composed resources as Crossplane
// observes them once applied and ready, keyed for Request.Observed: an
// Object reports its manifest in status.atProvider (with the given status
// per composition-resource-name key, for example an Educates phase) and
// Ready and Synced conditions. Feeding it back as observed state is the
// next reconcile.
func Applied(t testing.TB, rsp *fnv1.RunFunctionResponse, status map[string]map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	for key, r := range rsp.GetDesired().GetResources() {
		o := r.GetResource().AsMap()
		conds := []any{map[string]any{"type": "Ready", "status": "True"}, map[string]any{"type": "Synced", "status": "True"}}
		st := map[string]any{"conditions": conds}
		if o["kind"] == compose.ObjectKind {
			spec, _ := o["spec"].(map[string]any)
			fp, _ := spec["forProvider"].(map[string]any)
			// A copy: the applied object is not the desired one.
			b, _ := json.Marshal(fp["manifest"])
			var at map[string]any
			_ = json.Unmarshal(b, &at)
			if s, ok := status[key]; ok && at != nil {
				at["status"] = s
			}
			st["atProvider"] = map[string]any{"manifest": at}
		}
		o["status"] = st
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		out[key] = string(b)
	}
	return out
}
