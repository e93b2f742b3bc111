package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// schema is the part of an OpenAPI v3 schema the reference shows.
type schema struct {
	Type                 string             `json:"type"`
	Description          string             `json:"description"`
	Default              json.RawMessage    `json:"default"`
	Enum                 []any              `json:"enum"`
	Pattern              string             `json:"pattern"`
	Format               string             `json:"format"`
	MinLength            *int               `json:"minLength"`
	MaxLength            *int               `json:"maxLength"`
	MaxItems             *int               `json:"maxItems"`
	MaxProperties        *int               `json:"maxProperties"`
	Required             []string           `json:"required"`
	Properties           map[string]*schema `json:"properties"`
	Items                *schema            `json:"items"`
	AdditionalProperties *schema            `json:"additionalProperties"`
	Validations          []struct {
		Message string `json:"message"`
	} `json:"x-kubernetes-validations"`
}

type xrd struct {
	Spec struct {
		Group string
		Names struct{ Kind string }
		Scope string
		// Versions of the API, in the XRD's order.
		Versions []struct {
			Name   string
			Served bool
			Schema struct {
				OpenAPIV3Schema schema `json:"openAPIV3Schema"`
			}
		}
	}
}

// Generate renders the reference of every served version.
func Generate(xrdYAML []byte) ([]byte, error) {
	var x xrd
	if err := yaml.Unmarshal(xrdYAML, &x); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s API reference\n\n", x.Spec.Names.Kind)
	fmt.Fprintf(&b, "Generated from `package/xrd.yaml` by `hack/apidocs` (`make docs`); do not edit by hand.\n")
	for _, v := range x.Spec.Versions {
		if !v.Served {
			continue
		}
		root := v.Schema.OpenAPIV3Schema
		fmt.Fprintf(&b, "\n## %s/%s %s (%s)\n\n%s\n", x.Spec.Group, v.Name, x.Spec.Names.Kind, x.Spec.Scope, oneLine(root.Description))
		for _, top := range []string{"spec", "status"} {
			s := root.Properties[top]
			if s == nil {
				continue
			}
			fmt.Fprintf(&b, "\n### `.%s`\n\n%s\n\n| Field | Type | Constraints | Description |\n|---|---|---|---|\n", top, oneLine(s.Description))
			rows(&b, "."+top, s)
		}
	}
	return b.Bytes(), nil
}

// rows writes one row per field below s, depth first, in name order.
func rows(b *bytes.Buffer, path string, s *schema) {
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		c := s.Properties[name]
		p := path + "." + name
		cons := constraints(c)
		if slices.Contains(s.Required, name) {
			cons = strings.TrimSuffix("required; "+cons, "; ")
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", p, typeOf(c), cons, cell(c.Description))
		walk(b, p, c)
	}
}

func walk(b *bytes.Buffer, p string, c *schema) {
	switch {
	case c.Items != nil && len(c.Items.Properties) > 0:
		rows(b, p+"[]", c.Items)
	case c.AdditionalProperties != nil && len(c.AdditionalProperties.Properties) > 0:
		rows(b, p+"[*]", c.AdditionalProperties)
	case len(c.Properties) > 0:
		rows(b, p, c)
	}
}

func typeOf(s *schema) string {
	switch {
	case s.Type == "array" && s.Items != nil:
		return "[]" + typeOf(s.Items)
	case s.Type == "object" && s.AdditionalProperties != nil:
		return "map[string]" + typeOf(s.AdditionalProperties)
	case s.Format != "":
		return s.Type + " (" + s.Format + ")"
	}
	return s.Type
}

func constraints(s *schema) string {
	var out []string
	if len(s.Default) > 0 {
		out = append(out, "default `"+string(s.Default)+"`")
	}
	if len(s.Enum) > 0 {
		var vs []string
		for _, e := range s.Enum {
			vs = append(vs, fmt.Sprint(e))
		}
		out = append(out, "one of `"+strings.Join(vs, "`, `")+"`")
	}
	for _, l := range []struct {
		what string
		n    *int
	}{{"min length", s.MinLength}, {"max length", s.MaxLength}, {"max items", s.MaxItems}, {"max entries", s.MaxProperties}} {
		if l.n != nil {
			out = append(out, fmt.Sprintf("%s %d", l.what, *l.n))
		}
	}
	if s.Pattern != "" {
		out = append(out, "pattern `"+strings.ReplaceAll(s.Pattern, "|", `\|`)+"`")
	}
	for _, v := range s.Validations {
		out = append(out, cell(v.Message))
	}
	return strings.Join(out, "; ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }
