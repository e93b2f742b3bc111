// Package pipeline is the request side every Datalab function shares:
// read the XR, find the operator's environment, validate, and hand the
// function a typed input; and the response side: emit only the function's
// own resources, set its condition, merge its status.
package pipeline

import (
	"fmt"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/request"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/response"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// Input is what a function works from.
type Input struct {
	Datalab  *api.Datalab
	Tenant   names.Tenant
	Env      *environment.Config
	EnvName  string
	Settings environment.Settings
	Observed *observed.Resources
	Request  *fnv1.RunFunctionRequest
}

// Start reads and validates the request. It returns the response to fill
// and, when ok is false, a response that is already complete: a Fatal
// result (bad input: nothing is applied or deleted) or a pending
// requirement (Crossplane calls again with the EnvironmentConfig).
func Start(req *fnv1.RunFunctionRequest, ttl time.Duration) (*Input, *fnv1.RunFunctionResponse, bool) {
	rsp := response.To(req, ttl)

	d, err := api.FromComposite(request.GetObservedCompositeResource(req).Resource)
	if err != nil {
		response.Fatal(rsp, err)
		return nil, rsp, false
	}

	loaded, err := environment.Load(req, rsp, environment.SelectName(d.Annotations, d.Labels), d.Namespace)
	if err != nil {
		response.Fatal(rsp, err)
		return nil, rsp, false
	}
	if loaded.Pending {
		return nil, rsp, false
	}
	if loaded.Raw != nil {
		if err := environment.Publish(rsp, loaded.Raw); err != nil {
			response.Fatal(rsp, fmt.Errorf("cannot publish the environment to the pipeline context: %w", err))
			return nil, rsp, false
		}
	}

	if Reject(rsp, validation.Datalab(d, loaded.Config)) {
		return nil, rsp, false
	}

	return &Input{
		Datalab:  d,
		Tenant:   names.Tenant{Namespace: d.Namespace, Name: d.Name},
		Env:      loaded.Config,
		EnvName:  loaded.Name,
		Settings: environment.Resolve(d.Spec, loaded.Config),
		Observed: observed.FromState(req.GetObserved()),
		Request:  req,
	}, rsp, true
}

// Reject sets a Fatal result with the validation errors, if there are any,
// and reports whether it did.
func Reject(rsp *fnv1.RunFunctionResponse, errs field.ErrorList) bool {
	if len(errs) == 0 {
		return false
	}
	response.Fatal(rsp, fmt.Errorf("%s", validation.Message(errs)))
	return true
}

// Emit adds the function's own resources to the desired state. What earlier
// steps emitted is
// carried over untouched by response.To. Objects the step would create
// first are checked for an owner (adopt.go): an error names one that
// belongs to someone else (the caller makes it a Fatal result), and while
// Crossplane has not looked them up nothing is emitted; it calls again.
func Emit(in *Input, rsp *fnv1.RunFunctionResponse, desired map[resource.Name]*resource.DesiredComposed) error {
	if len(desired) == 0 {
		return nil
	}
	status, err := in.claim(rsp, desired)
	if err != nil || status == claimPending {
		return err
	}
	return setDesired(rsp, in.Observed, desired)
}

// SetStatus merges fields into the desired XR status, keeping what earlier
// steps set.
func SetStatus(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, fields map[string]any) error {
	dxr := request.GetDesiredCompositeResource(req)
	if c := rsp.GetDesired().GetComposite(); c != nil {
		// An earlier call in this function may already have set status.
		dxr.Resource = resource.FromStruct(c.GetResource())
	}
	status, _ := dxr.Resource.Object["status"].(map[string]any)
	if status == nil {
		status = map[string]any{}
	}
	for k, v := range fields {
		status[k] = v
	}
	dxr.Resource.Object["status"] = status
	return response.SetDesiredCompositeResource(rsp, dxr)
}

// Condition sets the function's condition on the XR.
func Condition(rsp *fnv1.RunFunctionResponse, typ string, ok bool, reason, message string) {
	status := fnv1.Status_STATUS_CONDITION_FALSE
	if ok {
		status = fnv1.Status_STATUS_CONDITION_TRUE
	}
	rsp.Conditions = append(rsp.Conditions, &fnv1.Condition{
		Type: typ, Status: status, Reason: reason, Message: &message, Target: fnv1.Target_TARGET_COMPOSITE.Enum(),
	})
}
