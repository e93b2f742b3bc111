// Package request reads a RunFunctionRequest: the part of
// function-sdk-go's request package the steps use, over this module's
// resource types (see package resource for why).
package request

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/desired"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// GetObservedCompositeResource is the Datalab as it exists (a copy).
func GetObservedCompositeResource(req *fnv1.RunFunctionRequest) *resource.Composite {
	return composite(req.GetObserved().GetComposite())
}

// GetDesiredCompositeResource is the Datalab as earlier steps want it (a
// copy; an empty object when no step has set it).
func GetDesiredCompositeResource(req *fnv1.RunFunctionRequest) *resource.Composite {
	return composite(req.GetDesired().GetComposite())
}

func composite(r *fnv1.Resource) *resource.Composite {
	return &resource.Composite{Resource: resource.FromStruct(r.GetResource()), ConnectionDetails: r.GetConnectionDetails()}
}

// GetDesiredComposedResources are the composed resources earlier steps
// want, converted (each decoded on its own when the request carries it in
// wire form, so only the converted objects stay).
func GetDesiredComposedResources(req *fnv1.RunFunctionRequest) map[resource.Name]*resource.DesiredComposed {
	entries := desired.List(req.GetDesired())
	out := make(map[resource.Name]*resource.DesiredComposed, len(entries))
	for _, e := range entries {
		name, r := e.Name, e.Resource()
		dc := &resource.DesiredComposed{Resource: resource.FromStruct(r.GetResource()), Ready: resource.ReadyUnspecified}
		switch r.GetReady() {
		case fnv1.Ready_READY_TRUE:
			dc.Ready = resource.ReadyTrue
		case fnv1.Ready_READY_FALSE:
			dc.Ready = resource.ReadyFalse
		}
		out[name] = dc
	}
	return out
}

// GetContextKey is one key of the pipeline context.
func GetContextKey(req *fnv1.RunFunctionRequest, key string) (*structpb.Value, bool) {
	v, ok := req.GetContext().GetFields()[key]
	return v, ok
}

// GetRequiredResource returns what Crossplane found for a requirement;
// resolved is false when the request does not answer it.
func GetRequiredResource(req *fnv1.RunFunctionRequest, key string) (found []*unstructured.Unstructured, resolved bool) {
	rs, ok := req.GetRequiredResources()[key]
	if !ok {
		return nil, false
	}
	for _, it := range rs.GetItems() {
		found = append(found, resource.FromStruct(it.GetResource()))
	}
	return found, true
}
