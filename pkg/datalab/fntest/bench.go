package fntest

import (
	"context"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// Benchmark measures one call as a function serves it: the request decoded
// as the functions' gRPC codec decodes it (wire.Unmarshal), the step
// run, the response encoded. A gRPC error or a Fatal result fails it.
func Benchmark(b *testing.B, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) {
	b.Helper()
	encoded, err := proto.Marshal(req)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var r fnv1.RunFunctionRequest
		if err := wire.Unmarshal(encoded, &r); err != nil {
			b.Fatal(err)
		}
		rsp, err := fn.RunFunction(context.Background(), &r)
		if err != nil || Fatal(rsp) != "" {
			b.Fatal(err, Fatal(rsp))
		}
		if _, err := proto.Marshal(rsp); err != nil {
			b.Fatal(err)
		}
	}
}
