package step

import (
	"fmt"
	"strings"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/request"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/response"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// ConditionType is the backends step's condition on the Datalab.
const ConditionType = "BackendsReady"

// Reasons of BackendsReady.
const (
	ReasonAvailable  = "Available"
	ReasonCreating   = "Creating"
	ReasonNoServices = "NoServices"
)

// Run renders one Datalab's services: parse, validate, read the
// operators' Secrets, build, emit, report.
func Run(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, log logging.Logger) {
	req := in.Request

	if pipeline.Reject(rsp, validation.Backends(in.Datalab, in.Env)) {
		return
	}
	p := planServices(in)
	if pipeline.Reject(rsp, pinnedEngines(in, p)) {
		return
	}
	secrets, pending, err := operatorSecrets(in, rsp, p)
	if err != nil {
		response.Fatal(rsp, err)
		return
	}
	if pending {
		// New requirements: Crossplane resolves them and calls again
		// before anything is rendered.
		return
	}

	o := newOutput(in)
	results, err := render(o, p, secrets)
	if err != nil {
		response.Fatal(rsp, err)
		return
	}
	o.apply()
	if err := pipeline.Emit(in, rsp, o.desired); err != nil {
		response.Fatal(rsp, err)
		return
	}

	status, unready, failed := serviceStatus(o, p, results)
	if err := setServices(req, rsp, status, fmt.Sprintf("%d/%d", len(results)-len(unready), len(results))); err != nil {
		response.Fatal(rsp, err)
		return
	}
	report(in, rsp, results, unready, failed, status)
	log.Debug("rendered backends", "services", len(results), "retained", len(p.retained), "resources", len(o.desired))
}

// pinnedEngines validates the environment for engines that only existing
// hosts still run (the environment may have moved on to another engine).
func pinnedEngines(in *pipeline.Input, p plan) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{in.Env.DatabaseEngine(): true}
	for _, s := range p.services {
		if s.kind == names.KindPostgreSQL && !seen[s.engine] {
			seen[s.engine] = true
			errs = append(errs, validation.DatabaseEnvironment(in.Env, s.engine)...)
		}
	}
	return errs
}

// setServices merges the step's services into status.services, keeping
// entries other steps reported (for example a registry).
func setServices(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, mine map[string]any, ready string) error {
	merged := map[string]any{}
	status, _ := request.GetDesiredCompositeResource(req).Resource.Object["status"].(map[string]any)
	prev, _ := status["services"].(map[string]any)
	for k, v := range prev {
		if kindOf(k) == "" {
			merged[k] = v
		}
	}
	for k, v := range mine {
		merged[k] = v
	}
	return pipeline.SetStatus(req, rsp, map[string]any{"services": merged, pipeline.StatusServices: ready})
}

// report sets BackendsReady and warns about hosts that stay on an engine
// the environment no longer selects.
func report(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, results []*result, unready []string, failed string, status map[string]any) {
	switch {
	case len(results) == 0:
		pipeline.Condition(rsp, ConditionType, true, ReasonNoServices, "no services requested")
	case len(unready) > 0:
		var parts []string
		for _, id := range unready {
			st, _ := status[id].(map[string]any)
			msg, _ := st["message"].(string)
			parts = append(parts, id+": "+msg)
		}
		reason := ReasonCreating
		if failed != "" {
			reason = failed
		}
		pipeline.Blocked(in.Request, rsp, ConditionType, reason, strings.Join(parts, " | "))
	default:
		pipeline.Condition(rsp, ConditionType, true, ReasonAvailable,
			fmt.Sprintf("%d services ready; sessions read their connection settings from Secret %s", len(results), names.ServicesSecret(in.Datalab.Name)))
	}
	for _, r := range results {
		if r.svc.kind == names.KindPostgreSQL && r.svc.engine != in.Env.DatabaseEngine() {
			response.Warning(rsp, fmt.Errorf("database host %s stays on %s, where it was created; EnvironmentConfig database.engine now selects %s for new hosts", r.svc.name, r.svc.engine, in.Env.DatabaseEngine()))
		}
	}
}
