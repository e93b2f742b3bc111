package test

import (
	"os"
	"sync"
	"testing"

	"github.com/versioneer-tech/provider-datalab/test/render"
)

// One set of function processes serves every render test of the package:
// building and starting them is the slow part.
var shared struct {
	once sync.Once
	env  *render.Env
	err  error
}

func renderEnv(t *testing.T, root string) *render.Env {
	t.Helper()
	shared.once.Do(func() { shared.env, shared.err = render.Start(root, render.Available(root)) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.env
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.env != nil {
		shared.env.Close()
	}
	os.Exit(code)
}

// rootDir is the repository root.
func rootDir(t *testing.T) string {
	t.Helper()
	wd, _ := os.Getwd()
	root, err := render.Root(wd)
	if err != nil {
		t.Fatal(err)
	}
	return root
}
