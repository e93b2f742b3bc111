package observed

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// A resource's spec is the bulk of it: for an Object the whole target
// (spec.forProvider.manifest), which its status.atProvider.manifest then
// repeats as the cluster holds it. Most reads are of metadata and
// conditions (readiness, failures, ownership), a few of a manifest. So a
// resource is decoded with both specs left in wire form: each one's entry
// in its Struct is renumbered to a field Struct does not define, and
// complete decodes it when a part that reaches it is read (Part, Get).
var (
	structFields   = wire.FieldNumber((&structpb.Struct{}).ProtoReflect().Descriptor(), "fields")
	structDeferred = wire.UnusedField((&structpb.Struct{}).ProtoReflect().Descriptor())
	structValue    = wire.FieldNumber((&structpb.Value{}).ProtoReflect().Descriptor(), "struct_value")
	resourceStruct = wire.FieldNumber((&fnv1.Resource{}).ProtoReflect().Descriptor(), "resource")
)

// deferredPaths lead from a resource to the entries deferSpecs renumbers.
var deferredPaths = [][]string{{"spec"}, {"status", "atProvider", "manifest", "spec"}}

// deferSpecs renumbers, in place, the entries of deferredPaths in a
// Resource's wire form, where it has them.
func deferSpecs(resource []byte) {
	var st []byte
	_ = wire.EachField(resource, func(num protowire.Number, typ protowire.Type, _, value []byte) {
		if num == resourceStruct && typ == protowire.BytesType {
			st, _ = protowire.ConsumeBytes(value)
		}
	})
	for _, p := range deferredPaths {
		deferEntry(st, p)
	}
}

// deferEntry renumbers the entry at path in a Struct's wire form.
func deferEntry(st []byte, path []string) {
	for i, name := range path {
		tag, value := structEntry(st, name)
		if tag == nil {
			return
		}
		if i == len(path)-1 {
			if len(tag) == 1 {
				tag[0] = byte(protowire.EncodeTag(structDeferred, protowire.BytesType))
			}
			return
		}
		st = nil
		_ = wire.EachField(value, func(num protowire.Number, typ protowire.Type, _, v []byte) {
			if num == structValue && typ == protowire.BytesType {
				st, _ = protowire.ConsumeBytes(v)
			}
		})
	}
}

// structEntry finds the entry name in a Struct's wire form: the entry's
// tag and its Value's bytes (nil when absent).
func structEntry(st []byte, name string) (tag, value []byte) {
	_ = wire.EachField(st, func(num protowire.Number, typ protowire.Type, t, v []byte) {
		if num != structFields || typ != protowire.BytesType {
			return
		}
		entry, _ := protowire.ConsumeBytes(v)
		k, val := wire.MapEntry(entry)
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

// complete decodes, in place, what deferSpecs left in wire form on the
// way to or within the object at fields.
func complete(key string, s *structpb.Struct, fields ...string) {
	for _, p := range deferredPaths {
		if reaches(fields, p) {
			completeEntry(key, Path(s, p[:len(p)-1]...))
		}
	}
}

func completeEntry(key string, m *structpb.Struct) {
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
	_ = wire.EachField(unknown, func(num protowire.Number, typ protowire.Type, _, value []byte) {
		if num != structDeferred || typ != protowire.BytesType {
			return
		}
		entry, _ := protowire.ConsumeBytes(value)
		k, v := wire.MapEntry(entry)
		pv := &structpb.Value{}
		if err := proto.Unmarshal(v, pv); err != nil {
			panic(wire.MalformedError{Key: key, Err: err})
		}
		m.Fields[string(k)] = pv
	})
	m.ProtoReflect().SetUnknown(nil)
}
