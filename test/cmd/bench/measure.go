package main

import (
	"context"
	"fmt"
	"slices"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/test/inprocess"
)

// pairs is how often floor and step are measured, in turns.
const pairs = 5

// median of a few measurements.
func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	return s[len(s)/2]
}

// stepCost is one step at steady state.
type stepCost struct {
	name               string
	floor, step        float64 // ns per call
	allocs             int64
	reqBytes, rspBytes int
	calls              int
	// credentialsCalls with auth.type credentials; renderCalls and
	// credentialsRenderCalls those of `crossplane render` in both modes.
	credentialsCalls, renderCalls, credentialsRenderCalls int
}

type measured struct {
	steps              []stepCost
	floor, step        float64
	allocs             int64
	reqBytes, rspBytes int
	calls              int
	// The calls per reconcile in credentials mode and in render (both
	// modes), summed over the steps.
	credentialsCalls, renderCalls, credentialsRenderCalls int
	requests                                              map[string]*fnv1.RunFunctionRequest
}

func (m *measured) request(step string) *fnv1.RunFunctionRequest { return m.requests[step] }

// measure reconciles a claim to its steady state and measures each step
// on the requests of the last reconcile (env's auth mode, delegated in the
// example); it counts the calls in credentials mode as well.
func measure(s inprocess.Size, env map[string]any) (*measured, error) {
	steady, err := inprocess.Steady(s, env)
	if err != nil {
		return nil, err
	}
	cred, err := inprocess.Steady(s, inprocess.WithCredentials(env))
	if err != nil {
		return nil, fmt.Errorf("credentials mode: %w", err)
	}
	requests, calls := steady.Requests, steady.Calls
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
		floorRun := func(b *testing.B) {
			for b.Loop() {
				var r fnv1.RunFunctionRequest
				if err := proto.Unmarshal(reqBytes, &r); err != nil {
					b.Fatal(err)
				}
				if _, err := proto.Marshal(rsp); err != nil {
					b.Fatal(err)
				}
			}
		}
		stepRun := func(b *testing.B) { fntest.Benchmark(b, st.Fn, req) }
		// Floor and step measured in turns, the medians taken: a burst of
		// load on a shared machine then moves one pair, not the figure.
		var floors, steps []float64
		var step testing.BenchmarkResult
		for range pairs {
			floors = append(floors, float64(testing.Benchmark(floorRun).NsPerOp()))
			step = testing.Benchmark(stepRun)
			steps = append(steps, float64(step.NsPerOp()))
		}
		c := stepCost{name: st.Name, floor: median(floors), step: median(steps), allocs: step.AllocsPerOp(),
			reqBytes: len(reqBytes), rspBytes: len(rspBytes), calls: calls[st.Name],
			credentialsCalls: cred.Calls[st.Name], renderCalls: steady.RenderCalls[st.Name], credentialsRenderCalls: cred.RenderCalls[st.Name]}
		m.steps = append(m.steps, c)
		m.floor += c.floor * float64(c.calls)
		m.step += c.step * float64(c.calls)
		m.allocs += c.allocs * int64(c.calls)
		m.reqBytes += c.reqBytes * c.calls
		m.rspBytes += c.rspBytes * c.calls
		m.calls += c.calls
		m.credentialsCalls += c.credentialsCalls
		m.renderCalls += c.renderCalls
		m.credentialsRenderCalls += c.credentialsRenderCalls
	}
	return m, nil
}
