package server

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// codec is gRPC's protobuf codec, except that a RunFunctionRequest is
// decoded with its composed resources deferred (wire.Unmarshal): each
// step decodes only those it reads.
type codec struct{ encoding.CodecV2 }

func (c codec) Unmarshal(data mem.BufferSlice, v any) error {
	req, ok := v.(*fnv1.RunFunctionRequest)
	if !ok {
		return c.CodecV2.Unmarshal(data, v)
	}
	// Decoded in gRPC's own buffer, renumbered and restored around the
	// decoding (protobuf never aliases its input), so that what gRPC
	// logs or reports after decoding is the message as received.
	buf := data.MaterializeToBuffer(mem.DefaultBufferPool())
	defer buf.Free()
	return wire.Unmarshal(buf.ReadOnlyData(), req)
}

// The codec replaces gRPC's for this process (a function serves nothing
// else); registering is only safe before any server or client starts.
func init() {
	encoding.RegisterCodecV2(codec{encoding.GetCodecV2(proto.Name)})
}
