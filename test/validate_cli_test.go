package test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrossplaneValidate runs the Crossplane CLI's own offline validator
// (`crossplane resource validate`, the CLI v2 spelling of `crossplane beta
// validate`) over what an operator and a tenant apply: the install set, the
// package's XRD and Composition, and every example, against ../shared/crds
// and the package's XRD. Missing schemas are errors.
func TestCrossplaneValidate(t *testing.T) {
	root, dir := rootAndCRDs(t, "the CLI validation is")
	cli := filepath.Join(root, ".bin", "crossplane")
	if _, err := os.Stat(cli); err != nil {
		t.Skip("the Crossplane CLI is not built: run make tools (make test does)")
	}
	tmp := t.TempDir()
	ext, res := filepath.Join(tmp, "extensions"), filepath.Join(tmp, "resources")
	for _, d := range []string{ext, res} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyTo := func(to string, files ...string) {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, f)
			if err := os.WriteFile(filepath.Join(to, strings.ReplaceAll(rel, "/", "_")), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	crds, _ := filepath.Glob(filepath.Join(dir, "*", "*.yaml"))
	copyTo(ext, crds...)
	copyTo(ext, filepath.Join(root, "package", "xrd.yaml"))
	install, _ := filepath.Glob(filepath.Join(root, "install", "*.yaml"))
	examples, _ := filepath.Glob(filepath.Join(root, "examples", "*.yaml"))
	required, _ := filepath.Glob(filepath.Join(root, "examples", "required", "*.yaml"))
	copyTo(res, install...)
	copyTo(res, examples...)
	copyTo(res, required...)
	copyTo(res, filepath.Join(root, "package", "xrd.yaml"), filepath.Join(root, "package", "composition.yaml"))

	cmd := exec.Command(cli, "resource", "validate", ext, res, "--crossplane-image=", "--cache-dir="+filepath.Join(tmp, "cache"), "--error-on-missing-schemas")
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("crossplane resource validate: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), " 0 failure cases") {
		t.Fatalf("unexpected output:\n%s", out.String())
	}
	t.Log(strings.TrimSpace(out.String()[strings.LastIndex(out.String(), "Total"):]))
}
