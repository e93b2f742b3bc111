package desired

import (
	"slices"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

func configMap(name string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"` + name + `"}}`), Ready: fnv1.Ready_READY_TRUE}
}

// received is a request with the desired resources a, b and c as a
// function's codec decodes it.
func received(t *testing.T) *fnv1.RunFunctionRequest {
	t.Helper()
	sent := &fnv1.RunFunctionRequest{Desired: &fnv1.State{Resources: map[string]*fnv1.Resource{"a": configMap("a"), "b": configMap("b"), "c": configMap("c")}}}
	req, err := wire.AsReceived(sent)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestDeferredDesiredReads: a request's desired resources arrive in wire
// form; Keys and List read them as if decoded.
func TestDeferredDesiredReads(t *testing.T) {
	req := received(t)
	if n := len(req.GetDesired().GetResources()); n != 0 {
		t.Fatalf("%d desired resources decoded up front", n)
	}
	if got := Keys(req.GetDesired()); !slices.Equal(got, []resource.Name{"a", "b", "c"}) {
		t.Fatalf("keys %v", got)
	}
	for _, e := range List(req.GetDesired()) {
		if diff := cmp.Diff(configMap(string(e.Name)), e.Resource(), protocmp.Transform()); diff != "" {
			t.Fatalf("%s: %s", e.Name, diff)
		}
	}
}

// TestSealPassesOnWhatTheStepKept: what a step neither replaced nor
// removed reaches Crossplane as received; what it replaced or added
// reaches it as the step set it; what it removed does not.
func TestSealPassesOnWhatTheStepKept(t *testing.T) {
	req := received(t)
	s := req.GetDesired()
	replaced := configMap("b-new")
	s.Resources = map[string]*fnv1.Resource{"b": replaced, "d": configMap("d")}
	Remove(s, "c")
	Seal(s)
	b, err := proto.Marshal(&fnv1.RunFunctionResponse{Desired: s})
	if err != nil {
		t.Fatal(err)
	}
	var got fnv1.RunFunctionResponse
	if err := proto.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]*fnv1.Resource{"a": configMap("a"), "b": replaced, "d": configMap("d")}
	if diff := cmp.Diff(want, got.GetDesired().GetResources(), protocmp.Transform()); diff != "" {
		t.Fatalf("Crossplane receives other desired resources: %s", diff)
	}
}
