// Package observed holds a request's observed composed resources and
// converts each to an unstructured object only when a step reads it.
// Every step receives all of them, but most read a few (storage one,
// identity a handful): converting all on every call was the largest cost
// of a step beyond decoding its request.
package observed

import (
	"maps"
	"slices"
	"strings"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/resource/composed"
	"google.golang.org/protobuf/types/known/structpb"
)

// Resources are the observed composed resources by composition-resource
// name. The zero value and nil hold none.
type Resources struct {
	raw       map[string]*fnv1.Resource
	converted map[resource.Name]resource.ObservedComposed
	// parts are nested objects converted on their own (Part).
	parts map[string]map[string]any
}

// New wraps a request's observed resources (not copied: the request is
// not changed while a step runs).
func New(raw map[string]*fnv1.Resource) *Resources {
	return &Resources{raw: raw, converted: map[resource.Name]resource.ObservedComposed{}, parts: map[string]map[string]any{}}
}

// FromMap holds resources that are converted already (tests).
func FromMap(m map[resource.Name]resource.ObservedComposed) *Resources {
	r := &Resources{raw: map[string]*fnv1.Resource{}, converted: map[resource.Name]resource.ObservedComposed{}, parts: map[string]map[string]any{}}
	for k, v := range m {
		r.raw[string(k)] = &fnv1.Resource{}
		r.converted[k] = v
	}
	return r
}

// Get returns one resource, converted on first use as the SDK's
// request.GetObservedComposedResources does.
func (r *Resources) Get(key resource.Name) (resource.ObservedComposed, bool) {
	if r == nil {
		return resource.ObservedComposed{}, false
	}
	if oc, ok := r.converted[key]; ok {
		return oc, true
	}
	raw, ok := r.raw[string(key)]
	if !ok {
		return resource.ObservedComposed{}, false
	}
	oc := resource.ObservedComposed{Resource: composed.New(), ConnectionDetails: raw.GetConnectionDetails()}
	if oc.ConnectionDetails == nil {
		oc.ConnectionDetails = resource.ConnectionDetails{}
	}
	// Unstructured content: the SDK's conversion cannot fail.
	_ = resource.AsObject(raw.GetResource(), oc.Resource)
	r.converted[key] = oc
	return oc, true
}

// Raw returns a resource as received, for reading a few fields without
// converting the whole object (nil when it is not observed). It must not
// be changed.
func (r *Resources) Raw(key resource.Name) *structpb.Struct {
	if r == nil {
		return nil
	}
	raw, ok := r.raw[string(key)]
	if !ok {
		return nil
	}
	if raw.GetResource() == nil {
		// Held converted only (FromMap).
		if oc, ok := r.converted[key]; ok && oc.Resource != nil {
			s, _ := structpb.NewStruct(oc.Resource.Object)
			raw.Resource = s
		}
	}
	return raw.GetResource()
}

// Part returns one nested object of a resource (an Object's manifest, say)
// converted on its own, once; nil when it is missing.
func (r *Resources) Part(key resource.Name, fields ...string) map[string]any {
	if r == nil {
		return nil
	}
	id := string(key) + "\x00" + strings.Join(fields, "\x00")
	if m, ok := r.parts[id]; ok {
		return m
	}
	s := Path(r.Raw(key), fields...)
	if s == nil {
		return nil
	}
	m := s.AsMap()
	r.parts[id] = m
	return m
}

// Labels returns a resource's labels without converting it.
func (r *Resources) Labels(key resource.Name) map[string]string {
	return r.stringMap(key, "labels")
}

// Annotations returns a resource's annotations without converting it.
func (r *Resources) Annotations(key resource.Name) map[string]string {
	return r.stringMap(key, "annotations")
}

func (r *Resources) stringMap(key resource.Name, field string) map[string]string {
	out := map[string]string{}
	for k, v := range Path(r.Raw(key), "metadata", field).GetFields() {
		out[k] = v.GetStringValue()
	}
	return out
}

// Path walks nested objects of a struct (nil when one is missing).
func Path(s *structpb.Struct, fields ...string) *structpb.Struct {
	for _, f := range fields {
		if s == nil {
			return nil
		}
		s = s.GetFields()[f].GetStructValue()
	}
	return s
}

// Has reports whether a resource is observed, without converting it.
func (r *Resources) Has(key resource.Name) bool {
	if r == nil {
		return false
	}
	_, ok := r.raw[string(key)]
	return ok
}

// Keys lists the observed resources' names, sorted.
func (r *Resources) Keys() []resource.Name {
	if r == nil {
		return nil
	}
	out := make([]resource.Name, 0, len(r.raw))
	for _, k := range slices.Sorted(maps.Keys(r.raw)) {
		out = append(out, resource.Name(k))
	}
	return out
}

// Len is the number of observed resources.
func (r *Resources) Len() int {
	if r == nil {
		return 0
	}
	return len(r.raw)
}
