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

// TestObservedOnlyThroughTheirReader: the functions decode observed
// composed resources only when read (observed.Unmarshal), so a request's
// observed resources are empty to anything but observed.Resources. Code
// that read them another way (the SDK's request.GetObservedComposedResources,
// req.Observed.Resources) would see nothing observed, and a step that
// sees nothing observed may let stateful objects go. This test keeps such
// reads out of the functions.
func TestObservedOnlyThroughTheirReader(t *testing.T) {
	root := rootDir(t)
	allowed := []string{"pkg/datalab/observed/", "pkg/datalab/fntest/"}
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
				case sel.Sel.Name == "GetObservedComposedResources" || sel.Sel.Name == "GetObservedComposedResource":
				case sel.Sel.Name == "Resources" || sel.Sel.Name == "GetResources":
					if !observedState(sel.X) {
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
	if len(found) > 0 {
		t.Fatalf("observed composed resources read around observed.Resources (use pipeline.Input.Observed):\n%s", strings.Join(found, "\n"))
	}
}

// observedState: x is req.Observed or req.GetObserved().
func observedState(x ast.Expr) bool {
	switch e := x.(type) {
	case *ast.SelectorExpr:
		return e.Sel.Name == "Observed"
	case *ast.CallExpr:
		s, ok := e.Fun.(*ast.SelectorExpr)
		return ok && s.Sel.Name == "GetObserved"
	}
	return false
}
