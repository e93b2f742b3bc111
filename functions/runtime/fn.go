package main

import (
	"context"
	"time"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// ConditionType is the runtime step's condition on the Datalab.
const (
	ConditionType  = "RuntimeReady"
	ConditionDrift = "RuntimeUpToDate"
)

// Function is the runtime step.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log logging.Logger
	ttl time.Duration
}

func newFunction(log logging.Logger, ttl time.Duration) fnv1.FunctionRunnerServiceServer {
	return &Function{log: log, ttl: ttl}
}

// RunFunction renders the sessions of one Datalab: parse, validate, build,
// emit, report.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	in, rsp, ok := pipeline.Start(req, f.ttl)
	if !ok {
		return rsp, nil
	}
	log := f.log.WithValues("datalab", in.Datalab.Name, "namespace", in.Datalab.Namespace)

	auth, err := resolveAuth(in, rsp)
	if err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	if auth.pending {
		// The login Secret requirement is new: Crossplane resolves it and
		// calls again before anything is rendered.
		return rsp, nil
	}

	plan := planSessions(in, auth)
	desired := plan.build(in)
	health.Apply(desired, in.Observed, nil)

	if err := pipeline.Emit(rsp, desired); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	drift := detectDrift(in, plan, desired)
	if err := pipeline.SetStatus(req, rsp, map[string]any{"sessions": plan.status(in), "drift": toList(drift)}); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	plan.report(rsp, desired, drift)
	log.Debug("rendered runtime", "resources", len(desired), "sessions", len(plan.sessions))
	return rsp, nil
}

func toList(s []string) []any {
	out := make([]any, 0, len(s))
	for _, v := range s {
		out = append(out, v)
	}
	return out
}
