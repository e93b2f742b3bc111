// Package response fills a RunFunctionResponse: the part of
// function-sdk-go's response package the steps use, over this module's
// resource types (see package resource for why).
package response

import (
	"fmt"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// To is the response to req: its tag, the TTL, and the desired state and
// context of earlier steps carried over (the same messages, not copies).
// Steps add to that desired State and never replace it: it also holds the
// resources passed on in wire form (desired.Seal).
func To(req *fnv1.RunFunctionRequest, ttl time.Duration) *fnv1.RunFunctionResponse {
	return &fnv1.RunFunctionResponse{
		Meta:    &fnv1.ResponseMeta{Tag: req.GetMeta().GetTag(), Ttl: durationpb.New(ttl)},
		Desired: req.GetDesired(),
		Context: req.GetContext(),
	}
}

// Fatal ends the pipeline with err: Crossplane applies and deletes nothing.
func Fatal(rsp *fnv1.RunFunctionResponse, err error) {
	result(rsp, fnv1.Severity_SEVERITY_FATAL, err.Error(), fnv1.Target_TARGET_COMPOSITE)
}

// Warning is a warning event on the Datalab.
func Warning(rsp *fnv1.RunFunctionResponse, err error) {
	result(rsp, fnv1.Severity_SEVERITY_WARNING, err.Error(), fnv1.Target_TARGET_COMPOSITE)
}

// WarningToClaim is a warning event on the Datalab and, where there is
// one, its claim.
func WarningToClaim(rsp *fnv1.RunFunctionResponse, err error) {
	result(rsp, fnv1.Severity_SEVERITY_WARNING, err.Error(), fnv1.Target_TARGET_COMPOSITE_AND_CLAIM)
}

func result(rsp *fnv1.RunFunctionResponse, s fnv1.Severity, message string, target fnv1.Target) {
	rsp.Results = append(rsp.Results, &fnv1.Result{Severity: s, Message: message, Target: target.Enum()})
}

// SetContextKey sets one key of the pipeline context for later steps.
func SetContextKey(rsp *fnv1.RunFunctionResponse, key string, v *structpb.Value) {
	if rsp.GetContext().GetFields() == nil {
		rsp.Context = &structpb.Struct{Fields: map[string]*structpb.Value{}}
	}
	rsp.Context.Fields[key] = v
}

// SetDesiredCompositeResource sets the desired Datalab (its status, for
// the steps).
func SetDesiredCompositeResource(rsp *fnv1.RunFunctionResponse, xr *resource.Composite) error {
	s, err := structpb.NewStruct(xr.Resource.Object)
	if err != nil {
		return fmt.Errorf("desired composite resource: %w", err)
	}
	if rsp.GetDesired() == nil {
		rsp.Desired = &fnv1.State{}
	}
	rsp.Desired.Composite = &fnv1.Resource{Resource: s, ConnectionDetails: xr.ConnectionDetails}
	return nil
}
