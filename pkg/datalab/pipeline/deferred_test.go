package pipeline_test

import (
	"context"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// TestMalformedObservedIsAnError: an observed resource whose deferred
// bytes do not decode fails the call with InvalidArgument and no response,
// as decoding the whole request would have; nothing is composed or
// deleted on it.
func TestMalformedObservedIsAnError(t *testing.T) {
	env := `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}}}`
	req := fntest.Request{Spec: `{}`, Env: env}.Build(t)
	b, err := proto.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	// An observed resource "bad" whose Resource is truncated.
	entry := protowire.AppendTag(nil, 1, protowire.BytesType)
	entry = protowire.AppendString(entry, "bad")
	entry = protowire.AppendTag(entry, 2, protowire.BytesType)
	entry = protowire.AppendBytes(entry, []byte{0x0a, 9})
	state := protowire.AppendTag(nil, 2, protowire.BytesType)
	state = protowire.AppendBytes(state, entry)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendBytes(b, state)
	var got fnv1.RunFunctionRequest
	if err := wire.Unmarshal(b, &got); err != nil {
		t.Fatalf("the request itself decodes: %v", err)
	}
	reads := func(in *pipeline.Input, _ *fnv1.RunFunctionResponse, _ logging.Logger) { in.Observed.Raw("bad") }
	rsp, err := (&pipeline.Function{Log: logging.NewNopLogger(), Step: reads}).RunFunction(context.Background(), &got)
	if status.Code(err) != codes.InvalidArgument || rsp != nil {
		t.Fatalf("got %v, %v; want InvalidArgument and no response", rsp, err)
	}
}
