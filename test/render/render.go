// Package render runs `crossplane composition render` against our own
// function binaries, started locally in Crossplane's Development runtime:
// no Docker and no cluster. `make render` and the golden tests share it.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

// Functions are the pipeline steps in their default order.
var Functions = []string{"runtime", "storage", "identity", "backends", "policy"}

// Env is a set of running function binaries and the Crossplane CLI.
type Env struct {
	Root  string
	CLI   string
	Core  string
	bin   string
	ports map[string]int
	procs []*exec.Cmd
}

// Root finds the repository root (the folder holding go.work) from dir.
func Root(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.work above " + dir)
		}
	}
}

// Available lists the functions that exist in this checkout, narrowed to
// those named in $DATALAB_FUNCTIONS (space or comma separated) when set, so
// work on one function can render without building the others.
func Available(root string) []string {
	only := map[string]bool{}
	for _, f := range strings.FieldsFunc(os.Getenv("DATALAB_FUNCTIONS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		only[f] = true
	}
	var out []string
	for _, f := range Functions {
		if len(only) > 0 && !only[f] {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "functions", f, "main.go")); err == nil {
			out = append(out, f)
		}
	}
	return out
}

// Start builds and starts the given functions and checks the Crossplane
// binaries built by `make tools` exist.
func Start(root string, fns []string) (*Env, error) {
	e := &Env{
		Root:  root,
		CLI:   filepath.Join(root, ".bin", "crossplane"),
		Core:  filepath.Join(root, ".bin", "crossplane-core"),
		ports: map[string]int{},
	}
	for _, b := range []string{e.CLI, e.Core} {
		if _, err := os.Stat(b); err != nil {
			return nil, fmt.Errorf("%s is missing: run `make tools` first", b)
		}
	}
	// Each Env builds into its own folder: concurrent test runs must not
	// overwrite each other's binaries.
	bin, err := os.MkdirTemp("", "datalab-functions-")
	if err != nil {
		return nil, err
	}
	e.bin = bin
	for _, f := range fns {
		bin := filepath.Join(e.bin, "function-"+f)
		build := exec.Command("go", "build", "-o", bin, "./functions/"+f)
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("building function-%s: %v\n%s", f, err, out)
		}
	}
	for _, f := range fns {
		port, err := freePort()
		if err != nil {
			e.Close()
			return nil, err
		}
		cmd := exec.Command(filepath.Join(e.bin, "function-"+f),
			"--insecure", fmt.Sprintf("--address=127.0.0.1:%d", port), "--metrics-address=")
		// Generated credentials (session logins, service passwords) are
		// derived from a fixed seed so renders are byte-stable; the
		// functions accept the seed only with --insecure.
		cmd.Env = append(os.Environ(), "DATALAB_INSECURE_RENDER_SEED=datalab-render")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			e.Close()
			return nil, err
		}
		e.procs = append(e.procs, cmd)
		e.ports[f] = port
		if err := waitFor(port); err != nil {
			e.Close()
			return nil, fmt.Errorf("function-%s did not start: %w", f, err)
		}
	}
	return e, nil
}

// Close stops the functions.
func (e *Env) Close() {
	for _, p := range e.procs {
		_ = p.Process.Kill()
		_, _ = p.Process.Wait()
	}
	e.procs = nil
	if e.bin != "" {
		_ = os.RemoveAll(e.bin)
	}
}

// Case is one render: an XR through a Composition with its inputs.
type Case struct {
	XR          string
	Composition string
	// Steps, when set, replaces the Composition with one whose pipeline is
	// these steps in this order.
	Steps    []string
	Observed string
	Required []string
	XRD      string
}

// Render runs the case and returns the rendered YAML. A render that fails
// (for example a Fatal result) returns the YAML printed so far and an
// error carrying the CLI's message.
func (e *Env) Render(ctx context.Context, c Case) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "datalab-render-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	fnFile := filepath.Join(tmp, "functions.yaml")
	if err := os.WriteFile(fnFile, e.functionsYAML(), 0o600); err != nil {
		return nil, err
	}
	comp := c.Composition
	if len(c.Steps) > 0 {
		comp = filepath.Join(tmp, "composition.yaml")
		if err := os.WriteFile(comp, compositionYAML(c.Steps), 0o600); err != nil {
			return nil, err
		}
	}
	args := []string{"composition", "render", c.XR, comp, fnFile,
		"--crossplane-binary=" + e.Core, "--include-function-results", "--timeout=30s"}
	if c.XRD != "" {
		args = append(args, "--xrd="+c.XRD)
	}
	if c.Observed != "" {
		args = append(args, "--observed-resources="+c.Observed)
	}
	// The install set is on every cluster the package runs on; of it,
	// the session ClusterRoles are what a step reads.
	args = append(args, "--required-resources="+filepath.Join(e.Root, "install", "session-roles.yaml"))
	for _, r := range c.Required {
		args = append(args, "--required-resources="+r)
	}
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, e.CLI, args...)
	cmd.Dir = e.Root
	cmd.Env = append(os.Environ(), "CROSSPLANE_CONFIG="+filepath.Join(tmp, "config.yaml"), "HOME="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return canonical(stdout.Bytes()), fmt.Errorf("%s", strings.TrimSpace(stderr.String()))
	}
	return canonical(stdout.Bytes()), nil
}

// canonical orders the Result documents, which Crossplane emits in map
// order, so goldens are stable. Resources keep the CLI's (sorted) order.
func canonical(out []byte) []byte {
	text := strings.TrimPrefix(strings.TrimSpace(string(out)), "---\n")
	if text == "" {
		return nil
	}
	var resources, results []string
	for _, d := range strings.Split(text, "\n---\n") {
		d = strings.TrimSpace(d)
		if strings.Contains("\n"+d+"\n", "\nkind: Result\n") {
			results = append(results, d)
			continue
		}
		resources = append(resources, d)
	}
	sort.Strings(results)
	return []byte("---\n" + strings.Join(append(resources, results...), "\n---\n") + "\n")
}

// PackageRepository is where the project's packages are published.
const PackageRepository = "ghcr.io/versioneer-tech/provider-datalab"

// FunctionName is the name Crossplane gives the Function of a step when it
// installs it as a dependency of the Configuration (package_test.go checks
// it against Crossplane's derivation).
func FunctionName(step string) string {
	return strings.ReplaceAll(strings.TrimPrefix(PackageRepository, "ghcr.io/"), "/", "-") + "-function-" + step
}

func (e *Env) functionsYAML() []byte {
	names := make([]string, 0, len(e.ports))
	for f := range e.ports {
		names = append(names, f)
	}
	sort.Strings(names)
	var docs []string
	for _, f := range names {
		fn := map[string]any{
			"apiVersion": "pkg.crossplane.io/v1",
			"kind":       "Function",
			"metadata": map[string]any{
				"name": FunctionName(f),
				"annotations": map[string]any{
					"render.crossplane.io/runtime":                    "Development",
					"render.crossplane.io/runtime-development-target": fmt.Sprintf("127.0.0.1:%d", e.ports[f]),
				},
			},
			"spec": map[string]any{"package": PackageRepository + "/function-" + f + ":v0.0.0"},
		}
		b, _ := yaml.Marshal(fn)
		docs = append(docs, string(b))
	}
	return []byte(strings.Join(docs, "---\n"))
}

func compositionYAML(steps []string) []byte {
	pipeline := make([]any, 0, len(steps))
	for _, s := range steps {
		pipeline = append(pipeline, map[string]any{"step": s, "functionRef": map[string]any{"name": FunctionName(s)}})
	}
	b, _ := yaml.Marshal(map[string]any{
		"apiVersion": "apiextensions.crossplane.io/v1",
		"kind":       "Composition",
		"metadata":   map[string]any{"name": "datalab-test"},
		"spec": map[string]any{
			"compositeTypeRef": map[string]any{"apiVersion": "pkg.internal/v1beta2", "kind": "Datalab"},
			"mode":             "Pipeline",
			"pipeline":         pipeline,
		},
	})
	return b
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitFor(port int) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("timeout")
}
