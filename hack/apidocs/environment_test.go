package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

// TestEnvironmentReferenceIsCompleteAndCurrent: every key the functions
// read (the JSON fields of environment.Config) appears, with a comment, in
// examples/environment.yaml, and docs/environment-reference.md is what
// hack/apidocs generates from it.
func TestEnvironmentReferenceIsCompleteAndCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	env, err := os.ReadFile(filepath.Join(root, "examples", "environment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	documented, err := EnvironmentKeys(env)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, k := range configKeys("", reflect.TypeOf(environment.Config{})) {
		if _, ok := documented[k]; ok {
			continue
		}
		// Fields of list items the example leaves empty are documented
		// in the list's comment.
		if list, field, ok := strings.Cut(k, "[]."); ok && strings.Contains(documented[list], field) {
			continue
		}
		missing = append(missing, k)
	}
	if len(missing) > 0 {
		t.Errorf("keys the functions read but examples/environment.yaml does not document: %s", strings.Join(missing, ", "))
	}
	want, err := EnvironmentReference(env)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "docs", "environment-reference.md"))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatal("docs/environment-reference.md is stale: run make docs and commit it")
	}
	for _, line := range strings.Split(string(want), "\n") {
		if strings.HasPrefix(line, "| `") && strings.HasSuffix(line, "|  |") {
			t.Errorf("a key without a description: %s", line)
		}
	}
}

// configKeys lists the JSON paths of a Config type's fields; maps and
// free-form values (operator-defined keys) end the path.
func configKeys(prefix string, typ reflect.Type) []string {
	var out []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		p := prefix + name
		out = append(out, p)
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct && !strings.HasPrefix(ft.PkgPath(), "k8s.io"):
			out = append(out, configKeys(p+".", ft)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			out = append(out, configKeys(p+"[].", ft.Elem())...)
		}
	}
	slices.Sort(out)
	return out
}
