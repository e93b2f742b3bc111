package pipeline

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/request"
)

// Status fields that `kubectl get datalab` shows at a glance (the XRD's
// printer columns): sessions running of declared, services ready of
// declared, and the first step that holds the Datalab back.
const (
	StatusSessions = "sessionsRunning"
	StatusServices = "servicesReady"
	StatusReason   = "reason"
)

// Blocked sets the step's condition to False and, unless an earlier step
// in the pipeline already did, status.reason to "<condition>/<reason>":
// the first step that is not ready names the reason on the Datalab.
func Blocked(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, typ, reason, message string) {
	Condition(rsp, typ, false, reason, message)
	if earlier, _, _ := unstructured.NestedString(request.GetDesiredCompositeResource(req).Resource.Object, "status", StatusReason); earlier != "" {
		return
	}
	// SetStatus fails only on a status that is not JSON, which it cannot
	// be here; the condition says it all anyway.
	_ = SetStatus(req, rsp, map[string]any{StatusReason: typ + "/" + reason})
}
