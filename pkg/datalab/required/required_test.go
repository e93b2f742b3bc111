package required

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func TestSecret(t *testing.T) {
	rsp := &fnv1.RunFunctionResponse{}
	if s, resolved := Secret(&fnv1.RunFunctionRequest{}, rsp, "k", "ns", "creds"); s != nil || resolved {
		t.Fatalf("unresolved requirement: got %v %v", s, resolved)
	}
	sel := rsp.GetRequirements().GetResources()["k"]
	if sel.GetKind() != "Secret" || sel.GetNamespace() != "ns" || sel.GetMatchName() != "creds" {
		t.Fatalf("wrong requirement: %v", sel)
	}

	empty := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{"k": {}}}
	if s, resolved := Secret(empty, rsp, "k", "ns", "creds"); s != nil || !resolved {
		t.Fatalf("resolved but missing: got %v %v", s, resolved)
	}

	found := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{"k": {Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
		`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","namespace":"ns"},"data":{"a":"Yg=="}}`)}}}}}
	s, resolved := Secret(found, rsp, "k", "ns", "creds")
	if !resolved || s.GetName() != "creds" {
		t.Fatalf("found: got %v %v", s, resolved)
	}
}

func TestRequireClusterScoped(t *testing.T) {
	rsp := &fnv1.RunFunctionResponse{}
	Require(rsp, "env", "apiextensions.crossplane.io/v1beta1", "EnvironmentConfig", "", "datalab")
	if rsp.GetRequirements().GetResources()["env"].Namespace != nil {
		t.Fatal("a cluster-scoped requirement carries a namespace")
	}
}

// TestStaleAnswerIsNotResolved: Crossplane hands the first call of a
// reconcile the required resources of the last one; an object under the
// key that is not the one asked for now (the annotation changed, say) is
// no answer, or an EnvironmentConfig the tenant no longer names would be
// used.
func TestStaleAnswerIsNotResolved(t *testing.T) {
	req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{"k": {Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
		`{"apiVersion":"apiextensions.crossplane.io/v1beta1","kind":"EnvironmentConfig","metadata":{"name":"datalab"}}`)}}}}}
	rsp := &fnv1.RunFunctionResponse{}
	if o, resolved := Object(req, rsp, "k", "apiextensions.crossplane.io/v1beta1", "EnvironmentConfig", "", "missing"); o != nil || resolved {
		t.Fatalf("a stale answer was used: %v %v", o, resolved)
	}
	if rsp.GetRequirements().GetResources()["k"].GetMatchName() != "missing" {
		t.Fatal("the current requirement was not stated")
	}
	if o, resolved := Object(req, rsp, "k", "apiextensions.crossplane.io/v1beta1", "EnvironmentConfig", "", "datalab"); o == nil || !resolved {
		t.Fatal("the matching answer was not used")
	}
}
