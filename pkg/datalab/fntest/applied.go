package fntest

import (
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
)

// Observe turns desired composed resources, in place, into what
// Crossplane observes once they are applied and ready: Ready and Synced
// conditions, and for an Object its manifest in status.atProvider (with
// the given status per composition-resource-name key, for example an
// Educates phase). With a namespace and a composite name it also sets
// what Crossplane sets on every composed resource: that namespace, the
// composite label and the composition-resource-name annotation.
func Observe(resources map[string]*fnv1.Resource, namespace, composite string, status map[string]map[string]any) {
	for key, r := range resources {
		o := r.GetResource()
		if namespace != "" {
			meta := sub(o, "metadata")
			meta.Fields["namespace"] = structpb.NewStringValue(namespace)
			sub(meta, "labels").Fields[compose.LabelComposite] = structpb.NewStringValue(composite)
			sub(meta, "annotations").Fields["crossplane.io/composition-resource-name"] = structpb.NewStringValue(key)
		}
		st := &structpb.Struct{Fields: map[string]*structpb.Value{"conditions": structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{
			structpb.NewStructValue(condition("Ready")), structpb.NewStructValue(condition("Synced")),
		}})}}
		if m := observed.Path(o, "spec", "forProvider", "manifest"); m != nil && o.GetFields()["kind"].GetStringValue() == compose.ObjectKind {
			if s, ok := status[key]; ok {
				// The target's own status: a copy, so the desired manifest
				// stays as it was.
				m = proto.Clone(m).(*structpb.Struct)
				if v, err := structpb.NewStruct(s); err == nil {
					m.Fields["status"] = structpb.NewStructValue(v)
				}
			}
			st.Fields["atProvider"] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"manifest": structpb.NewStructValue(m)}})
		}
		o.Fields["status"] = structpb.NewStructValue(st)
	}
}

func condition(typ string) *structpb.Struct {
	return &structpb.Struct{Fields: map[string]*structpb.Value{"type": structpb.NewStringValue(typ), "status": structpb.NewStringValue("True")}}
}

// sub returns a struct field, made when missing.
func sub(s *structpb.Struct, key string) *structpb.Struct {
	if v := s.GetFields()[key].GetStructValue(); v != nil {
		return v
	}
	v := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	if s.Fields == nil {
		s.Fields = map[string]*structpb.Value{}
	}
	s.Fields[key] = structpb.NewStructValue(v)
	return v
}

// Applied returns a response's desired composed resources as Crossplane
// observes them once applied and ready (Observe, on a copy), keyed for
// Request.Observed. Feeding it back as observed state is the next
// reconcile.
func Applied(t testing.TB, rsp *fnv1.RunFunctionResponse, status map[string]map[string]any) map[string]string {
	t.Helper()
	resources := map[string]*fnv1.Resource{}
	for key, r := range rsp.GetDesired().GetResources() {
		resources[key] = proto.Clone(r).(*fnv1.Resource)
	}
	Observe(resources, "", "", status)
	out := map[string]string{}
	for key, r := range resources {
		b, err := protojson.Marshal(r.GetResource())
		if err != nil {
			t.Fatal(err)
		}
		out[key] = string(b)
	}
	return out
}
