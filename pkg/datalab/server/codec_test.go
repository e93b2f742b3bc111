package server

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// TestCodecDefersObservedResources: the process's gRPC codec is this one,
// it decodes a request with its observed resources deferred and leaves
// the received bytes as they were; other messages decode as usual.
func TestCodecDefersObservedResources(t *testing.T) {
	c, ok := encoding.GetCodecV2("proto").(codec)
	if !ok {
		t.Fatalf("the registered proto codec is %T", encoding.GetCodecV2("proto"))
	}
	want := &fnv1.RunFunctionRequest{Observed: &fnv1.State{Resources: map[string]*fnv1.Resource{
		"a": {Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}`)}}}}
	b, err := proto.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	received := append([]byte(nil), b...)
	var got fnv1.RunFunctionRequest
	if err := c.Unmarshal(mem.BufferSlice{mem.SliceBuffer(received)}, &got); err != nil {
		t.Fatal(err)
	}
	if string(received) != string(b) {
		t.Fatal("decoding changed gRPC's buffer")
	}
	if len(got.GetObserved().GetResources()) != 0 {
		t.Fatal("observed resources decoded up front")
	}
	if r := observed.FromState(got.GetObserved()); !proto.Equal(r.Raw("a"), want.GetObserved().GetResources()["a"].GetResource()) {
		t.Fatal("the deferred resource reads differently")
	}
	var rsp fnv1.RunFunctionResponse
	out, err := c.Marshal(&fnv1.RunFunctionResponse{Meta: &fnv1.ResponseMeta{Tag: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Unmarshal(out, &rsp); err != nil || rsp.GetMeta().GetTag() != "t" {
		t.Fatalf("a response does not round-trip: %v %v", err, &rsp)
	}
}
