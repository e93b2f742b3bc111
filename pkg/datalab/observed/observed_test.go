package observed

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func TestConvertsOnFirstUse(t *testing.T) {
	r := New(map[string]*fnv1.Resource{"a": {Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}`)}})
	if !r.Has("a") || r.Has("b") || r.Len() != 1 || len(r.converted) != 0 {
		t.Fatal("Has or Len converted something, or is wrong")
	}
	oc, ok := r.Get("a")
	if !ok || oc.Resource.GetName() != "x" || oc.ConnectionDetails == nil {
		t.Fatalf("got %v %v", ok, oc)
	}
	if again, _ := r.Get("a"); again.Resource != oc.Resource {
		t.Fatal("converted twice")
	}
	if _, ok := r.Get("b"); ok {
		t.Fatal("an absent resource was found")
	}
	var none *Resources
	if _, ok := none.Get("a"); ok || none.Has("a") || none.Len() != 0 || none.Keys() != nil {
		t.Fatal("nil Resources hold something")
	}
}
