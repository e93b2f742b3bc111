package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kube-openapi/pkg/validation/spec"
)

// Core kinds have no CRD; their schemas come from the API server's published
// OpenAPI v3 documents (one per group/version). kube-openapi's validator does
// not follow $ref, so each kind's schema is inlined once on first use.

const refPrefix = "#/components/schemas/"

// coreDoc is one OpenAPI v3 document with its component schemas.
type coreDoc struct {
	path    string
	schemas map[string]*spec.Schema

	mu       sync.Mutex
	expanded map[string]*spec.Schema // cache of fully inlined components
}

// coreKind is a top-level kind of a coreDoc.
type coreKind struct {
	doc    *coreDoc
	name   string // component schema name, e.g. io.k8s.api.core.v1.Secret
	scoped bool

	once      sync.Once
	schema    *spec.Schema
	validator apiservervalidation.SchemaValidator
}

// openAPIDoc is the part of an OpenAPI v3 document we read.
type openAPIDoc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]*spec.Schema `json:"schemas"`
	} `json:"components"`
}

type gvkJSON struct {
	Group   string `json:"group"`
	Version string `json:"version"`
	Kind    string `json:"kind"`
}

// loadCore registers the kinds of every *.json OpenAPI v3 document in dir.
// A missing dir is not an error: a CRD-only folder is still useful.
func (v *Validator) loadCore(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if err := v.loadCoreDoc(filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}

func (v *Validator) loadCoreDoc(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var d openAPIDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	doc := &coreDoc{path: path, schemas: d.Components.Schemas, expanded: map[string]*spec.Schema{}}

	// Which component schema is the body of which kind.
	byGVK := map[schema.GroupVersionKind]string{}
	for name, s := range d.Components.Schemas {
		for _, g := range schemaGVKs(s) {
			byGVK[g] = name
		}
	}

	// Resource kinds are those the paths serve; a kind is namespaced when it
	// is served below /namespaces/{namespace}/. This skips helper kinds such
	// as DeleteOptions, which carry a GVK for every group.
	served := map[schema.GroupVersionKind]bool{}
	pathKeys := make([]string, 0, len(d.Paths))
	for p := range d.Paths {
		pathKeys = append(pathKeys, p)
	}
	sort.Strings(pathKeys)
	for _, p := range pathKeys {
		for method, op := range d.Paths[p] {
			switch method {
			case "get", "put", "post", "delete", "patch":
			default:
				continue
			}
			var o struct {
				GVK *gvkJSON `json:"x-kubernetes-group-version-kind"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.GVK == nil {
				continue
			}
			g := schema.GroupVersionKind{Group: o.GVK.Group, Version: o.GVK.Version, Kind: o.GVK.Kind}
			served[g] = served[g] || strings.Contains(p, "/namespaces/{namespace}/")
		}
	}
	gvks := make([]schema.GroupVersionKind, 0, len(served))
	for g := range served {
		gvks = append(gvks, g)
	}
	sort.Slice(gvks, func(i, j int) bool { return gvkString(gvks[i]) < gvkString(gvks[j]) })
	for _, g := range gvks {
		name, ok := byGVK[g]
		if !ok {
			continue
		}
		if prev, dup := v.kinds[g]; dup {
			// Subresource kinds (autoscaling/v1 Scale, ...) appear in several
			// documents of the same release; the first one is as good.
			if _, isCore := prev.(*coreKind); isCore {
				continue
			}
		}
		if err := v.register(g, &coreKind{doc: doc, name: name, scoped: served[g]}, path+" ("+name+")"); err != nil {
			return err
		}
	}
	return nil
}

// schemaGVKs reads x-kubernetes-group-version-kind of a component schema.
func schemaGVKs(s *spec.Schema) []schema.GroupVersionKind {
	raw, ok := s.Extensions["x-kubernetes-group-version-kind"]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var gs []gvkJSON
	if err := json.Unmarshal(b, &gs); err != nil {
		return nil
	}
	out := make([]schema.GroupVersionKind, 0, len(gs))
	for _, g := range gs {
		out = append(out, schema.GroupVersionKind{Group: g.Group, Version: g.Version, Kind: g.Kind})
	}
	return out
}

func (k *coreKind) namespaced() bool { return k.scoped }

func (k *coreKind) build() {
	k.once.Do(func() {
		k.schema = k.doc.expandNamed(k.name, map[string]bool{})
		k.validator = apiservervalidation.NewSchemaValidatorFromOpenAPI(k.schema)
	})
}

// check validates a core object. metadata is left to the caller's loose
// check; nulls are dropped because the API server's Go decoder ignores them.
func (k *coreKind) check(obj map[string]any) []problem {
	k.build()
	delete(obj, "metadata")
	dropNulls(obj)
	ps := fieldProblems(apiservervalidation.ValidateCustomResource(nil, obj, k.validator))
	var unknown []string
	walkUnknown(nil, obj, k.schema, &unknown)
	return append(ps, unknownProblems(unknown)...)
}

// walkUnknown records fields of x that s does not declare. It follows the
// API server's decoding rules for typed objects: a property list closes the
// object unless additionalProperties is given; an object schema without
// properties (RawExtension, FieldsV1) accepts anything.
func walkUnknown(p *field.Path, x any, s *spec.Schema, out *[]string) {
	if s == nil {
		return
	}
	if keep, _ := s.Extensions.GetBool("x-kubernetes-preserve-unknown-fields"); keep {
		return
	}
	switch x := x.(type) {
	case map[string]any:
		if len(s.Properties) == 0 && s.AdditionalProperties == nil {
			return
		}
		for key, val := range x {
			if prop, ok := s.Properties[key]; ok {
				walkUnknown(p.Child(key), val, &prop, out)
				continue
			}
			if ap := s.AdditionalProperties; ap != nil {
				if ap.Schema != nil {
					walkUnknown(p.Key(key), val, ap.Schema, out)
					continue
				}
				if ap.Allows {
					continue
				}
			}
			*out = append(*out, p.Child(key).String())
		}
	case []any:
		if s.Items == nil || s.Items.Schema == nil {
			return
		}
		for i, val := range x {
			walkUnknown(p.Index(i), val, s.Items.Schema, out)
		}
	}
}

// expandNamed returns component name with every $ref inlined and allOf
// merged. Recursive references (none in the core documents) stop at an empty
// schema that accepts anything.
func (d *coreDoc) expandNamed(name string, stack map[string]bool) *spec.Schema {
	d.mu.Lock()
	if s, ok := d.expanded[name]; ok {
		d.mu.Unlock()
		return s
	}
	d.mu.Unlock()
	src, ok := d.schemas[name]
	if !ok || stack[name] {
		return &spec.Schema{}
	}
	stack[name] = true
	out := d.expand(src, stack)
	delete(stack, name)
	d.mu.Lock()
	d.expanded[name] = &out
	d.mu.Unlock()
	return &out
}

// expand returns a copy of s with references resolved. The copy shares no
// maps that are later written to; validators only read schemas.
func (d *coreDoc) expand(s *spec.Schema, stack map[string]bool) spec.Schema {
	if ref := s.Ref.String(); ref != "" {
		return *d.expandNamed(strings.TrimPrefix(ref, refPrefix), stack)
	}
	out := *s
	out.AllOf = nil
	if len(s.Properties) > 0 {
		out.Properties = make(map[string]spec.Schema, len(s.Properties))
		for k, p := range s.Properties {
			out.Properties[k] = d.expand(&p, stack)
		}
	}
	if ap := s.AdditionalProperties; ap != nil && ap.Schema != nil {
		e := d.expand(ap.Schema, stack)
		out.AdditionalProperties = &spec.SchemaOrBool{Allows: true, Schema: &e}
	}
	if it := s.Items; it != nil {
		n := &spec.SchemaOrArray{}
		if it.Schema != nil {
			e := d.expand(it.Schema, stack)
			n.Schema = &e
		}
		for i := range it.Schemas {
			n.Schemas = append(n.Schemas, d.expand(&it.Schemas[i], stack))
		}
		out.Items = n
	}
	out.OneOf = d.expandAll(s.OneOf, stack)
	out.AnyOf = d.expandAll(s.AnyOf, stack)
	if s.Not != nil {
		e := d.expand(s.Not, stack)
		out.Not = &e
	}
	for i := range s.AllOf {
		mergeInto(&out, d.expand(&s.AllOf[i], stack))
	}
	// Keep only the formats the API server checks in CRDs (date-time, byte,
	// ...); "int-or-string", "int32" and friends describe Go types and would
	// make the validator reject valid numbers.
	_ = apiservervalidation.StripUnsupportedFormatsPostProcess(&out)
	return out
}

func (d *coreDoc) expandAll(in []spec.Schema, stack map[string]bool) []spec.Schema {
	if in == nil {
		return nil
	}
	out := make([]spec.Schema, len(in))
	for i := range in {
		out[i] = d.expand(&in[i], stack)
	}
	return out
}

// mergeInto folds an allOf member into dst. In the Kubernetes documents
// allOf only wraps a single $ref (so siblings like description/default can
// be attached), so a field-wise union is exact.
func mergeInto(dst *spec.Schema, src spec.Schema) {
	if len(dst.Type) == 0 {
		dst.Type = src.Type
	}
	if dst.Format == "" {
		dst.Format = src.Format
	}
	dst.Nullable = dst.Nullable || src.Nullable
	if len(src.Properties) > 0 {
		props := make(map[string]spec.Schema, len(dst.Properties)+len(src.Properties))
		for k, p := range src.Properties {
			props[k] = p
		}
		for k, p := range dst.Properties {
			props[k] = p
		}
		dst.Properties = props
	}
	dst.Required = append(append([]string(nil), dst.Required...), src.Required...)
	if dst.Items == nil {
		dst.Items = src.Items
	}
	if dst.AdditionalProperties == nil {
		dst.AdditionalProperties = src.AdditionalProperties
	}
	if dst.Enum == nil {
		dst.Enum = src.Enum
	}
	if dst.Pattern == "" {
		dst.Pattern = src.Pattern
	}
	if dst.MaxLength == nil {
		dst.MaxLength = src.MaxLength
	}
	if dst.MinLength == nil {
		dst.MinLength = src.MinLength
	}
	if dst.Maximum == nil {
		dst.Maximum, dst.ExclusiveMaximum = src.Maximum, src.ExclusiveMaximum
	}
	if dst.Minimum == nil {
		dst.Minimum, dst.ExclusiveMinimum = src.Minimum, src.ExclusiveMinimum
	}
	if dst.MaxItems == nil {
		dst.MaxItems = src.MaxItems
	}
	if dst.MinItems == nil {
		dst.MinItems = src.MinItems
	}
	dst.OneOf = append(append([]spec.Schema(nil), dst.OneOf...), src.OneOf...)
	dst.AnyOf = append(append([]spec.Schema(nil), dst.AnyOf...), src.AnyOf...)
	if len(src.Extensions) > 0 {
		ext := spec.Extensions{}
		for k, e := range src.Extensions {
			ext[k] = e
		}
		for k, e := range dst.Extensions {
			ext[k] = e
		}
		dst.Extensions = ext
	}
}

// dropNulls removes null-valued object fields recursively.
func dropNulls(x any) {
	switch x := x.(type) {
	case map[string]any:
		for k, v := range x {
			if v == nil {
				delete(x, k)
				continue
			}
			dropNulls(v)
		}
	case []any:
		for _, v := range x {
			dropNulls(v)
		}
	}
}
