package observed

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

func request(t *testing.T, n int) *fnv1.RunFunctionRequest {
	t.Helper()
	obs := map[string]*fnv1.Resource{}
	for i := range n {
		obs[fmt.Sprintf("key-%02d", i)] = &fnv1.Resource{
			Resource:          resource.MustStructJSON(fmt.Sprintf(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-%d","labels":{"a":"b"}},"data":{"k":"v%d"}}`, i, i)),
			ConnectionDetails: map[string][]byte{"password": []byte(fmt.Sprintf("pw-%d", i))},
			Ready:             fnv1.Ready_READY_TRUE,
		}
	}
	ctx, _ := structpb.NewStruct(map[string]any{"x": "y"})
	return &fnv1.RunFunctionRequest{
		Observed:          &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"pkg.internal/v1beta2","kind":"Datalab","metadata":{"name":"lab"}}`)}, Resources: obs},
		Desired:           &fnv1.State{Resources: map[string]*fnv1.Resource{"d": {Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"Secret"}`)}}},
		Context:           ctx,
		RequiredResources: map[string]*fnv1.Resources{"env": {Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"Namespace"}`)}}}},
	}
}

// received is req as a function's codec decodes it (wire.Unmarshal).
func received(t *testing.T, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionRequest {
	t.Helper()
	got, err := wire.AsReceived(req)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestDeferredDecodesTheSame: a request decoded with its observed
// resources deferred reads exactly as one decoded whole, and a resource is
// decoded only when read.
func TestDeferredDecodesTheSame(t *testing.T) {
	want := request(t, 12)
	got := received(t, want)
	if n := len(got.GetObserved().GetResources()); n != 0 {
		t.Fatalf("%d observed resources decoded up front", n)
	}
	r := FromState(got.GetObserved())
	if r.Len() != 12 || len(r.deferred) != 12 {
		t.Fatalf("Len %d, deferred %d: want 12 each", r.Len(), len(r.deferred))
	}
	var keys []string
	for _, k := range r.Keys() {
		keys = append(keys, string(k))
	}
	if !slices.Equal(keys, slices.Sorted(maps.Keys(want.GetObserved().GetResources()))) {
		t.Fatalf("keys %v", keys)
	}
	if !r.Has("key-03") || r.Has("key-99") || len(r.deferred) != 12 {
		t.Fatal("Has decoded something or answered wrong")
	}
	for k, w := range want.GetObserved().GetResources() {
		if diff := cmp.Diff(w.GetResource(), r.Raw(resource.Name(k)), protocmp.Transform()); diff != "" {
			t.Fatalf("%s differs: %s", k, diff)
		}
		oc, _ := r.Get(resource.Name(k))
		if string(oc.ConnectionDetails["password"]) != string(w.GetConnectionDetails()["password"]) {
			t.Fatalf("%s: connection details differ", k)
		}
	}
	if len(r.deferred) != 0 {
		t.Fatalf("%d still deferred after reading all", len(r.deferred))
	}
	// Everything else is decoded as usual (the desired resources are
	// deferred too: package desired reads them).
	got.Observed.ProtoReflect().SetUnknown(nil)
	got.Desired.ProtoReflect().SetUnknown(nil)
	wantRest := proto.Clone(want).(*fnv1.RunFunctionRequest)
	wantRest.Observed.Resources = nil
	wantRest.Desired.Resources = nil
	if diff := cmp.Diff(wantRest, got, protocmp.Transform()); diff != "" {
		t.Fatalf("the rest of the request differs: %s", diff)
	}
}

// TestObservedSpecDeferred: a resource's spec, and the spec in an
// Object's status.atProvider.manifest, stay in wire form until a part
// that reaches them is read; Part and Get read them whole.
func TestObservedSpecDeferred(t *testing.T) {
	object := `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"o"},
		"spec":{"forProvider":{"manifest":{"kind":"PersistentVolumeClaim","spec":{"volumeName":"pv-1"}}}},
		"status":{"conditions":[{"type":"Ready","status":"True"}],"atProvider":{"manifest":{"kind":"PersistentVolumeClaim","spec":{"volumeName":"pv-1","resources":{"requests":{"storage":"1Gi"}}},"status":{"phase":"Bound"}}}}}`
	want := &fnv1.RunFunctionRequest{Observed: &fnv1.State{Resources: map[string]*fnv1.Resource{"o": {Resource: resource.MustStructJSON(object)}}}}
	got := received(t, want)
	r := FromState(got.GetObserved())
	raw := r.Raw("o")
	manifest := Path(raw, "status", "atProvider", "manifest")
	if _, decoded := manifest.GetFields()["spec"]; decoded || manifest.GetFields()["status"] == nil {
		t.Fatalf("the observed spec is decoded up front, or the rest is not: %v", manifest)
	}
	if _, decoded := raw.GetFields()["spec"]; decoded || len(Path(raw, "status").GetFields()["conditions"].GetListValue().GetValues()) != 1 {
		t.Fatalf("the resource's spec is decoded up front, or its conditions are not: %v", raw)
	}
	if v, _, _ := unstructured.NestedString(r.Part("o", "spec", "forProvider", "manifest"), "spec", "volumeName"); v != "pv-1" {
		t.Fatalf("Part does not read the deferred spec: %v", r.Part("o", "spec", "forProvider", "manifest"))
	}
	if _, decoded := manifest.GetFields()["spec"]; decoded {
		t.Fatal("reading the applied manifest decoded the observed one")
	}
	if v, _, _ := unstructured.NestedString(r.Part("o", "status", "atProvider", "manifest"), "spec", "volumeName"); v != "pv-1" {
		t.Fatalf("Part does not read the deferred spec: %v", r.Part("o", "status", "atProvider", "manifest"))
	}
	oc, _ := r.Get("o")
	if diff := cmp.Diff(want.GetObserved().GetResources()["o"].GetResource().AsMap(), oc.Resource.Object); diff != "" {
		t.Fatalf("Get differs from the resource: %s", diff)
	}
}

// TestMalformedDeferred: bytes that do not decode fail on first use with
// the resource's name, as decoding the request whole would have failed.
func TestMalformedDeferred(t *testing.T) {
	// A request whose observed State holds one resource "bad" whose value
	// is a truncated Resource.
	entry := []byte{0x0a, 3, 'b', 'a', 'd', 0x12, 2, 0x0a, 9}
	state := protowire.AppendBytes(protowire.AppendTag(nil, wire.FieldNumber((&fnv1.State{}).ProtoReflect().Descriptor(), "resources"), protowire.BytesType), entry)
	b := protowire.AppendBytes(protowire.AppendTag(nil, wire.FieldNumber((&fnv1.RunFunctionRequest{}).ProtoReflect().Descriptor(), "observed"), protowire.BytesType), state)
	req := &fnv1.RunFunctionRequest{}
	if err := wire.Unmarshal(b, req); err != nil {
		t.Fatal(err)
	}
	r := FromState(req.GetObserved())
	if !r.Has("bad") {
		t.Fatal("the entry is not listed")
	}
	defer func() {
		m, ok := recover().(wire.MalformedError)
		if !ok || m.Key != "bad" {
			t.Fatalf("want a MalformedError for bad, got %v", m)
		}
	}()
	r.Raw("bad")
}
