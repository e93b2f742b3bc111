package observed

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

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
