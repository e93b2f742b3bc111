package pipeline

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// TestReject: errors give exactly one Fatal result with their message; no
// errors give none.
func TestReject(t *testing.T) {
	rsp := &fnv1.RunFunctionResponse{}
	if Reject(rsp, nil) || len(rsp.GetResults()) != 0 {
		t.Fatalf("rejected without errors: %v", rsp.GetResults())
	}
	errs := field.ErrorList{field.Required(field.NewPath("spec", "users"), "")}
	if !Reject(rsp, errs) {
		t.Fatal("not rejected")
	}
	r := rsp.GetResults()
	if len(r) != 1 || r[0].GetSeverity() != fnv1.Severity_SEVERITY_FATAL || r[0].GetMessage() != validation.Message(errs) {
		t.Errorf("results %v", r)
	}
}
