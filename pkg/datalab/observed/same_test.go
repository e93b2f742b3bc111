package observed

import (
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
)

func TestSame(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{"s": "x", "n": float64(2), "b": true, "z": nil, "m": map[string]any{"k": "v"}, "l": []any{"a", map[string]any{}}}
	}
	s, err := structpb.NewStruct(base())
	if err != nil {
		t.Fatal(err)
	}
	if !Same(base(), s) {
		t.Fatal("equal content is not the same")
	}
	if m := base(); m["n"] != nil {
		m["n"] = int64(2)
		if !Same(m, s) {
			t.Fatal("int64 2 and number 2 are what NewStruct makes alike")
		}
	}
	for name, change := range map[string]func(map[string]any){
		"string":       func(m map[string]any) { m["s"] = "y" },
		"number":       func(m map[string]any) { m["n"] = float64(3) },
		"bool":         func(m map[string]any) { m["b"] = false },
		"null":         func(m map[string]any) { m["z"] = "" },
		"extra key":    func(m map[string]any) { m["new"] = "x" },
		"missing key":  func(m map[string]any) { delete(m, "s") },
		"nested":       func(m map[string]any) { m["m"].(map[string]any)["k"] = "w" },
		"list longer":  func(m map[string]any) { m["l"] = append(m["l"].([]any), "b") },
		"list element": func(m map[string]any) { m["l"].([]any)[0] = "b" },
		"type":         func(m map[string]any) { m["m"] = []any{} },
	} {
		m := base()
		change(m)
		if Same(m, s) {
			t.Errorf("%s: a changed object is the same", name)
		}
	}
}
