package pipeline

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// TestObservedPartsAreReusedOnlyUnchanged: an object read from observed
// state and emitted unchanged is the observed struct itself; one changed
// after reading is converted, with the change.
func TestObservedPartsAreReusedOnlyUnchanged(t *testing.T) {
	obs := observed.New(map[string]*fnv1.Resource{"w": {Resource: resource.MustStructJSON(
		`{"apiVersion":"x/v1","kind":"Object","spec":{"forProvider":{"manifest":{"kind":"Workshop","spec":{"n":1,"l":["a",true,null]}}}}}`)}})
	wrap := func(m map[string]any) map[resource.Name]*resource.DesiredComposed {
		return map[resource.Name]*resource.DesiredComposed{"w": {Resource: &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "x/v1", "kind": "Object", "spec": map[string]any{"forProvider": map[string]any{"manifest": m}}}}}}
	}
	emitted := func(m map[string]any) *structpb.Struct {
		rsp := &fnv1.RunFunctionResponse{}
		if err := setDesired(rsp, obs, wrap(m)); err != nil {
			t.Fatal(err)
		}
		return rsp.GetDesired().GetResources()["w"].GetResource().GetFields()["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue().GetFields()["manifest"].GetStructValue()
	}
	source := obs.Raw("w").GetFields()["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue().GetFields()["manifest"].GetStructValue()

	frozen := obs.Part("w", "spec", "forProvider", "manifest")
	if got := emitted(frozen); got != source {
		t.Fatal("an unchanged observed manifest was converted instead of reused")
	}
	frozen["spec"].(map[string]any)["l"] = []any{"a", true, nil, "more"}
	got := emitted(frozen)
	if got == source {
		t.Fatal("a changed manifest was emitted as observed")
	}
	want, _ := structpb.NewStruct(frozen)
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Fatalf("the changed manifest differs from structpb.NewStruct's: %s", diff)
	}
}
