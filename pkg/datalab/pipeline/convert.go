package pipeline

import (
	"fmt"
	"unicode/utf8"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// setDesired puts desired composed resources into the response as
// response.SetDesiredComposedResources does, converting each with
// structOf.
func setDesired(rsp *fnv1.RunFunctionResponse, obs *observed.Resources, desired map[resource.Name]*resource.DesiredComposed) error {
	if rsp.GetDesired() == nil {
		rsp.Desired = &fnv1.State{}
	}
	if rsp.GetDesired().GetResources() == nil {
		rsp.Desired.Resources = map[string]*fnv1.Resource{}
	}
	for name, dc := range desired {
		s, err := structOf(dc.Resource.UnstructuredContent(), obs)
		if err != nil {
			return fmt.Errorf("composed[%s]: %w", name, err)
		}
		r := &fnv1.Resource{Resource: s}
		switch dc.Ready {
		case resource.ReadyTrue:
			r.Ready = fnv1.Ready_READY_TRUE
		case resource.ReadyFalse:
			r.Ready = fnv1.Ready_READY_FALSE
		}
		rsp.Desired.Resources[string(name)] = r
	}
	return nil
}

// structOf converts unstructured content as structpb.NewStruct does,
// except that a nested object read from observed state and unchanged (an
// Educates object re-emitted exactly as it was created, say) is taken as
// received instead of converted back (observed.Resources.Source).
func structOf(m map[string]any, obs *observed.Resources) (*structpb.Struct, error) {
	if s := obs.Source(m); s != nil {
		return s, nil
	}
	out := &structpb.Struct{Fields: make(map[string]*structpb.Value, len(m))}
	for k, v := range m {
		if !utf8.ValidString(k) {
			return nil, fmt.Errorf("invalid UTF-8 in string: %q", k)
		}
		pv, err := valueOf(v, obs)
		if err != nil {
			return nil, err
		}
		out.Fields[k] = pv
	}
	return out, nil
}

func valueOf(v any, obs *observed.Resources) (*structpb.Value, error) {
	switch x := v.(type) {
	case map[string]any:
		s, err := structOf(x, obs)
		if err != nil {
			return nil, err
		}
		return structpb.NewStructValue(s), nil
	case []any:
		l := &structpb.ListValue{Values: make([]*structpb.Value, len(x))}
		for i, e := range x {
			pv, err := valueOf(e, obs)
			if err != nil {
				return nil, err
			}
			l.Values[i] = pv
		}
		return structpb.NewListValue(l), nil
	}
	return structpb.NewValue(v)
}
