package pipeline

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// TestConditionSetsOne: each call adds exactly one condition, with the
// status asked for.
func TestConditionSetsOne(t *testing.T) {
	for _, ok := range []bool{true, false} {
		rsp := &fnv1.RunFunctionResponse{}
		Condition(rsp, "StorageReady", ok, "Reason", "message")
		want := fnv1.Status_STATUS_CONDITION_FALSE
		if ok {
			want = fnv1.Status_STATUS_CONDITION_TRUE
		}
		if len(rsp.GetConditions()) != 1 {
			t.Fatalf("ok=%v: %d conditions", ok, len(rsp.GetConditions()))
		}
		c := rsp.GetConditions()[0]
		if c.GetStatus() != want || c.GetMessage() != "message" || c.GetTarget() != fnv1.Target_TARGET_COMPOSITE {
			t.Errorf("ok=%v: %v", ok, c)
		}
	}
}
