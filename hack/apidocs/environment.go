package main

import (
	"bytes"
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// EnvironmentReference renders every key of the example EnvironmentConfig
// (examples/environment.yaml, where each key carries a comment saying what
// it does) as a table: key, type, the example's value and the comment.
func EnvironmentReference(envYAML []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(envYAML, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("empty document")
	}
	data := mapValue(doc.Content[0], "data")
	if data == nil {
		return nil, fmt.Errorf("no data")
	}
	var b bytes.Buffer
	b.WriteString("# EnvironmentConfig reference\n\n")
	b.WriteString("Generated from `examples/environment.yaml` by `hack/apidocs` (`make docs`); do not edit by hand.\n")
	b.WriteString("Every key of `EnvironmentConfig.data` the functions read, with its type, the example's value\n")
	b.WriteString("and what it does (defaults are in the description). A test fails when a key the functions\n")
	b.WriteString("read is missing from the example, so this table is complete.\n\n")
	b.WriteString("| Key | Type | Example | Effect |\n|---|---|---|---|\n")
	envRows(&b, "", data, "")
	return b.Bytes(), nil
}

// EnvironmentKeys lists the key paths of the example's data, each with its
// comment.
func EnvironmentKeys(envYAML []byte) (map[string]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(envYAML, &doc); err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := prefix + n.Content[i].Value
			out[p] = cleanComment(n.Content[i].HeadComment)
			v := n.Content[i+1]
			if v.Kind == yaml.SequenceNode && len(v.Content) > 0 && v.Content[0].Kind == yaml.MappingNode {
				walk(p+"[].", v.Content[0])
			}
			walk(p+".", v)
		}
	}
	if len(doc.Content) > 0 {
		if data := mapValue(doc.Content[0], "data"); data != nil {
			walk("", data)
		}
	}
	return out, nil
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// envRows writes one row per key, depth first in the example's order; a
// parent's comment applies to keys that have none of their own.
func envRows(b *bytes.Buffer, prefix string, n *yaml.Node, inherited string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := prefix + k.Value
		comment := cleanComment(k.HeadComment)
		if comment == "" && inherited != "" {
			comment = "An entry of `" + strings.TrimSuffix(prefix, ".") + "` (see there)."
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", p, kindOf(v), example(v), cell(comment))
		switch {
		case v.Kind == yaml.MappingNode:
			envRows(b, p+".", v, comment)
		case v.Kind == yaml.SequenceNode && len(v.Content) > 0 && v.Content[0].Kind == yaml.MappingNode:
			envRows(b, p+"[].", v.Content[0], comment)
		}
	}
}

func cleanComment(c string) string {
	var lines []string
	for _, l := range strings.Split(c, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "#"))
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " ")
}

func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		if len(n.Content) > 0 {
			return "[]" + kindOf(n.Content[0])
		}
		return "list"
	}
	switch n.Tag {
	case "!!int":
		return "integer"
	case "!!bool":
		return "boolean"
	}
	return "string"
}

func example(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == "" {
			return `""`
		}
		return "`" + strings.ReplaceAll(n.Value, "|", `\|`) + "`"
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return "`[]`"
		}
		if n.Content[0].Kind == yaml.ScalarNode {
			var vs []string
			for _, c := range n.Content {
				vs = append(vs, c.Value)
			}
			return "`" + strings.ReplaceAll(strings.Join(vs, ", "), "|", `\|`) + "`"
		}
	}
	return ""
}
