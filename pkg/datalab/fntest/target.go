package fntest

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// fuzzSeeds start every function's fuzz corpus: empty bytes give the
// typical request, the others steer the generator's first choices.
var fuzzSeeds = []string{"", "seed-1", "seed-2: credentials", "\x01\x80\xff\x10 vcluster", "\xff\xff\xff\xff\xff\xff\xff\xff"}

// Fuzz is every function's fuzz target: generated Datalabs, environments,
// observed and desired states and required Secrets (Generate) never panic,
// never give a gRPC error, and every response keeps the properties of
// CheckProperties and the extra checks.
func Fuzz(f *testing.F, fn fnv1.FunctionRunnerServiceServer, extra ...Check) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { runGenerated(t, fn, data, extra) })
}

// runGenerated runs fn on the request generated from data, as Crossplane
// would, and checks the properties on the response.
func runGenerated(t testing.TB, fn fnv1.FunctionRunnerServiceServer, data []byte, extra []Check) (*fnv1.RunFunctionRequest, *fnv1.RunFunctionResponse) {
	g := Generate(data)
	req := g.Build(t)
	rsp := g.Run(t, fn, req)
	CheckProperties(t, req, rsp, Markers)
	for _, c := range extra {
		c(t, req, rsp, Markers)
	}
	return req, rsp
}
