// Package observed holds a request's observed composed resources and
// converts each to an unstructured object only when a step reads it.
// Every step receives all of them, but most read a few (storage one,
// identity a handful): converting all on every call was the largest cost
// of a step beyond decoding its request. Decoded with wire.Unmarshal (the
// functions' gRPC codec), they are not even decoded until read
// (deferred.go).
package observed

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Resources are the observed composed resources by composition-resource
// name. The zero value and nil hold none.
type Resources struct {
	raw map[string]*fnv1.Resource
	// deferred are resources still in wire form (wire.Unmarshal), decoded into
	// raw on first use.
	deferred  map[string][]byte
	converted map[resource.Name]resource.ObservedComposed
	// parts are nested objects converted on their own (Part), and sources
	// the struct each was converted from, by the map's identity.
	parts   map[string]map[string]any
	sources map[uintptr]*structpb.Struct
}

// New wraps a request's observed resources (not copied: the request is
// not changed while a step runs).
func New(raw map[string]*fnv1.Resource) *Resources {
	return &Resources{raw: raw, converted: map[resource.Name]resource.ObservedComposed{}, parts: map[string]map[string]any{}}
}

// FromState wraps a request's observed state, with the resources
// wire.Unmarshal deferred.
func FromState(s *fnv1.State) *Resources {
	r := New(s.GetResources())
	if d := deferredEntries(s); len(d) > 0 {
		r.raw = maps.Clone(r.raw)
		if r.raw == nil {
			r.raw = map[string]*fnv1.Resource{}
		}
		for k := range d {
			delete(r.raw, k)
		}
		r.deferred = d
	}
	return r
}

// resource is one observed resource as received, decoded on first use
// when it was deferred.
func (r *Resources) resource(key string) (*fnv1.Resource, bool) {
	if raw, ok := r.raw[key]; ok {
		return raw, true
	}
	b, ok := r.deferred[key]
	if !ok {
		return nil, false
	}
	raw := decodeDeferred(key, b)
	r.raw[key] = raw
	delete(r.deferred, key)
	return raw, true
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

// Get returns one resource, converted on first use (the whole of it).
func (r *Resources) Get(key resource.Name) (resource.ObservedComposed, bool) {
	if r == nil {
		return resource.ObservedComposed{}, false
	}
	if oc, ok := r.converted[key]; ok {
		return oc, true
	}
	raw, ok := r.resource(string(key))
	if !ok {
		return resource.ObservedComposed{}, false
	}
	complete(string(key), raw.GetResource())
	oc := resource.ObservedComposed{Resource: resource.FromStruct(raw.GetResource()), ConnectionDetails: raw.GetConnectionDetails()}
	if oc.ConnectionDetails == nil {
		oc.ConnectionDetails = resource.ConnectionDetails{}
	}
	r.converted[key] = oc
	return oc, true
}

// Raw returns a resource as received, for reading a few fields without
// converting the whole object (nil when it is not observed). It must not
// be changed. Its spec, and the spec of an Object's
// status.atProvider.manifest, may not be decoded yet: read those with Part.
func (r *Resources) Raw(key resource.Name) *structpb.Struct {
	if r == nil {
		return nil
	}
	raw, ok := r.resource(string(key))
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
	raw := r.Raw(key)
	complete(string(key), raw, fields...)
	s := Path(raw, fields...)
	if s == nil {
		return nil
	}
	m := s.AsMap()
	r.parts[id] = m
	if r.sources == nil {
		r.sources = map[uintptr]*structpb.Struct{}
	}
	r.sources[mapID(m)] = s
	return m
}

// Source returns the struct that m was converted from by Part, when it
// still holds exactly that content (nil otherwise): emitting an object
// read unchanged from observed state (a frozen Workshop, say) reuses it
// instead of converting it back.
func (r *Resources) Source(m map[string]any) *structpb.Struct {
	if r == nil || r.sources == nil || m == nil {
		return nil
	}
	s := r.sources[mapID(m)]
	if s == nil || !Same(m, s) {
		return nil
	}
	return s
}

func mapID(m map[string]any) uintptr { return reflect.ValueOf(m).Pointer() }

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
	if !ok {
		_, ok = r.deferred[string(key)]
	}
	return ok
}

// Keys lists the observed resources' names, sorted.
func (r *Resources) Keys() []resource.Name {
	if r == nil {
		return nil
	}
	out := make([]resource.Name, 0, r.Len())
	for k := range r.raw {
		out = append(out, resource.Name(k))
	}
	for k := range r.deferred {
		out = append(out, resource.Name(k))
	}
	slices.Sort(out)
	return out
}

// Len is the number of observed resources.
func (r *Resources) Len() int {
	if r == nil {
		return 0
	}
	return len(r.raw) + len(r.deferred)
}
