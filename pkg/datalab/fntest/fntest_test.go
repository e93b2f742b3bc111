package fntest

import (
	"context"
	"errors"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func TestBuild(t *testing.T) {
	req := Request{
		Spec: `{"users":["alice"]}`, Env: `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}}}`,
		Observed: map[string]string{"o": `{"kind":"Secret"}`},
		Required: map[string][]string{"r": nil, "s": {`{"kind":"Secret"}`, `{"kind":"ConfigMap"}`}},
	}.Build(t)
	md := req.GetObserved().GetComposite().GetResource().AsMap()["metadata"].(map[string]any)
	if md["name"] != "lab" || md["namespace"] != "team" {
		t.Errorf("metadata %v", md)
	}
	env := req.GetRequiredResources()[environment.RequirementName].GetItems()
	if len(env) != 1 || env[0].GetResource().AsMap()["data"].(map[string]any)["auth"] == nil {
		t.Errorf("EnvironmentConfig %v", env)
	}
	if len(req.GetObserved().GetResources()) != 1 || req.GetDesired() != nil {
		t.Errorf("observed %v, desired %v", req.GetObserved().GetResources(), req.GetDesired())
	}
	if r, ok := req.GetRequiredResources()["r"]; !ok || len(r.GetItems()) != 0 || len(req.GetRequiredResources()["s"].GetItems()) != 2 {
		t.Errorf("required %v", req.GetRequiredResources())
	}
	req = Request{Name: "x", Namespace: "y", Spec: `{}`, Env: `{}`, Desired: map[string]string{}}.Build(t)
	if md := req.GetObserved().GetComposite().GetResource().AsMap()["metadata"].(map[string]any); md["name"] != "x" || md["namespace"] != "y" {
		t.Errorf("metadata %v", md)
	}
	if req.GetDesired() == nil || len(req.GetDesired().GetResources()) != 0 {
		t.Errorf("desired %v", req.GetDesired())
	}
}

func TestBuildSkipsNonObjects(t *testing.T) {
	for _, r := range []Request{{Spec: `[`, Env: `{}`}, {Spec: `{}`, Env: `{`}} {
		ok := t.Run("", func(t *testing.T) {
			r.Build(t)
			t.Error("not skipped")
		})
		if !ok {
			t.Errorf("%+v built", r)
		}
	}
}

type stub struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
	rsp *fnv1.RunFunctionResponse
	err error
}

func (s stub) RunFunction(context.Context, *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	return s.rsp, s.err
}

func TestResponse(t *testing.T) {
	rsp := Run(t, stub{rsp: &fnv1.RunFunctionResponse{
		Results: []*fnv1.Result{
			{Severity: fnv1.Severity_SEVERITY_WARNING, Message: "w"},
			{Severity: fnv1.Severity_SEVERITY_FATAL, Message: "first"},
			{Severity: fnv1.Severity_SEVERITY_FATAL, Message: "second"},
		},
		Conditions: []*fnv1.Condition{{Type: "A", Reason: "1"}, {Type: "B", Reason: "2"}, {Type: "B", Reason: "3"}},
	}}, &fnv1.RunFunctionRequest{})
	if got := Fatal(rsp); got != "first" {
		t.Errorf("Fatal = %q", got)
	}
	if got := Results(rsp, fnv1.Severity_SEVERITY_WARNING); len(got) != 1 || got[0] != "w" {
		t.Errorf("warnings %q", got)
	}
	if c := Condition(rsp, "B"); c.GetReason() != "2" {
		t.Errorf("condition %v", c)
	}
	if Condition(rsp, "C") != nil || Fatal(&fnv1.RunFunctionResponse{}) != "" {
		t.Error("found what is not there")
	}
}

func TestRunFailsOnError(t *testing.T) {
	ft := &fakeTB{TB: t}
	func() {
		defer func() { _ = recover() }()
		Run(ft, stub{err: errors.New("boom")}, &fnv1.RunFunctionRequest{})
	}()
	if !ft.failed {
		t.Error("a gRPC error did not fail the test")
	}
}

// fakeTB records Fatalf instead of ending the test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}
