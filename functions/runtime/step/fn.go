package step

import (
	"errors"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/response"
)

// ConditionType is the runtime step's condition on the Datalab.
const (
	ConditionType  = "RuntimeReady"
	ConditionDrift = "RuntimeUpToDate"
)

// Run renders the sessions of one Datalab: parse, validate, build,
// emit, report.
func Run(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, log logging.Logger) {
	req := in.Request

	auth, err := resolveAuth(in, rsp)
	if err != nil {
		response.Fatal(rsp, err)
		return
	}
	if auth.pending {
		// The login Secret requirement is new: Crossplane resolves it and
		// calls again before anything is rendered.
		return
	}

	plan := planSessions(in, auth)
	desired := plan.build(in)
	health.Apply(desired, in.Observed, nil)

	if err := pipeline.Emit(in, rsp, desired); err != nil {
		response.Fatal(rsp, err)
		return
	}
	drift := detectDrift(in, plan)
	problems := plan.problems(in)
	status := plan.status(in, problems)
	status["drift"] = toList(drift)
	if err := pipeline.SetStatus(req, rsp, status); err != nil {
		response.Fatal(rsp, err)
		return
	}
	plan.report(in, rsp, desired, drift, problems)
	if msg := missingSessionRole(in); msg != "" && plan.running() {
		response.WarningToClaim(rsp, errors.New(msg))
	}
	plan.requeueAtExpiry(rsp)
	log.Debug("rendered runtime", "resources", len(desired), "sessions", len(plan.sessions))
}

func toList(s []string) []any {
	out := make([]any, 0, len(s))
	for _, v := range s {
		out = append(out, v)
	}
	return out
}
