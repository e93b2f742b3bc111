package environment

import (
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func envConfig(data string) *fnv1.Resources {
	return &fnv1.Resources{Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
		`{"apiVersion":"apiextensions.crossplane.io/v1beta1","kind":"EnvironmentConfig","metadata":{"name":"datalab"},"data":` + data + `}`)}}}
}

func TestLoad(t *testing.T) {
	t.Run("requirement not yet resolved: pending, requirement set", func(t *testing.T) {
		rsp := &fnv1.RunFunctionResponse{}
		got, err := Load(&fnv1.RunFunctionRequest{}, rsp, "datalab", "team")
		if err != nil || !got.Pending {
			t.Fatalf("got %+v, %v; want pending", got, err)
		}
		if rsp.GetRequirements().GetResources()[RequirementName].GetMatchName() != "datalab" {
			t.Fatal("the EnvironmentConfig was not required by name")
		}
	})
	t.Run("resolved but missing: error naming it and the fix", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{RequirementName: {}}}
		_, err := Load(req, &fnv1.RunFunctionResponse{}, "lab-env", "team")
		if err == nil || !strings.Contains(err.Error(), `"lab-env" not found`) || !strings.Contains(err.Error(), SelectorKey) {
			t.Fatalf("want a not-found error naming the config and the annotation, got %v", err)
		}
	})
	t.Run("resolved", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{RequirementName: envConfig(`{"ingress":{"domain":"x.example"}}`)}}
		got, err := Load(req, &fnv1.RunFunctionResponse{}, "datalab", "team")
		if err != nil || got.Config.Ingress.Domain != "x.example" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("context wins when nothing was required", func(t *testing.T) {
		ctx, _ := structpb.NewStruct(map[string]any{ContextKey: map[string]any{"ingress": map[string]any{"domain": "ctx.example"}}})
		req := &fnv1.RunFunctionRequest{Context: ctx}
		rsp := &fnv1.RunFunctionResponse{}
		got, err := Load(req, rsp, "datalab", "team")
		if err != nil || got.Config.Ingress.Domain != "ctx.example" || got.Name != "context" {
			t.Fatalf("got %+v, %v", got, err)
		}
		if len(rsp.GetRequirements().GetResources()) != 0 {
			t.Fatal("required the EnvironmentConfig although the context had it")
		}
	})
	t.Run("the Composition's up-front requirement: used, nothing more required", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{BootstrapRequirementName: envConfig(`{"ingress":{"domain":"x.example"}}`)}}
		rsp := &fnv1.RunFunctionResponse{}
		got, err := Load(req, rsp, "datalab", "team")
		if err != nil || got.Config.Ingress.Domain != "x.example" {
			t.Fatalf("got %+v, %v", got, err)
		}
		if n := len(rsp.GetRequirements().GetResources()); n != 0 {
			t.Fatalf("%d requirements although the Composition fetched the config", n)
		}
	})
	t.Run("another environment selected: the up-front one is not used", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{BootstrapRequirementName: envConfig(`{}`)}}
		rsp := &fnv1.RunFunctionResponse{}
		got, err := Load(req, rsp, "lab-env", "team")
		if err != nil || !got.Pending || rsp.GetRequirements().GetResources()[RequirementName].GetMatchName() != "lab-env" {
			t.Fatalf("got %+v, %v; want lab-env required", got, err)
		}
	})
	t.Run("the context wins over the up-front requirement", func(t *testing.T) {
		ctx, _ := structpb.NewStruct(map[string]any{ContextKey: map[string]any{"ingress": map[string]any{"domain": "ctx.example"}}})
		req := &fnv1.RunFunctionRequest{Context: ctx, RequiredResources: map[string]*fnv1.Resources{BootstrapRequirementName: envConfig(`{"ingress":{"domain":"x.example"}}`)}}
		got, err := Load(req, &fnv1.RunFunctionResponse{}, "datalab", "team")
		if err != nil || got.Config.Ingress.Domain != "ctx.example" || got.Name != "context" {
			t.Fatalf("got %+v, %v; want the context's environment", got, err)
		}
	})
	t.Run("what the step required wins over the context and stays required", func(t *testing.T) {
		ctx, _ := structpb.NewStruct(map[string]any{ContextKey: map[string]any{"ingress": map[string]any{"domain": "ctx.example"}}})
		req := &fnv1.RunFunctionRequest{Context: ctx, RequiredResources: map[string]*fnv1.Resources{RequirementName: envConfig(`{"ingress":{"domain":"x.example"}}`)}}
		rsp := &fnv1.RunFunctionResponse{}
		got, err := Load(req, rsp, "datalab", "team")
		if err != nil || got.Config.Ingress.Domain != "x.example" {
			t.Fatalf("got %+v, %v", got, err)
		}
		if rsp.GetRequirements().GetResources()[RequirementName].GetMatchName() != "datalab" {
			t.Fatal("the requirement the step was given was dropped: Crossplane would call it again")
		}
	})
	t.Run("malformed data: error", func(t *testing.T) {
		req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{RequirementName: envConfig(`{"storageClasses":{"allowed":"fast"}}`)}}
		if _, err := Load(req, &fnv1.RunFunctionResponse{}, "datalab", "team"); err == nil {
			t.Fatal("want an error for a string where a list belongs")
		}
	})
}

// TestTenantCannotPickItsBoundary: the annotation or label naming an
// EnvironmentConfig is the tenant's, so a config is used only when the
// operator granted it to the Datalab's namespace.
func TestTenantCannotPickItsBoundary(t *testing.T) {
	named := func(name, data string) *fnv1.Resources {
		return &fnv1.Resources{Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
			`{"apiVersion":"apiextensions.crossplane.io/v1beta1","kind":"EnvironmentConfig","metadata":{"name":"` + name + `"},"data":` + data + `}`)}}}
	}
	namespace := func(labels string) *fnv1.Resources {
		return &fnv1.Resources{Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
			`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team","labels":` + labels + `}}`)}}}
	}
	trusted := `{"limits":{"allowPrivileged":true},"tenancy":{"namespaces":["trusted"]}}`
	bySelector := `{"tenancy":{"namespaceSelector":{"matchLabels":{"platform.example.com/tier":"gold"}}}}`
	cases := map[string]struct {
		name     string
		required map[string]*fnv1.Resources
		want     string // "" admitted, "pending", else part of the error
	}{
		"a config granted to another namespace": {"trusted", map[string]*fnv1.Resources{RequirementName: named("trusted", trusted)}, `does not admit namespace "team"`},
		"a config granted to nobody":            {"open", map[string]*fnv1.Resources{RequirementName: named("open", `{"limits":{"allowPrivileged":true}}`)}, "granted to no namespace"},
		"the default config applies everywhere": {DefaultName, map[string]*fnv1.Resources{RequirementName: named(DefaultName, `{}`)}, ""},
		"a default with an empty list":          {DefaultName, map[string]*fnv1.Resources{RequirementName: named(DefaultName, `{"tenancy":{"namespaces":[]}}`)}, ""},
		"a default restricted by the operator":  {DefaultName, map[string]*fnv1.Resources{RequirementName: named(DefaultName, `{"tenancy":{"namespaces":["a"]}}`)}, `does not admit namespace "team"`},
		"a config listing the namespace":        {"trusted", map[string]*fnv1.Resources{RequirementName: named("trusted", `{"tenancy":{"namespaces":["team"]}}`)}, ""},
		"a selector waits for the namespace":    {"gold", map[string]*fnv1.Resources{RequirementName: named("gold", bySelector)}, "pending"},
		"a selector matching the namespace": {"gold", map[string]*fnv1.Resources{RequirementName: named("gold", bySelector),
			NamespaceRequirement: namespace(`{"platform.example.com/tier":"gold"}`)}, ""},
		"a selector not matching the namespace": {"gold", map[string]*fnv1.Resources{RequirementName: named("gold", bySelector),
			NamespaceRequirement: namespace(`{"platform.example.com/tier":"bronze"}`)}, "a namespace selector platform.example.com/tier=gold"},
		"a selector and a missing namespace": {"gold", map[string]*fnv1.Resources{RequirementName: named("gold", bySelector), NamespaceRequirement: {}}, "does not admit"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			rsp := &fnv1.RunFunctionResponse{}
			got, err := Load(&fnv1.RunFunctionRequest{RequiredResources: c.required}, rsp, c.name, "team")
			switch c.want {
			case "":
				if err != nil || got.Config == nil {
					t.Fatalf("want admitted, got %+v, %v", got, err)
				}
			case "pending":
				if err != nil || !got.Pending || rsp.GetRequirements().GetResources()[NamespaceRequirement].GetMatchName() != "team" {
					t.Fatalf("want a pending Namespace requirement, got %+v, %v", got, err)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name) {
					t.Fatalf("want an error naming %q and %q, got %v", c.name, c.want, err)
				}
				if strings.Contains(err.Error(), "allowPrivileged") {
					t.Fatal("the refusal reveals the config's content")
				}
			}
		})
	}
}
