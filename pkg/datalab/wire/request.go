package wire

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Deferred decoding. A request carries every observed composed resource
// and every resource earlier steps want; a step reads few of them (the
// storage step one observed resource and no desired one) and passes the
// desired ones on unchanged, yet decoding all of them, and encoding the
// desired ones again, was most of a step's cost and memory. Unmarshal
// decodes a RunFunctionRequest but leaves the composed resources of both
// states in their wire form: it renumbers their field, in place, to one
// State does not define, so protobuf keeps them as unknown bytes of the
// State. observed.FromState and package desired decode each on first
// use; desired.Seal puts those a step did not replace back in place.

var (
	observedField  = FieldNumber((&fnv1.RunFunctionRequest{}).ProtoReflect().Descriptor(), "observed")
	desiredField   = FieldNumber((&fnv1.RunFunctionRequest{}).ProtoReflect().Descriptor(), "desired")
	resourcesField = FieldNumber((&fnv1.State{}).ProtoReflect().Descriptor(), "resources")
	// deferredField is the lowest field number State does not define, so
	// its tag is one byte like that of resources and renumbering is an
	// in-place change of one byte.
	deferredField = UnusedField((&fnv1.State{}).ProtoReflect().Descriptor())
)

// Unmarshal decodes b into req, deferring the composed resources of its
// observed and desired states. It renumbers in b while decoding (protobuf
// never aliases its input) and restores b before it returns.
func Unmarshal(b []byte, req *fnv1.RunFunctionRequest) error {
	if err := renumberResources(b, resourcesField, deferredField); err != nil {
		return err
	}
	defer func() { _ = renumberResources(b, deferredField, resourcesField) }()
	return proto.Unmarshal(b, req)
}

// AsReceived is req as a function's codec decodes it: encoded, then
// decoded by Unmarshal (for tests and the in-process pipeline).
func AsReceived(req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionRequest, error) {
	b, err := proto.Marshal(req)
	if err != nil {
		return nil, err
	}
	got := &fnv1.RunFunctionRequest{}
	return got, Unmarshal(b, got)
}

// renumberResources renumbers field from to field to (both with one-byte
// tags) in each State of the request b.
func renumberResources(b []byte, from, to protowire.Number) error {
	return EachField(b, func(num protowire.Number, typ protowire.Type, _, value []byte) {
		if num != observedField && num != desiredField || typ != protowire.BytesType {
			return
		}
		state, n := protowire.ConsumeBytes(value)
		if n < 0 {
			return // proto.Unmarshal reports it
		}
		_ = EachField(state, func(num protowire.Number, typ protowire.Type, tag, _ []byte) {
			if num == from && typ == protowire.BytesType && len(tag) == 1 {
				tag[0] = byte(protowire.EncodeTag(to, protowire.BytesType))
			}
		})
	})
}

// Entry is one composed resource a State holds in wire form: the whole
// field (tag and map entry), its name and the Resource's bytes.
type Entry struct {
	Field    []byte
	Name     string
	Resource []byte
}

// Entries are the composed resources a State holds in wire form, in the
// order received (of two entries of the same name the later wins, as in a
// decoded map).
func Entries(s *fnv1.State) []Entry {
	var out []Entry
	_ = EachField(s.ProtoReflect().GetUnknown(), func(num protowire.Number, typ protowire.Type, tag, value []byte) {
		if e, ok := entryOf(num, typ, tag, value); ok {
			out = append(out, e)
		}
	})
	return out
}

// entryOf is the deferred entry one field of a State's unknown bytes
// holds, when it holds one.
func entryOf(num protowire.Number, typ protowire.Type, tag, value []byte) (Entry, bool) {
	if num != deferredField || typ != protowire.BytesType {
		return Entry{}, false
	}
	entry, n := protowire.ConsumeBytes(value)
	if n < 0 {
		return Entry{}, false
	}
	key, res := MapEntry(entry)
	field := tag[:len(tag)+len(value)] // tag and value are adjacent
	return Entry{Field: field, Name: string(key), Resource: res}, true
}

// Keep rewrites s's unknown bytes to the deferred entries keep accepts
// (and every other unknown field), as they were.
func Keep(s *fnv1.State, keep func(Entry) bool) {
	unknown := s.ProtoReflect().GetUnknown()
	if len(unknown) == 0 {
		return
	}
	var out []byte
	_ = EachField(unknown, func(num protowire.Number, typ protowire.Type, tag, value []byte) {
		if e, ok := entryOf(num, typ, tag, value); ok && !keep(e) {
			return
		}
		out = append(out, tag...)
		out = append(out, value...)
	})
	s.ProtoReflect().SetUnknown(out)
}

// Restore renumbers s's deferred entries back to State.resources, in
// place: encoded, s then carries them as the composed resources they
// were, after those s holds decoded.
func Restore(s *fnv1.State) {
	for _, e := range Entries(s) {
		e.Field[0] = byte(protowire.EncodeTag(resourcesField, protowire.BytesType))
	}
}

// MalformedError is the panic of a step that reads a deferred composed
// resource whose bytes do not decode; pipeline.Function returns it as the
// error the eager decoding would have returned for the whole request.
type MalformedError struct {
	Key string
	Err error
}

func (e MalformedError) Error() string {
	return fmt.Sprintf("cannot decode composed resource %q: %v", e.Key, e.Err)
}

// Decode decodes one deferred resource, or panics with a MalformedError.
func Decode(key string, b []byte) *fnv1.Resource {
	r := &fnv1.Resource{}
	if err := proto.Unmarshal(b, r); err != nil {
		panic(MalformedError{Key: key, Err: err})
	}
	return r
}
