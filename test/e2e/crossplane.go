//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"
)

// crossplane installs Crossplane's CRDs and the CRDs of every kind the
// package composes (../shared/crds), and starts Crossplane core out of
// cluster: it runs no package Deployments (the functions are local
// processes) and serves no webhooks.
func (c *cluster) crossplane(crds string) {
	begin := time.Now()
	files, _ := filepath.Glob(filepath.Join(crds, "*", "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			c.t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			c.t.Fatalf("%s: %v", f, err)
		}
		// Conversion webhooks point at provider Services that do not run
		// here; one stored version needs no conversion.
		if spec, _ := m["spec"].(map[string]any); spec != nil {
			if conv, _ := spec["conversion"].(map[string]any); conv != nil && conv["strategy"] == "Webhook" {
				delete(spec, "conversion")
			}
		}
		c.applyObject(&unstructured.Unstructured{Object: m})
	}
	c.eventually("CRDs established", readyTimeout, func() string {
		for _, crd := range c.list("apiextensions.k8s.io/v1", "CustomResourceDefinition", "") {
			if s, _, _ := condition(&crd, "Established"); s != "True" {
				return crd.GetName() + " is not established"
			}
		}
		return ""
	})
	c.mapper.Reset()
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": crossplaneSystem}}}
	c.applyObject(ns)
	cache := filepath.Join(c.dir, "xpkg-cache")
	if err := os.MkdirAll(cache, 0o700); err != nil {
		c.t.Fatal(err)
	}
	c.start("crossplane", c.bin("crossplane-core"), []string{"KUBECONFIG=" + c.kubeconfig, "POD_NAMESPACE=" + crossplaneSystem},
		"core", "start", "--debug", "--package-runtime=External", "--enable-webhooks=false",
		"--tls-client-certs-dir="+filepath.Join(c.pki.dir, "crossplane"), "--xpkg-cache-dir="+cache,
		fmt.Sprintf("--metrics-port=%d", crossplaneMetrics), fmt.Sprintf("--health-probe-port=%d", crossplaneHealth),
		"--poll-interval=5s",
		// The scenarios change claims in quick succession (every service kind
		// at once creates dozens of objects, each a watch event); the default
		// burst of 100 opens the XR circuit breaker for minutes.
		"--circuit-breaker-burst=2000", "--circuit-breaker-refill-rate=50")
	c.t.Logf("%d CRDs installed and Crossplane core started in %s", len(files), time.Since(begin).Round(100*time.Millisecond))
}

// startFunction runs one step's function binary over mTLS on loopback and
// registers it the way Crossplane finds a function: an Active
// FunctionRevision labelled with the Function's name, paused (nothing to
// pull), with its endpoint and capabilities in status.
func (c *cluster) startFunction(step string, port int) {
	name := functionName(step)
	p := c.start("function-"+step, c.bin("function-"+step), nil, functionArgs(c, step, port)...)
	c.functions[step] = p
	rev := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "pkg.crossplane.io/v1", "kind": "FunctionRevision",
		"metadata": map[string]any{"name": name + "-e2e",
			"labels":      map[string]any{"pkg.crossplane.io/package": name},
			"annotations": map[string]any{"crossplane.io/paused": "true"}},
		"spec": map[string]any{"desiredState": "Active", "image": "local/" + name + ":e2e", "revision": int64(1)},
	}}
	c.applyObject(rev)
	status := fmt.Sprintf(`{"status":{"endpoint":"127.0.0.1:%d","capabilities":["composition"],"conditions":[{"type":"Healthy","status":"True","reason":"HealthyPackageRevision","lastTransitionTime":%q}]}}`,
		port, time.Now().UTC().Format(time.RFC3339))
	if _, err := c.resource(rev).Patch(context.Background(), rev.GetName(), types.MergePatchType, []byte(status), metav1.PatchOptions{}, "status"); err != nil {
		c.t.Fatalf("FunctionRevision %s status: %v", name, err)
	}
}

// restartFunction stops a function process and starts it again on the
// same port (scenario: a function restarted mid-way).
func (c *cluster) restartFunction(step string, port int) {
	p := c.functions[step]
	p.stop()
	np := c.start("function-"+step+"-restarted", c.bin("function-"+step), nil, functionArgs(c, step, port)...)
	c.functions[step] = np
}

// functionArgs serve a step over mTLS on port, with its metrics on the
// step's metrics port.
func functionArgs(c *cluster, step string, port int) []string {
	return []string{"--tls-certs-dir=" + filepath.Join(c.pki.dir, "functions"), fmt.Sprintf("--address=127.0.0.1:%d", port),
		fmt.Sprintf("--metrics-address=127.0.0.1:%d", metricsPort(step))}
}

// metricsPort is where a step's function serves its metrics.
func metricsPort(step string) int { return firstMetricsPort + slices.Index(steps, step) }

// functionCalls is how many RunFunction requests a step's function has
// answered since it started, from its gRPC server metrics.
func (c *cluster) functionCalls(step string) float64 {
	c.t.Helper()
	rsp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort(step)))
	if err != nil {
		c.t.Fatalf("metrics of function-%s: %v", step, err)
	}
	defer rsp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(rsp.Body)
	if err != nil {
		c.t.Fatalf("metrics of function-%s: %v", step, err)
	}
	calls := 0.0
	for _, m := range families["grpc_server_handled_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "grpc_method" && l.GetValue() == "RunFunction" {
				calls += m.GetCounter().GetValue()
			}
		}
	}
	return calls
}

// functionName is what Crossplane names the step's Function when it
// installs the Configuration's dependencies (test/package_test.go proves
// it), and what the Composition references.
func functionName(step string) string { return "versioneer-tech-provider-datalab-function-" + step }

// install applies the package (its XRD and Composition) and the session
// ClusterRoles of the install set, and waits until the XRD offers the
// Datalab API.
func (c *cluster) install() {
	c.apply(filepath.Join(c.root, "package", "xrd.yaml"), filepath.Join(c.root, "package", "composition.yaml"), filepath.Join(c.root, "install", "session-roles.yaml"))
	c.eventually("XRD established", readyTimeout, func() string {
		x := c.get("apiextensions.crossplane.io/v2", "CompositeResourceDefinition", "", "datalabs.pkg.internal")
		if s, _, m := condition(x, "Established"); s != "True" {
			return "Established=" + s + " " + m
		}
		return ""
	})
	c.mapper.Reset()
}

// steps are the pipeline's steps in order.
var steps = []string{"runtime", "storage", "identity", "backends", "policy"}

func stepNames() string { return strings.Join(steps, ", ") }
