package test

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xpkg"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/test/render"
)

// packageDir is where `make xpkg` writes the packages.
func packageDir(t *testing.T) (root, dir, version string) {
	t.Helper()
	root = rootDir(t)
	b, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	return root, filepath.Join(root, "_output", "xpkg"), strings.TrimSpace(string(b))
}

// yamlDocs splits a multi-document YAML file into objects.
func yamlDocs(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, doc := range strings.Split("\n"+string(b), "\n---") {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatal(err)
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

func str(m map[string]any, path ...string) string {
	var cur any = m
	for _, p := range path {
		mm, _ := cur.(map[string]any)
		cur = mm[p]
	}
	s, _ := cur.(string)
	return s
}

// TestFunctionNamesResolve: Crossplane v2.4 names a Function it installs
// as a Configuration dependency xpkg.ToDNSLabel(<repository of the
// package reference>) (internal/controller/pkg/resolver, NewPackage); the
// Composition must reference exactly those names, and the dependencies
// must ask for the version `make xpkg` builds.
func TestFunctionNamesResolve(t *testing.T) {
	root, _, version := packageDir(t)
	b, err := os.ReadFile(filepath.Join(root, "package", "crossplane.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Spec struct {
			DependsOn []struct{ Kind, Package, Version string } `json:"dependsOn"`
		}
	}
	if err := yaml.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	installed := map[string]bool{}
	for _, d := range meta.Spec.DependsOn {
		if d.Kind != "Function" {
			continue
		}
		ref, err := name.ParseReference(d.Package)
		if err != nil {
			t.Fatalf("dependency %s: %v", d.Package, err)
		}
		n := xpkg.ToDNSLabel(ref.Context().RepositoryStr())
		installed[n] = true
		if d.Version != version {
			t.Errorf("dependency %s asks for %s, make xpkg builds %s", d.Package, d.Version, version)
		}
		if !strings.HasPrefix(d.Package, render.PackageRepository+"/function-") {
			t.Errorf("dependency %s is not published under %s", d.Package, render.PackageRepository)
		}
		step := strings.TrimPrefix(d.Package, render.PackageRepository+"/function-")
		if n != render.FunctionName(step) {
			t.Errorf("the render harness names step %s %q, Crossplane %q", step, render.FunctionName(step), n)
		}
	}
	comp, err := os.ReadFile(filepath.Join(root, "package", "composition.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Spec struct {
			Pipeline []struct {
				Step        string
				FunctionRef struct{ Name string } `json:"functionRef"`
			}
		}
	}
	if err := yaml.Unmarshal(comp, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Spec.Pipeline) != len(installed) {
		t.Errorf("%d pipeline steps, %d Function dependencies", len(c.Spec.Pipeline), len(installed))
	}
	for _, s := range c.Spec.Pipeline {
		if !installed[s.FunctionRef.Name] {
			t.Errorf("step %s references Function %q, which no dependency installs (Crossplane installs %v)", s.Step, s.FunctionRef.Name, installed)
		}
	}
}

// TestPackages opens every package `make xpkg` built and checks what is
// inside: the package metadata and objects, and for Functions the runtime
// image (static binary as entrypoint, non-root user, architecture, port).
func TestPackages(t *testing.T) {
	root, dir, version := packageDir(t)
	if _, err := os.Stat(dir); err != nil {
		t.Skip("no packages built: run make xpkg (make test does)")
	}
	fns := render.Available(root)
	for _, f := range fns {
		t.Run("function-"+f, func(t *testing.T) {
			img, err := tarball.ImageFromPath(filepath.Join(dir, "function-"+f+"-"+version+".xpkg"), nil)
			if err != nil {
				t.Fatal(err)
			}
			files := imageFiles(t, img)
			docs := yamlDocs(t, files["package.yaml"])
			if len(docs) != 1 || str(docs[0], "kind") != "Function" || str(docs[0], "apiVersion") != "meta.pkg.crossplane.io/v1beta1" || str(docs[0], "metadata", "name") != "function-"+f {
				t.Fatalf("package.yaml is not the Function function-%s alone: %v", f, docs)
			}
			cfg, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(cfg.Config.Entrypoint, []string{"/function"}) || cfg.Config.User != "65532:65532" ||
				cfg.OS != "linux" || cfg.Architecture != "amd64" {
				t.Fatalf("runtime image: entrypoint %v, user %q, platform %s/%s", cfg.Config.Entrypoint, cfg.Config.User, cfg.OS, cfg.Architecture)
			}
			if _, ok := cfg.Config.ExposedPorts["9443/tcp"]; !ok {
				t.Errorf("the image exposes %v, not the gRPC port 9443", cfg.Config.ExposedPorts)
			}
			bin, ok := files["function"]
			if !ok {
				t.Fatal("no /function in the image")
			}
			e, err := elf.NewFile(bytes.NewReader(bin))
			if err != nil {
				t.Fatalf("/function is not an ELF binary: %v", err)
			}
			for _, p := range e.Progs {
				if p.Type == elf.PT_INTERP {
					t.Fatal("/function is dynamically linked; the image has no libc")
				}
			}
		})
	}
	t.Run("configuration", func(t *testing.T) {
		img, err := tarball.ImageFromPath(filepath.Join(dir, "configuration-"+version+".xpkg"), nil)
		if err != nil {
			t.Fatal(err)
		}
		files := imageFiles(t, img)
		var kinds []string
		for _, d := range yamlDocs(t, files["package.yaml"]) {
			kinds = append(kinds, str(d, "kind")+"/"+str(d, "metadata", "name"))
		}
		slices.Sort(kinds)
		want := []string{"CompositeResourceDefinition/datalabs.pkg.internal", "Composition/datalab-educates", "Configuration/datalab-educates"}
		if !slices.Equal(kinds, want) {
			t.Fatalf("the Configuration package holds %v, want %v", kinds, want)
		}
	})
}

// imageFiles reads the regular files of an image's layers.
func imageFiles(t *testing.T, img v1.Image) map[string][]byte {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Typeflag == tar.TypeReg {
				b, err := io.ReadAll(tr)
				if err != nil {
					t.Fatal(err)
				}
				out[strings.TrimPrefix(h.Name, "/")] = b
			}
		}
		rc.Close()
	}
	return out
}
