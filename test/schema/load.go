package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// envDir names the environment variable that overrides the schema folder, so
// CI and other checkouts can point the tests at their own copy.
const envDir = "DATALAB_CRDS"

// coreDir is the sub-folder of the schema folder holding the Kubernetes
// OpenAPI v3 documents for built-in kinds.
const coreDir = "core-openapi"

// Validator checks unstructured objects against the registered schemas. It is
// safe for concurrent use once loaded; AddXRD must not run concurrently with
// Validate.
type Validator struct {
	kinds map[schema.GroupVersionKind]kindSchema
	// origin records where each kind was registered from, to report clashes.
	origin map[schema.GroupVersionKind]string
}

// kindSchema is the schema of one apiVersion/kind, either a CRD version or a
// core OpenAPI component schema.
type kindSchema interface {
	namespaced() bool
	// check validates obj, a private normalized copy it may mutate, and returns
	// every problem found, unknown fields included. metadata has already been
	// checked by the caller.
	check(obj map[string]any) []problem
}

// DefaultDir returns the schema folder: $DATALAB_CRDS if set, else the first
// existing "shared/crds" found in a parent of the working directory (walking
// up from cwd and checking <dir>/shared/crds and <dir>/../shared/crds).
// ok=false when none exists; callers then t.Skip with a message.
func DefaultDir() (dir string, ok bool) {
	if d := os.Getenv(envDir); d != "" {
		return d, isDir(d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, c := range []string{
			filepath.Join(d, "shared", "crds"),
			filepath.Join(d, "..", "shared", "crds"),
		} {
			if isDir(c) {
				return filepath.Clean(c), true
			}
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// Load parses every CRD under dir (recursively, *.yaml/*.yml, multi-doc aware,
// skipping documents that are not apiextensions.k8s.io/v1 CRDs) and the core
// OpenAPI documents under dir/core-openapi. Schemas are compiled lazily on
// first use, so a Validator for a large folder is cheap to create.
func Load(dir string) (*Validator, error) {
	if !isDir(dir) {
		return nil, fmt.Errorf("schema folder %q does not exist", dir)
	}
	v := &Validator{
		kinds:  map[schema.GroupVersionKind]kindSchema{},
		origin: map[schema.GroupVersionKind]string{},
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walking %s: %w", dir, err)
	}
	sort.Strings(files)
	for _, f := range files {
		if err := v.loadCRDFile(f); err != nil {
			return nil, err
		}
	}
	if err := v.loadCore(filepath.Join(dir, coreDir)); err != nil {
		return nil, err
	}
	return v, nil
}

// loadCRDFile registers every CRD document of one YAML file.
func (v *Validator) loadCRDFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := utilyaml.NewYAMLReader(bufio.NewReader(f))
	for i := 0; ; i++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: reading document %d: %w", path, i, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		// Convert once; YAML parsing dominates Load's time.
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			continue // not YAML we understand (e.g. a template); not a CRD
		}
		var tm struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := json.Unmarshal(js, &tm); err != nil {
			continue // not a Kubernetes object (e.g. a list of Helm values)
		}
		if tm.APIVersion != apiextensionsv1.SchemeGroupVersion.String() || tm.Kind != "CustomResourceDefinition" {
			continue
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := json.Unmarshal(js, crd); err != nil {
			return fmt.Errorf("%s: document %d: %w", path, i, err)
		}
		if err := v.addCRD(crd, fmt.Sprintf("%s (CRD %s)", path, crd.Name)); err != nil {
			return err
		}
	}
}

// register adds one kind, refusing a second schema for the same
// apiVersion/kind: silently picking one would make results depend on file
// order (e.g. standard vs experimental Gateway API channel).
func (v *Validator) register(gvk schema.GroupVersionKind, k kindSchema, origin string) error {
	if prev, ok := v.origin[gvk]; ok {
		return fmt.Errorf("two schemas for %s: %s and %s", gvkString(gvk), prev, origin)
	}
	v.kinds[gvk] = k
	v.origin[gvk] = origin
	return nil
}

// lookup returns the schema registered for apiVersion/kind.
func (v *Validator) lookup(apiVersion, kind string) (kindSchema, bool) {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, false
	}
	k, ok := v.kinds[gv.WithKind(kind)]
	return k, ok
}

// Scope reports whether apiVersion/kind is namespaced; known=false when no
// schema is registered for it.
func (v *Validator) Scope(apiVersion, kind string) (namespaced bool, known bool) {
	k, ok := v.lookup(apiVersion, kind)
	if !ok {
		return false, false
	}
	return k.namespaced(), true
}

func gvkString(gvk schema.GroupVersionKind) string {
	return gvk.GroupVersion().String() + " " + gvk.Kind
}
