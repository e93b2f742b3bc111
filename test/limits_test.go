package test

import (
	"context"
	"path/filepath"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/server"
	"github.com/versioneer-tech/provider-datalab/test/inprocess"
)

// crossplaneRecvLimit is what Crossplane v2.4 accepts from a function: it
// dials functions with gRPC's default receive limit.
const crossplaneRecvLimit = 4 << 20

// TestLargestClaimFits renders the largest claim the XRD allows (every list
// and map at its maximum, the operator's caps lifted) in-process to the
// steady state it has while Educates creates its environments (every
// Workshop composed, its largest) and checks that every step's request fits the functions'
// default receive limit, and every response Crossplane's, each with a
// quarter to spare: a legal claim must never break the pipeline.
func TestLargestClaimFits(t *testing.T) {
	root := rootDir(t)
	env, err := inprocess.Uncapped(filepath.Join(root, "examples", "environment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// While Educates creates the environments every Workshop is composed:
	// the largest requests and responses.
	steady, err := inprocess.Creating(inprocess.Largest, env)
	if err != nil {
		t.Fatal(err)
	}
	functionLimit := server.DefaultMaxRecvMessageSizeMB << 20
	for _, st := range inprocess.Steps {
		req := steady.Requests[st.Name]
		rsp, err := st.Fn.RunFunction(context.Background(), proto.Clone(req).(*fnv1.RunFunctionRequest))
		if err != nil {
			t.Fatal(err)
		}
		if f := fntest.Fatal(rsp); f != "" {
			t.Fatalf("%s: %s", st.Name, f)
		}
		in, out := proto.Size(req), proto.Size(rsp)
		t.Logf("%s: request %d bytes, response %d bytes", st.Name, in, out)
		if in > functionLimit*3/4 {
			t.Errorf("%s: the request (%d bytes) leaves less than a quarter of the functions' %d MiB receive limit", st.Name, in, server.DefaultMaxRecvMessageSizeMB)
		}
		if out > crossplaneRecvLimit*3/4 {
			t.Errorf("%s: the response (%d bytes) leaves less than a quarter of Crossplane's 4 MiB receive limit; lower the XRD's maximums", st.Name, out)
		}
	}
}
