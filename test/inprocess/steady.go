package inprocess

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// steadyReconciles is how many reconciles a claim gets before it is
// measured: enough for every requirement and every composed Secret to
// exist and the desired state to stop changing.
const steadyReconciles = 6

// SteadyState is a claim reconciled until nothing changes.
type SteadyState struct {
	// Requests are, per step, the request of its last call in the last
	// reconcile.
	Requests map[string]*fnv1.RunFunctionRequest
	// Calls are how often each step was called in the last reconcile on
	// a control plane (Crossplane remembers what each step required), and
	// RenderCalls how often `crossplane render` calls it on the same
	// state (it remembers nothing, so only the Composition's own
	// requirements come with the first call).
	Calls, RenderCalls map[string]int
}

// Steady reconciles a generated claim to its steady state (each outcome
// applied and observed by the next reconcile) and measures the last
// reconcile.
func Steady(s Size, env map[string]any) (SteadyState, error) {
	return steady(s, env, false)
}

// Creating is Steady while Educates has not yet created any environment
// (their Objects are not ready): every session's Workshop is still
// composed, so a request is at its largest.
func Creating(s Size, env map[string]any) (SteadyState, error) {
	return steady(s, env, true)
}

func steady(s Size, env map[string]any, creating bool) (SteadyState, error) {
	w := NewWorld(env)
	xr := MustStruct(s.Claim())
	observed := NewState()
	asked := map[string]map[string]*fnv1.ResourceSelector{}
	st := SteadyState{Requests: map[string]*fnv1.RunFunctionRequest{}, Calls: map[string]int{}, RenderCalls: map[string]int{}}
	count := func(calls map[string]int) func(string, []string, *fnv1.RunFunctionResponse) {
		return func(step string, _ []string, _ *fnv1.RunFunctionResponse) { calls[step]++ }
	}
	for i := range steadyReconciles {
		last := i == steadyReconciles-1
		var record map[string]*fnv1.RunFunctionRequest
		calls := map[string]int{}
		if last {
			record, calls = st.Requests, st.Calls
		}
		out, err := Reconcile(xr, observed.Resources, w, asked, count(calls), record)
		if err != nil {
			return st, err
		}
		if out.Fatal != "" {
			return st, fmt.Errorf("%s: %s", out.Step, out.Fatal)
		}
		if !last {
			observed = Apply(out.Desired, w, ClaimNamespace, ClaimName)
			if creating {
				holdEnvironments(observed)
			}
		}
	}
	out, err := Reconcile(xr, observed.Resources, w, map[string]map[string]*fnv1.ResourceSelector{}, count(st.RenderCalls), nil)
	if err == nil && out.Fatal != "" {
		err = fmt.Errorf("render: %s: %s", out.Step, out.Fatal)
	}
	return st, err
}

// holdEnvironments makes every observed environment Object not ready.
func holdEnvironments(observed State) {
	for key, r := range observed.Resources {
		if _, ok := compose.SessionOf(resource.Name(key), compose.EnvironmentKey); !ok {
			continue
		}
		for _, c := range r.GetResource().GetFields()["status"].GetStructValue().GetFields()["conditions"].GetListValue().GetValues() {
			if f := c.GetStructValue().GetFields(); f["type"].GetStringValue() == "Ready" {
				f["status"] = structpb.NewStringValue("False")
			}
		}
		observed.Put(key, r)
	}
}
