package inprocess

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// steadyReconciles is how many reconciles a claim gets before it is
// measured: enough for every requirement and every composed Secret to
// exist and the desired state to stop changing.
const steadyReconciles = 6

// Steady reconciles a generated claim to its steady state (each outcome
// applied and observed by the next reconcile) and returns, per step, the
// request of its last call in the last reconcile and how often it was
// called then.
func Steady(s Size, env map[string]any) (map[string]*fnv1.RunFunctionRequest, map[string]int, error) {
	w := NewWorld(env)
	xr := MustStruct(s.Claim())
	observed := NewState()
	asked := map[string]map[string]*fnv1.ResourceSelector{}
	calls := map[string]int{}
	requests := map[string]*fnv1.RunFunctionRequest{}
	for i := range steadyReconciles {
		last := i == steadyReconciles-1
		var record map[string]*fnv1.RunFunctionRequest
		if last {
			record = requests
		}
		out, err := Reconcile(xr, observed.Resources, w, asked, func(step string, _ []string, _ *fnv1.RunFunctionResponse) {
			if last {
				calls[step]++
			}
		}, record)
		if err != nil {
			return nil, nil, err
		}
		if out.Fatal != "" {
			return nil, nil, fmt.Errorf("%s: %s", out.Step, out.Fatal)
		}
		if !last {
			observed = Apply(out.Desired, w, ClaimNamespace, ClaimName)
		}
	}
	return requests, calls, nil
}
