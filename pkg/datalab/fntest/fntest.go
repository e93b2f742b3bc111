// Package fntest builds requests for the Datalab functions and reads their
// responses. It is for tests only: no function imports it.
package fntest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Request describes a RunFunctionRequest for one Datalab and the
// operator's EnvironmentConfig. Every object is given as JSON.
type Request struct {
	// Name and Namespace of the Datalab; "lab" and "team" when empty.
	Name, Namespace string
	// Labels and Annotations of the Datalab; none when nil.
	Labels, Annotations map[string]string
	// Spec is the Datalab's spec.
	Spec string
	// Env is the EnvironmentConfig's data.
	Env string
	// Observed are composed resources by key.
	Observed map[string]string
	// Desired are desired composed resources by key; nil: the request
	// carries no desired state at all.
	Desired map[string]string
	// Required are required resources by requirement key, besides the
	// EnvironmentConfig; an empty list is a requirement resolved to
	// nothing.
	Required map[string][]string
}

// Build returns the request. It skips the test when the Datalab or the
// EnvironmentConfig is not a JSON object (as fuzzing produces).
func (r Request) Build(t testing.TB) *fnv1.RunFunctionRequest {
	t.Helper()
	name, namespace := r.Name, r.Namespace
	if name == "" {
		name = "lab"
	}
	if namespace == "" {
		namespace = "team"
	}
	meta := map[string]any{"name": name, "namespace": namespace}
	if r.Labels != nil {
		meta["labels"] = r.Labels
	}
	if r.Annotations != nil {
		meta["annotations"] = r.Annotations
	}
	md, err := json.Marshal(meta)
	if err != nil {
		t.Fatal(err)
	}
	xs := &structpb.Struct{}
	if err := xs.UnmarshalJSON([]byte(`{"apiVersion":"pkg.internal/v1beta2","kind":"Datalab","metadata":` + string(md) + `,"spec":` + r.Spec + `}`)); err != nil {
		t.Skip("not a JSON object")
	}
	es := &structpb.Struct{}
	if err := es.UnmarshalJSON([]byte(`{"apiVersion":"apiextensions.crossplane.io/v1beta1","kind":"EnvironmentConfig","metadata":{"name":"datalab"},"data":` + r.Env + `}`)); err != nil {
		t.Skip("not a JSON object")
	}
	req := &fnv1.RunFunctionRequest{
		Observed:          &fnv1.State{Composite: &fnv1.Resource{Resource: xs}, Resources: resources(r.Observed)},
		RequiredResources: map[string]*fnv1.Resources{environment.RequirementName: {Items: []*fnv1.Resource{{Resource: es}}}},
	}
	if r.Desired != nil {
		req.Desired = &fnv1.State{Resources: resources(r.Desired)}
	}
	for k, items := range r.Required {
		rs := &fnv1.Resources{}
		for _, it := range items {
			rs.Items = append(rs.Items, &fnv1.Resource{Resource: resource.MustStructJSON(it)})
		}
		req.RequiredResources[k] = rs
	}
	return req
}

func resources(objs map[string]string) map[string]*fnv1.Resource {
	out := make(map[string]*fnv1.Resource, len(objs))
	for k, v := range objs {
		out[k] = &fnv1.Resource{Resource: resource.MustStructJSON(v)}
	}
	return out
}

// Run calls fn and fails the test on a gRPC error: a function reports bad
// input as a Fatal result, never as an error. fn gets a copy of req, as
// over the wire: a response shares no state with the request
// (response.To would otherwise alias req's desired state).
func Run(t testing.TB, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := fn.RunFunction(context.Background(), proto.Clone(req).(*fnv1.RunFunctionRequest))
	if err != nil {
		t.Fatalf("gRPC error instead of a result: %v", err)
	}
	// As Crossplane does, resolve the ownership look-ups (pipeline.Emit)
	// and call again: objects a test does not list do not exist. The
	// ingress protection of delegated mode is in place unless a test lists
	// it.
	for range 3 {
		missing := false
		for key, sel := range rsp.GetRequirements().GetResources() {
			_, listed := req.GetRequiredResources()[key]
			owner := strings.HasPrefix(key, pipeline.OwnerRequirementPrefix)
			if listed || (!owner && key != environment.ProtectionRequirement) {
				continue
			}
			if !missing {
				req = proto.Clone(req).(*fnv1.RunFunctionRequest)
				if req.RequiredResources == nil {
					req.RequiredResources = map[string]*fnv1.Resources{}
				}
			}
			missing = true
			req.RequiredResources[key] = &fnv1.Resources{}
			if !owner {
				req.RequiredResources[key].Items = []*fnv1.Resource{{Resource: resource.MustStructJSON(
					`{"apiVersion":"` + sel.GetApiVersion() + `","kind":"` + sel.GetKind() + `","metadata":{"name":"` + sel.GetMatchName() + `"}}`)}}
			}
		}
		if !missing {
			break
		}
		if rsp, err = fn.RunFunction(context.Background(), proto.Clone(req).(*fnv1.RunFunctionRequest)); err != nil {
			t.Fatalf("gRPC error instead of a result: %v", err)
		}
	}
	return rsp
}

// Results returns the messages of the results with severity sev, in order.
func Results(rsp *fnv1.RunFunctionResponse, sev fnv1.Severity) []string {
	var out []string
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == sev {
			out = append(out, r.GetMessage())
		}
	}
	return out
}

// Fatal returns the message of the first Fatal result, or "".
func Fatal(rsp *fnv1.RunFunctionResponse) string {
	if m := Results(rsp, fnv1.Severity_SEVERITY_FATAL); len(m) > 0 {
		return m[0]
	}
	return ""
}

// Condition returns the first condition of type typ, or nil.
func Condition(rsp *fnv1.RunFunctionResponse, typ string) *fnv1.Condition {
	for _, c := range rsp.GetConditions() {
		if c.GetType() == typ {
			return c
		}
	}
	return nil
}
