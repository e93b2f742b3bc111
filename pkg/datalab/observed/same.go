package observed

import (
	"math"

	"google.golang.org/protobuf/types/known/structpb"
)

// Same reports whether an unstructured object holds exactly what s holds,
// without converting either: what structpb.NewStruct(m) would produce is
// equal to s.
func Same(m map[string]any, s *structpb.Struct) bool {
	f := s.GetFields()
	if len(m) != len(f) {
		return false
	}
	for k, v := range m {
		pv, ok := f[k]
		if !ok || !sameValue(v, pv) {
			return false
		}
	}
	return true
}

func sameValue(v any, pv *structpb.Value) bool {
	switch x := v.(type) {
	case nil:
		_, ok := pv.GetKind().(*structpb.Value_NullValue)
		return ok
	case string:
		s, ok := pv.GetKind().(*structpb.Value_StringValue)
		return ok && s.StringValue == x
	case bool:
		b, ok := pv.GetKind().(*structpb.Value_BoolValue)
		return ok && b.BoolValue == x
	case float64:
		return sameNumber(x, pv)
	case int64:
		return sameNumber(float64(x), pv)
	case int:
		return sameNumber(float64(x), pv)
	case map[string]any:
		s, ok := pv.GetKind().(*structpb.Value_StructValue)
		return ok && Same(x, s.StructValue)
	case []any:
		l, ok := pv.GetKind().(*structpb.Value_ListValue)
		if !ok || len(l.ListValue.GetValues()) != len(x) {
			return false
		}
		for i, e := range x {
			if !sameValue(e, l.ListValue.GetValues()[i]) {
				return false
			}
		}
		return true
	}
	// Anything else (other number types, typed slices) is rare in
	// unstructured content: not the same, so it is converted.
	return false
}

func sameNumber(x float64, pv *structpb.Value) bool {
	n, ok := pv.GetKind().(*structpb.Value_NumberValue)
	return ok && (n.NumberValue == x || math.IsNaN(x) && math.IsNaN(n.NumberValue))
}
