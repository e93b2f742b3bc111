package observed

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Deferred decoding. A request carries every observed composed resource,
// typically two thirds of its bytes, but a step reads few of them (the
// policy step three, the storage step one) and returns none: decoding them
// all was most of a step's cost and of its memory. Unmarshal decodes a
// RunFunctionRequest but leaves the observed composed resources in their
// wire form: it renumbers their field, in place, to one State does not
// define, so protobuf keeps them as unknown bytes, and FromState decodes
// each on first use.

var (
	observedField  = fieldNumber((&fnv1.RunFunctionRequest{}).ProtoReflect().Descriptor(), "observed")
	resourcesField = fieldNumber((&fnv1.State{}).ProtoReflect().Descriptor(), "resources")
	// deferredField is the lowest field number State does not define, so
	// its tag is one byte like that of resources and renumbering is an
	// in-place change of one byte.
	deferredField = unusedField((&fnv1.State{}).ProtoReflect().Descriptor())
)

// Unmarshal decodes b into req, deferring the observed composed resources
// (FromState reads them). It renumbers in b while decoding (protobuf
// never aliases its input) and restores b before it returns.
func Unmarshal(b []byte, req *fnv1.RunFunctionRequest) error {
	if err := renumberResources(b, resourcesField, deferredField); err != nil {
		return err
	}
	defer func() { _ = renumberResources(b, deferredField, resourcesField) }()
	return proto.Unmarshal(b, req)
}

// renumberResources renumbers field from to field to (both with one-byte
// tags) in each observed State of the request b.
func renumberResources(b []byte, from, to protowire.Number) error {
	return eachField(b, func(num protowire.Number, typ protowire.Type, _, value []byte) {
		if num != observedField || typ != protowire.BytesType {
			return
		}
		state, n := protowire.ConsumeBytes(value)
		if n < 0 {
			return // proto.Unmarshal reports it
		}
		_ = eachField(state, func(num protowire.Number, typ protowire.Type, tag, _ []byte) {
			if num == from && typ == protowire.BytesType && len(tag) == 1 {
				tag[0] = byte(protowire.EncodeTag(to, protowire.BytesType))
			}
		})
	})
}

// deferredEntries are the observed resources a State holds in wire form,
// by name (the later of two entries of the same name wins, as in a
// decoded map).
func deferredEntries(s *fnv1.State) map[string][]byte {
	unknown := s.ProtoReflect().GetUnknown()
	if len(unknown) == 0 {
		return nil
	}
	out := map[string][]byte{}
	_ = eachField(unknown, func(num protowire.Number, typ protowire.Type, _, value []byte) {
		if num != deferredField || typ != protowire.BytesType {
			return
		}
		entry, n := protowire.ConsumeBytes(value)
		if n < 0 {
			return
		}
		key, res := mapEntry(entry)
		out[string(key)] = res
	})
	return out
}

// MalformedError is the panic of a step that reads a deferred observed
// resource whose bytes do not decode; pipeline.Function returns it as the
// error the eager decoding would have returned for the whole request.
type MalformedError struct {
	Key string
	Err error
}

func (e MalformedError) Error() string {
	return fmt.Sprintf("cannot decode observed composed resource %q: %v", e.Key, e.Err)
}

// decodeDeferred decodes one deferred resource. Its bytes are the
// request's unknown bytes, read once: renumbering in them is safe.
func decodeDeferred(key string, b []byte) *fnv1.Resource {
	deferSpecs(b)
	r := &fnv1.Resource{}
	if err := proto.Unmarshal(b, r); err != nil {
		panic(MalformedError{Key: key, Err: err})
	}
	return r
}
