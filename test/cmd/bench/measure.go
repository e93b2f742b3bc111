package main

import (
	"context"
	"fmt"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/test/inprocess"
)

// stepCost is one step at steady state.
type stepCost struct {
	name               string
	floor, step        float64 // ns per call
	allocs             int64
	reqBytes, rspBytes int
	calls              int
}

type measured struct {
	steps              []stepCost
	floor, step        float64
	allocs             int64
	reqBytes, rspBytes int
	calls              int
	requests           map[string]*fnv1.RunFunctionRequest
}

func (m *measured) request(step string) *fnv1.RunFunctionRequest { return m.requests[step] }

// steadyReconciles is how many reconciles a claim gets before it is
// measured: enough for every requirement and every composed Secret to
// exist and the desired state to stop changing.
const steadyReconciles = 6

// measure reconciles a claim to its steady state and measures each step
// on the requests of the last reconcile.
func measure(s size, env map[string]any) (*measured, error) {
	w := world(env)
	xr := inprocess.MustStruct(s.claim())
	observed := inprocess.NewState()
	asked := map[string]map[string]*fnv1.ResourceSelector{}
	var out inprocess.Outcome
	calls := map[string]int{}
	requests := map[string]*fnv1.RunFunctionRequest{}
	for i := range steadyReconciles {
		last := i == steadyReconciles-1
		var record map[string]*fnv1.RunFunctionRequest
		if last {
			record = requests
		}
		var err error
		out, err = inprocess.Reconcile(xr, observed.Resources, w, asked, func(step string, _ []string, _ *fnv1.RunFunctionResponse) {
			if last {
				calls[step]++
			}
		}, record)
		if err != nil {
			return nil, err
		}
		if out.Fatal != "" {
			return nil, fmt.Errorf("%s: %s", out.Step, out.Fatal)
		}
		if !last {
			observed = inprocess.Apply(out.Desired, w, benchNamespace, benchName)
		}
	}
	m := &measured{requests: requests}
	for _, st := range inprocess.Steps {
		req := requests[st.Name]
		reqBytes, err := proto.Marshal(req)
		if err != nil {
			return nil, err
		}
		rsp, err := st.Fn.RunFunction(context.Background(), proto.Clone(req).(*fnv1.RunFunctionRequest))
		if err != nil {
			return nil, err
		}
		if f := fntest.Fatal(rsp); f != "" {
			return nil, fmt.Errorf("%s: %s", st.Name, f)
		}
		rspBytes, err := proto.Marshal(rsp)
		if err != nil {
			return nil, err
		}
		floor := testing.Benchmark(func(b *testing.B) {
			for b.Loop() {
				var r fnv1.RunFunctionRequest
				if err := proto.Unmarshal(reqBytes, &r); err != nil {
					b.Fatal(err)
				}
				if _, err := proto.Marshal(rsp); err != nil {
					b.Fatal(err)
				}
			}
		})
		step := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var r fnv1.RunFunctionRequest
				if err := proto.Unmarshal(reqBytes, &r); err != nil {
					b.Fatal(err)
				}
				out, err := st.Fn.RunFunction(context.Background(), &r)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := proto.Marshal(out); err != nil {
					b.Fatal(err)
				}
			}
		})
		c := stepCost{name: st.Name, floor: float64(floor.NsPerOp()), step: float64(step.NsPerOp()), allocs: step.AllocsPerOp(),
			reqBytes: len(reqBytes), rspBytes: len(rspBytes), calls: calls[st.Name]}
		m.steps = append(m.steps, c)
		m.floor += c.floor * float64(c.calls)
		m.step += c.step * float64(c.calls)
		m.allocs += c.allocs * int64(c.calls)
		m.reqBytes += c.reqBytes * c.calls
		m.rspBytes += c.rspBytes * c.calls
		m.calls += c.calls
	}
	return m, nil
}
