// Package desired reads the composed resources earlier steps want, as a
// request carries them. The functions' codec leaves them in wire form
// (wire.Unmarshal): a step decodes only what it reads, and what it does
// not replace goes back to Crossplane as received (Seal), neither
// decoded nor encoded again. Every read of a request's desired composed
// resources goes through here (TestComposedOnlyThroughTheirReaders):
// the State's own map holds only those that came decoded.
package desired

import (
	"slices"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// Keys lists the desired composed resources' names, sorted.
func Keys(s *fnv1.State) []resource.Name {
	set := map[resource.Name]bool{}
	for k := range s.GetResources() {
		set[resource.Name(k)] = true
	}
	for _, e := range wire.Entries(s) {
		set[resource.Name(e.Name)] = true
	}
	keys := make([]resource.Name, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Get returns one desired composed resource (nil when there is none). One
// in wire form is decoded on each call and not kept: the caller keeps what
// it needs.
func Get(s *fnv1.State, key resource.Name) *fnv1.Resource {
	if r, ok := s.GetResources()[string(key)]; ok {
		return r
	}
	var found []byte
	for _, e := range wire.Entries(s) {
		if e.Name == string(key) {
			found = e.Resource
		}
	}
	if found == nil {
		return nil
	}
	return wire.Decode(string(key), found)
}

// Remove takes one desired composed resource out of s.
func Remove(s *fnv1.State, key resource.Name) {
	delete(s.GetResources(), string(key))
	wire.Keep(s, func(e wire.Entry) bool { return e.Name != string(key) })
}

// Seal readies a response's desired state for encoding: each resource
// still in wire form that the step did not replace in the State's map
// goes back to State.resources as received; the replaced ones are
// dropped. A step's response passes through it once (pipeline.Function).
func Seal(s *fnv1.State) {
	if s == nil {
		return
	}
	replaced := s.GetResources()
	wire.Keep(s, func(e wire.Entry) bool {
		_, ok := replaced[e.Name]
		return !ok
	})
	wire.Restore(s)
}
