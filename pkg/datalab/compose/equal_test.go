package compose

import "testing"

func TestEqual(t *testing.T) {
	for name, c := range map[string]struct {
		a, b any
		want bool
	}{
		"numbers by value":      {map[string]any{"port": 53}, map[string]any{"port": 53.0}, true},
		"different numbers":     {[]any{int64(1)}, []any{2.0}, false},
		"a key more":            {map[string]any{"a": "x"}, map[string]any{"a": "x", "b": nil}, false},
		"order matters":         {[]any{"a", "b"}, []any{"b", "a"}, false},
		"number against string": {1, "1", false},
		"typed slices":          {[]string{"a"}, []string{"a"}, false},
		"empty and nil list":    {[]any(nil), []any{}, true},
	} {
		if got := Equal(c.a, c.b); got != c.want {
			t.Errorf("%s: got %v", name, got)
		}
	}
}
