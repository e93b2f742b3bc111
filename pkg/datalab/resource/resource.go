// Package resource holds composed and composite resources as the pipeline
// exchanges them with Crossplane: unstructured content keyed by the
// composition-resource-name.
//
// It takes the place of function-sdk-go's resource packages, with the
// same names for the part the steps use. Those packages reach
// crossplane-runtime's resource interfaces and through them client-go's
// whole scheme (every k8s.io/api group), whose initialisation costs each
// function process about 13 MiB of resident memory before it serves a
// single request. TestFunctionsLinkNoClientGo keeps it out.
package resource

import (
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Name is a composed resource's key in the pipeline: its
// composition-resource-name.
type Name string

// Ready is what a step says about a desired resource's readiness;
// unspecified leaves it to Crossplane.
type Ready string

// The readiness a step can set.
const (
	ReadyUnspecified Ready = "Unspecified"
	ReadyTrue        Ready = "True"
	ReadyFalse       Ready = "False"
)

// ConnectionDetails are a resource's connection details, as Crossplane
// sends them.
type ConnectionDetails map[string][]byte

// DesiredComposed is a composed resource a step wants.
type DesiredComposed struct {
	Resource *unstructured.Unstructured
	Ready    Ready
}

// ObservedComposed is a composed resource as it exists.
type ObservedComposed struct {
	Resource          *unstructured.Unstructured
	ConnectionDetails ConnectionDetails
}

// Composite is the Datalab (the composite resource), observed or desired.
type Composite struct {
	Resource          *unstructured.Unstructured
	ConnectionDetails ConnectionDetails
}

// New is an empty object to fill.
func New() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{}}
}

// FromStruct is an object with the content of s (a copy).
func FromStruct(s *structpb.Struct) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: s.AsMap()}
}

// MustStructJSON is the Struct of a JSON object; it panics on bad JSON
// (for fixtures and tests).
func MustStructJSON(j string) *structpb.Struct {
	s := &structpb.Struct{}
	if err := protojson.Unmarshal([]byte(j), s); err != nil {
		panic(err)
	}
	return s
}
