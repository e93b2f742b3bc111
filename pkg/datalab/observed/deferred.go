package observed

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/structpb"
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

func fieldNumber(md protoreflect.MessageDescriptor, name protoreflect.Name) protowire.Number {
	return md.Fields().ByName(name).Number()
}

func unusedField(md protoreflect.MessageDescriptor) protowire.Number {
	for n := protowire.Number(1); ; n++ {
		if md.Fields().ByNumber(n) == nil {
			return n
		}
	}
}

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

// eachField calls fn with each field of the message b: its number, type,
// tag bytes and value bytes (both slices of b).
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, tag, value []byte)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return protowire.ParseError(m)
		}
		fn(num, typ, b[:n], b[n:n+m])
		b = b[n+m:]
	}
	return nil
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
	deferObservedSpec(b)
	r := &fnv1.Resource{}
	if err := proto.Unmarshal(b, r); err != nil {
		panic(MalformedError{Key: key, Err: err})
	}
	return r
}

// An Object's status.atProvider.manifest repeats the whole target as the
// cluster holds it; its spec is the bulk and is read for a few small
// targets only (volumes). So a resource is decoded with that spec left in
// wire form too: its entry in the manifest's Struct is renumbered to a
// field Struct does not define, and complete decodes it when the manifest
// is read (Part, Get).
var (
	structFields   = fieldNumber((&structpb.Struct{}).ProtoReflect().Descriptor(), "fields")
	structDeferred = unusedField((&structpb.Struct{}).ProtoReflect().Descriptor())
	structValue    = fieldNumber((&structpb.Value{}).ProtoReflect().Descriptor(), "struct_value")
	resourceStruct = fieldNumber((&fnv1.Resource{}).ProtoReflect().Descriptor(), "resource")
)

// The map entry fields of a protobuf map (key, value).
const (
	entryKey   protowire.Number = 1
	entryValue protowire.Number = 2
)

// observedSpecPath leads from a resource to the entry deferObservedSpec
// renumbers.
var observedSpecPath = []string{"status", "atProvider", "manifest", "spec"}

// deferObservedSpec renumbers, in place, the entry spec of
// status.atProvider.manifest in a Resource's wire form, when it has one.
func deferObservedSpec(resource []byte) {
	var st []byte
	_ = eachField(resource, func(num protowire.Number, typ protowire.Type, _, value []byte) {
		if num == resourceStruct && typ == protowire.BytesType {
			st, _ = protowire.ConsumeBytes(value)
		}
	})
	for i, name := range observedSpecPath {
		tag, value := structEntry(st, name)
		if tag == nil {
			return
		}
		if i == len(observedSpecPath)-1 {
			if len(tag) == 1 {
				tag[0] = byte(protowire.EncodeTag(structDeferred, protowire.BytesType))
			}
			return
		}
		st = nil
		_ = eachField(value, func(num protowire.Number, typ protowire.Type, _, v []byte) {
			if num == structValue && typ == protowire.BytesType {
				st, _ = protowire.ConsumeBytes(v)
			}
		})
	}
}

// structEntry finds the entry name in a Struct's wire form: the entry's
// tag and its Value's bytes (nil when absent).
func structEntry(st []byte, name string) (tag, value []byte) {
	_ = eachField(st, func(num protowire.Number, typ protowire.Type, t, v []byte) {
		if num != structFields || typ != protowire.BytesType {
			return
		}
		entry, _ := protowire.ConsumeBytes(v)
		k, val := mapEntry(entry)
		if string(k) == name {
			tag, value = t, val
		}
	})
	return tag, value
}

// mapEntry splits a protobuf map entry into its key and value bytes.
func mapEntry(entry []byte) (key, value []byte) {
	_ = eachField(entry, func(num protowire.Number, typ protowire.Type, _, v []byte) {
		if typ != protowire.BytesType {
			return
		}
		b, _ := protowire.ConsumeBytes(v)
		switch num {
		case entryKey:
			key = b
		case entryValue:
			value = b
		}
	})
	return key, value
}

// reaches reports whether the object at path fields holds (or is within)
// the entry at deferred.
func reaches(fields, deferred []string) bool {
	for i := 0; i < len(fields) && i < len(deferred); i++ {
		if fields[i] != deferred[i] {
			return false
		}
	}
	return true
}

// complete decodes what deferObservedSpec left in wire form, in place.
func complete(key string, s *structpb.Struct) {
	m := Path(s, observedSpecPath[:len(observedSpecPath)-1]...)
	if m == nil {
		return
	}
	unknown := m.ProtoReflect().GetUnknown()
	if len(unknown) == 0 {
		return
	}
	if m.Fields == nil {
		m.Fields = map[string]*structpb.Value{}
	}
	_ = eachField(unknown, func(num protowire.Number, typ protowire.Type, _, value []byte) {
		if num != structDeferred || typ != protowire.BytesType {
			return
		}
		entry, _ := protowire.ConsumeBytes(value)
		k, v := mapEntry(entry)
		pv := &structpb.Value{}
		if err := proto.Unmarshal(v, pv); err != nil {
			panic(MalformedError{Key: key, Err: err})
		}
		m.Fields[string(k)] = pv
	})
	m.ProtoReflect().SetUnknown(nil)
}
