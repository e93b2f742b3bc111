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

// measure reconciles a claim to its steady state and measures each step
// on the requests of the last reconcile.
func measure(s inprocess.Size, env map[string]any) (*measured, error) {
	requests, calls, err := inprocess.Steady(s, env)
	if err != nil {
		return nil, err
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
