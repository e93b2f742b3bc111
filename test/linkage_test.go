package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// heavyPackages are what no function binary may link. function-sdk-go's
// resource packages reach crossplane-runtime's resource interfaces,
// controller-runtime's client and client-go's scheme of every k8s.io/api
// group: twice the binary and about 13 MiB more resident memory in every
// function process, for a string type and two structs. pkg/datalab's
// resource, request and response packages serve the steps instead.
var heavyPackages = []string{
	"github.com/crossplane/function-sdk-go/resource",
	"github.com/crossplane/function-sdk-go/request",
	"github.com/crossplane/function-sdk-go/response",
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource",
	"sigs.k8s.io/controller-runtime/",
	"k8s.io/client-go/",
}

// TestFunctionsLinkNoClientGo lists every function's dependencies as
// `go build` links them.
func TestFunctionsLinkNoClientGo(t *testing.T) {
	root := rootDir(t)
	dirs, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		cmd := exec.Command("go", "list", "-deps", ".")
		cmd.Dir = filepath.Join(root, "functions", d.Name())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", d.Name(), err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, heavy := range heavyPackages {
				if dep == heavy || strings.HasSuffix(heavy, "/") && strings.HasPrefix(dep, heavy) {
					t.Errorf("function-%s links %s", d.Name(), dep)
				}
			}
		}
	}
}
