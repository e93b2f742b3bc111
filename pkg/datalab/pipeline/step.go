package pipeline

import (
	"context"
	"time"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/desired"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// Step is the logic of one pipeline step. It runs only on a request that
// Start accepted, fills rsp, and reports business failures as results.
type Step func(in *Input, rsp *fnv1.RunFunctionResponse, log logging.Logger)

// Function serves a Step as a composition function. Every step starts the
// same way (read the XR, find the environment, validate) and differs only
// in what it builds, so the gRPC side lives here once.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	Log  logging.Logger
	TTL  time.Duration
	Step Step
}

// RunFunction implements fnv1.FunctionRunnerServiceServer. The gRPC error
// stays nil: failures are results. The exception is a composed resource
// whose deferred bytes do not decode (wire.Unmarshal): that is the error
// decoding the whole request would have been, and nothing is returned.
// Every response is sealed (desired.Seal): the desired resources the step
// passed on in wire form go back into it.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (rsp *fnv1.RunFunctionResponse, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, ok := r.(wire.MalformedError)
			if !ok {
				panic(r)
			}
			rsp, err = nil, status.Error(codes.InvalidArgument, m.Error())
		}
	}()
	in, rsp, ok := Start(req, f.TTL)
	if ok {
		f.Step(in, rsp, f.Log.WithValues("datalab", in.Datalab.Name, "namespace", in.Datalab.Namespace))
	}
	desired.Seal(rsp.GetDesired())
	return rsp, nil
}
