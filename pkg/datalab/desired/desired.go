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
	"strings"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// Entry is one desired composed resource, decoded or in wire form.
type Entry struct {
	Name    resource.Name
	decoded *fnv1.Resource
	raw     []byte
}

// Resource returns the entry's resource. One in wire form is decoded on
// each call and not kept: the caller keeps what it needs.
func (e Entry) Resource() *fnv1.Resource {
	if e.decoded != nil {
		return e.decoded
	}
	return wire.Decode(string(e.Name), e.raw)
}

// List lists the desired composed resources by name, sorted, reading s
// once.
func List(s *fnv1.State) []Entry {
	byName := make(map[resource.Name]Entry, len(s.GetResources()))
	for _, e := range wire.Entries(s) {
		byName[resource.Name(e.Name)] = Entry{Name: resource.Name(e.Name), raw: e.Resource}
	}
	for k, r := range s.GetResources() {
		byName[resource.Name(k)] = Entry{Name: resource.Name(k), decoded: r}
	}
	out := make([]Entry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(string(a.Name), string(b.Name)) })
	return out
}

// Keys lists the desired composed resources' names, sorted.
func Keys(s *fnv1.State) []resource.Name {
	entries := List(s)
	keys := make([]resource.Name, len(entries))
	for i, e := range entries {
		keys[i] = e.Name
	}
	return keys
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
