package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Error is one problem found in an object. Location names the object (and the
// objects it is nested in), e.g. "Object default/foo > Workshop bar"; Field is
// the path inside the innermost object, empty for object-level problems.
type Error struct {
	Location string
	Field    string
	Detail   string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Location + ": " + e.Detail
	}
	return e.Location + ": " + e.Field + ": " + e.Detail
}

// problem is an Error before its location is known.
type problem struct {
	field  string
	detail string
}

// fieldProblems converts apimachinery field errors, keeping their wording
// ("Required value", "Unsupported value: ...") so messages read like the API
// server's.
func fieldProblems(errs field.ErrorList) []problem {
	out := make([]problem, 0, len(errs))
	for _, e := range errs {
		f := e.Field
		if f == "<nil>" {
			f = ""
		}
		out = append(out, problem{field: f, detail: e.ErrorBody()})
	}
	return out
}

// unknownProblems reports fields the API server would drop.
func unknownProblems(paths []string) []problem {
	out := make([]problem, 0, len(paths))
	for _, p := range paths {
		out = append(out, problem{field: p, detail: "unknown field (not in the schema; the API server would prune it)"})
	}
	return out
}

// Validate checks one object (as an unstructured map) and returns every
// problem found, sorted, each an *Error. It descends into nested manifests
// (see nested.go) and validates them too. obj is not modified.
func (v *Validator) Validate(obj map[string]any) []error {
	var errs []*Error
	v.validateAt("", "", obj, &errs)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	out := make([]error, 0, len(errs))
	for i, e := range errs {
		if i > 0 && e.Error() == errs[i-1].Error() {
			continue
		}
		out = append(out, e)
	}
	return out
}

// validateAt checks obj, found at path where inside its parent, reporting
// under "parent > label(obj)", then recurses into its nested manifests.
func (v *Validator) validateAt(parent, where string, obj map[string]any, errs *[]*Error) {
	obj = normalize(obj).(map[string]any)
	loc := label(obj, where)
	if parent != "" {
		loc = parent + " > " + loc
	}
	report := func(ps []problem) {
		for _, p := range ps {
			*errs = append(*errs, &Error{Location: loc, Field: p.field, Detail: p.detail})
		}
	}

	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	if apiVersion == "" || kind == "" {
		report([]problem{{detail: "apiVersion and kind must be non-empty strings"}})
		return
	}
	k, ok := v.lookup(apiVersion, kind)
	if !ok {
		report([]problem{{detail: fmt.Sprintf("no schema for apiVersion %q kind %q", apiVersion, kind)}})
		return
	}

	// check mutates its input (pruning, defaulting) like the API server
	// does, so it gets a copy; nested manifests come from the untouched one.
	inner := nestedManifests(apiVersion, kind, obj)
	cp := normalize(obj).(map[string]any)
	report(checkMetadata(cp))
	report(k.check(cp))

	for _, n := range inner {
		m, ok := n.value.(map[string]any)
		if !ok {
			report([]problem{{field: n.path, detail: "nested manifest must be an object"}})
			continue
		}
		v.validateAt(loc, n.path, m, errs)
	}
}

// label names an object for error locations: "Kind namespace/name", or with
// the path it was found at when it has no name.
func label(obj map[string]any, where string) string {
	kind, _ := obj["kind"].(string)
	if kind == "" {
		kind = "<no kind>"
	}
	var name, ns string
	if md, ok := obj["metadata"].(map[string]any); ok {
		name, _ = md["name"].(string)
		if name == "" {
			name, _ = md["generateName"].(string)
		}
		ns, _ = md["namespace"].(string)
	}
	switch {
	case name != "" && ns != "":
		return kind + " " + ns + "/" + name
	case name != "":
		return kind + " " + name
	case where != "":
		return kind + " (" + where + ")"
	default:
		return kind + " <unnamed>"
	}
}

// metadataStrings are the ObjectMeta fields rendered objects set that must be
// strings; checked one by one for readable errors.
var metadataStrings = []string{"name", "namespace", "generateName"}

// checkMetadata validates metadata loosely as ObjectMeta: shape and types,
// plus fields ObjectMeta does not have. Value syntax (DNS names, label
// format) is deliberately not checked; see the package doc.
func checkMetadata(obj map[string]any) []problem {
	raw, found := obj["metadata"]
	if !found || raw == nil {
		return nil
	}
	md, ok := raw.(map[string]any)
	if !ok {
		return []problem{{field: "metadata", detail: fmt.Sprintf("must be an object, got %s", jsonType(raw))}}
	}
	p := field.NewPath("metadata")
	var ps []problem
	for _, f := range metadataStrings {
		if val, ok := md[f]; ok && val != nil {
			if _, isString := val.(string); !isString {
				ps = append(ps, problem{field: p.Child(f).String(), detail: fmt.Sprintf("must be a string, got %s", jsonType(val))})
			}
		}
	}
	for _, f := range []string{"labels", "annotations"} {
		val, ok := md[f]
		if !ok || val == nil {
			continue
		}
		m, isMap := val.(map[string]any)
		if !isMap {
			ps = append(ps, problem{field: p.Child(f).String(), detail: fmt.Sprintf("must be a map of strings, got %s", jsonType(val))})
			continue
		}
		for key, s := range m {
			if _, isString := s.(string); !isString {
				ps = append(ps, problem{field: p.Child(f).Key(key).String(), detail: fmt.Sprintf("must be a string, got %s", jsonType(s))})
			}
		}
	}
	// Strict decoding into metav1.ObjectMeta finds unknown fields and any
	// other malformed standard field, exactly as the CRD handler does.
	_, _, unknown, err := schemaobjectmeta.GetObjectMetaWithOptions(obj, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil && len(ps) == 0 {
		ps = append(ps, problem{field: "metadata", detail: err.Error()})
	}
	return append(ps, unknownProblems(unknown)...)
}

// jsonType names the JSON type of a normalized value for messages.
func jsonType(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case int64:
		return "integer"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", x)
}

// normalize deep-copies x into the JSON shapes the API server works with:
// map[string]any, []any, string, bool, int64 for integral numbers, float64
// otherwise. YAML decoders hand out float64 for every number and tests may
// build maps with Go ints; the validators and CEL expect int64.
func normalize(x any) any {
	switch x := x.(type) {
	case nil, string, bool, int64:
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, v := range x {
			out[k] = normalize(v)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = normalize(v)
		}
		return out
	case float64:
		return normalizeFloat(x)
	case float32:
		return normalizeFloat(float64(x))
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return normalizeFloat(f)
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if rv.Uint() <= math.MaxInt64 {
			return int64(rv.Uint())
		}
		return float64(rv.Uint())
	}
	// Anything else (typed maps/slices, structs): go through JSON.
	b, err := json.Marshal(x)
	if err != nil {
		return fmt.Sprintf("<unserializable %T>", x)
	}
	var out any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return fmt.Sprintf("<unserializable %T>", x)
	}
	return normalize(out)
}

func normalizeFloat(f float64) any {
	if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 && !math.IsInf(f, 0) {
		return int64(f)
	}
	return f
}
