package environment

import (
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"google.golang.org/protobuf/types/known/structpb"
)

func envConfig(data string) *fnv1.Resources {
	return &fnv1.Resources{Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
		`{"apiVersion":"apiextensions.crossplane.io/v1beta1","kind":"EnvironmentConfig","metadata":{"name":"datalab"},"data":` + data + `}`)}}}
}

func TestLoad(t *testing.T) {
	t.Run("requirement not yet resolved: pending, requirement set", func(t *testing.T) {
		rsp := &fnv1.RunFunctionResponse{}
		got, err := Load(&fnv1.RunFunctionRequest{}, rsp, "datalab")
		if err != nil || !got.Pending {
			t.Fatalf("got %+v, %v; want pending", got, err)
		}
		if rsp.GetRequirements().GetResources()[RequirementName].GetMatchName() != "datalab" {
			t.Fatal("the EnvironmentConfig was not required by name")
		}
	})
	t.Run("resolved but missing: error naming it and the fix", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{RequirementName: {}}}
		_, err := Load(req, &fnv1.RunFunctionResponse{}, "lab-env")
		if err == nil || !strings.Contains(err.Error(), `"lab-env" not found`) || !strings.Contains(err.Error(), SelectorKey) {
			t.Fatalf("want a not-found error naming the config and the annotation, got %v", err)
		}
	})
	t.Run("resolved", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{RequirementName: envConfig(`{"ingress":{"domain":"x.example"}}`)}}
		got, err := Load(req, &fnv1.RunFunctionResponse{}, "datalab")
		if err != nil || got.Config.Ingress.Domain != "x.example" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("context wins over the requirement", func(t *testing.T) {
		ctx, _ := structpb.NewStruct(map[string]any{ContextKey: map[string]any{"ingress": map[string]any{"domain": "ctx.example"}}})
		req := &fnv1.RunFunctionRequest{Context: ctx}
		rsp := &fnv1.RunFunctionResponse{}
		got, err := Load(req, rsp, "datalab")
		if err != nil || got.Config.Ingress.Domain != "ctx.example" || got.Name != "context" {
			t.Fatalf("got %+v, %v", got, err)
		}
		if len(rsp.GetRequirements().GetResources()) != 0 {
			t.Fatal("required the EnvironmentConfig although the context had it")
		}
	})
	t.Run("malformed data: error", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{RequirementName: envConfig(`{"storageClasses":{"allowed":"fast"}}`)}}
		if _, err := Load(req, &fnv1.RunFunctionResponse{}, "datalab"); err == nil {
			t.Fatal("want an error for a string where a list belongs")
		}
	})
}
