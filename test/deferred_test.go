package test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestComposedOnlyThroughTheirReaders: the functions decode the composed
// resources of a request's observed and desired states only when read
// (wire.Unmarshal), so the States' own maps are empty to anything but
// their readers: observed.Resources, and package desired. Code that read
// them another way (the SDK's request.GetObservedComposedResources,
// req.Observed.Resources, req.Desired.Resources) would see nothing, and a
// step that sees nothing may let stateful objects go. This test keeps
// such reads out of the functions.
func TestComposedOnlyThroughTheirReaders(t *testing.T) {
	for _, c := range []struct {
		state, getter, reader string
		// allowed are the packages and files that read the map itself:
		// the readers, the test helpers, and the response side that adds
		// to a step's own desired state.
		allowed []string
	}{
		{"Observed", "GetObserved", "observed.Resources (pipeline.Input.Observed)", []string{"pkg/datalab/observed/", "pkg/datalab/fntest/"}},
		{"Desired", "GetDesired", "package desired", []string{"pkg/datalab/desired/", "pkg/datalab/fntest/", "pkg/datalab/pipeline/convert.go"}},
	} {
		if found := readsAround(t, c.state, c.getter, c.allowed); len(found) > 0 {
			t.Errorf("%s composed resources read around %s:\n%s", strings.ToLower(c.state), c.reader, strings.Join(found, "\n"))
		}
	}
}

// readsAround lists the places in functions/ and pkg/ (tests aside) that
// read x.<state>.Resources or x.<getter>().GetResources(), or call the
// SDK's request.Get<state>ComposedResources.
func readsAround(t *testing.T, state, getter string, allowed []string) []string {
	root := rootDir(t)
	var found []string
	for _, dir := range []string{"functions", "pkg"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			for _, a := range allowed {
				if strings.HasPrefix(filepath.ToSlash(rel), a) {
					return nil
				}
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				switch {
				case state == "Observed" && strings.HasPrefix(sel.Sel.Name, "GetObservedComposedResource"):
				case sel.Sel.Name == "Resources" || sel.Sel.Name == "GetResources":
					if !isState(sel.X, state, getter) {
						return true
					}
				default:
					return true
				}
				found = append(found, fset.Position(sel.Pos()).String())
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

// isState: x is req.<state> or req.<getter>().
func isState(x ast.Expr, state, getter string) bool {
	switch e := x.(type) {
	case *ast.SelectorExpr:
		return e.Sel.Name == state
	case *ast.CallExpr:
		s, ok := e.Fun.(*ast.SelectorExpr)
		return ok && s.Sel.Name == getter
	}
	return false
}
