//go:build e2e

// Package e2e runs the Datalab package on a real control plane: etcd,
// kube-apiserver with RBAC, the garbage-collecting and namespace
// controllers of kube-controller-manager, and Crossplane core v2.4, all on
// loopback inside a private network namespace (make e2e), with the five
// functions as local mTLS processes. Every assertion reads objects back
// from the API server. Nothing runs pods and no provider runs: Objects and
// operator resources are accepted and stored, never reconciled.
package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/test/render"
	"github.com/versioneer-tech/provider-datalab/test/schema"
)

const (
	datalabAPI = "pkg.internal/v1beta2"
	objectAPI  = "kubernetes.m.crossplane.io/v1alpha1"
	syncWait   = 60 * time.Second
)

func TestE2E(t *testing.T) {
	wd, _ := os.Getwd()
	root, err := render.Root(wd)
	if err != nil {
		t.Fatal(err)
	}
	crds, ok := schema.DefaultDir()
	if !ok {
		t.Fatal("../shared/crds is needed for the CRDs of the composed kinds")
	}
	begin := time.Now()
	c := newCluster(t, root)
	c.up()
	c.crossplane(crds)
	for i, s := range steps {
		c.startFunction(s, firstFunctionPort+i)
	}
	c.install()
	c.apply(filepath.Join(root, "examples", "environment.yaml"), filepath.Join(root, "examples", "required", "ingress-protection.yaml"))
	t.Logf("stack up with functions %s in %s", stepNames(), time.Since(begin).Round(100*time.Millisecond))

	t.Run("1 delegated and credentials mode", func(t *testing.T) { c.t = t; scenarioModes(c) })
	t.Run("steady state", func(t *testing.T) { c.t = t; scenarioSteady(c); scenarioCalls(c) })
	t.Run("2 lifecycle", func(t *testing.T) { c.t = t; scenarioLifecycle(c) })
	t.Run("3 bad input changes nothing", func(t *testing.T) { c.t = t; scenarioBadInput(c) })
	t.Run("4 two tenants", func(t *testing.T) { c.t = t; scenarioTenants(c) })
	t.Run("5 served versions", func(t *testing.T) { c.t = t; scenarioVersions(c) })
	t.Run("6 deletion", func(t *testing.T) { c.t = t; scenarioDeletion(c) })
	t.Run("7 function restarted", func(t *testing.T) { c.t = t; scenarioRestart(c) })
	t.Run("8 boundary reaches a running session", func(t *testing.T) { c.t = t; scenarioBoundary(c) })
}

// claim applies a Datalab in namespace ns from YAML spec lines.
func (c *cluster) claim(ns, name string, annotations map[string]any, spec string) {
	var s map[string]any
	if err := yaml.Unmarshal([]byte(spec), &s); err != nil {
		c.t.Fatal(err)
	}
	meta := map[string]any{"name": name, "namespace": ns}
	if annotations != nil {
		meta["annotations"] = annotations
	}
	c.applyObject(&unstructured.Unstructured{Object: map[string]any{"apiVersion": datalabAPI, "kind": "Datalab", "metadata": meta, "spec": s}})
}

func (c *cluster) namespace(name string) {
	c.applyObject(&unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}})
}

func (c *cluster) secret(ns, name string, data map[string]string) {
	d := map[string]any{}
	for k, v := range data {
		d[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	c.applyObject(&unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
		"metadata": map[string]any{"name": name, "namespace": ns}, "data": d}})
}

func (c *cluster) datalab(ns, name string) *unstructured.Unstructured {
	return c.get(datalabAPI, "Datalab", ns, name)
}

// synced waits until the Datalab's current generation is Synced=True.
func (c *cluster) synced(ns, name string) *unstructured.Unstructured {
	c.t.Helper()
	var d *unstructured.Unstructured
	c.eventually("Datalab "+ns+"/"+name+" Synced", syncWait, func() string {
		d = c.datalab(ns, name)
		s, _, m := condition(d, "Synced")
		if s != "True" || !current(d, "Synced") {
			conds, _, _ := unstructured.NestedSlice(d.Object, "status", "conditions")
			b, _ := json.Marshal(conds)
			return fmt.Sprintf("Synced=%s: %s (generation %d, conditions %s)", s, oneLine(m), d.GetGeneration(), b)
		}
		return ""
	})
	return d
}

// current reports whether a condition was set for the object's current
// generation (a condition of an older spec says nothing about this one).
func current(d *unstructured.Unstructured, typ string) bool {
	conds, _, _ := unstructured.NestedSlice(d.Object, "status", "conditions")
	for _, x := range conds {
		m, _ := x.(map[string]any)
		if m["type"] == typ {
			g, ok := m["observedGeneration"].(int64)
			return ok && g == d.GetGeneration()
		}
	}
	return false
}

// refused waits until the Datalab is Synced=False with a message naming
// want, and returns the message.
func (c *cluster) refused(ns, name, want string) string {
	c.t.Helper()
	msg := ""
	c.eventually("Datalab "+ns+"/"+name+" refused naming "+want, syncWait, func() string {
		d := c.datalab(ns, name)
		s, _, m := condition(d, "Synced")
		msg = m
		if s != "False" || !strings.Contains(m, want) || !current(d, "Synced") {
			return "Synced=" + s + ": " + oneLine(m)
		}
		return ""
	})
	return msg
}

// composed lists the composed resources of a Datalab as the API server
// holds them (by Crossplane's composite label), keyed by kind/name.
func (c *cluster) composed(ns, name string) map[string]*unstructured.Unstructured {
	out := map[string]*unstructured.Unstructured{}
	d := c.datalab(ns, name)
	if d == nil {
		c.t.Fatalf("no Datalab %s/%s", ns, name)
	}
	refs, _, _ := unstructured.NestedSlice(d.Object, "spec", "crossplane", "resourceRefs")
	for _, r := range refs {
		m, _ := r.(map[string]any)
		av, _ := m["apiVersion"].(string)
		k, _ := m["kind"].(string)
		n, _ := m["name"].(string)
		out[k+"/"+n] = c.get(av, k, ns, n)
	}
	return out
}

// versions records the resourceVersion of every composed resource.
func versions(objs map[string]*unstructured.Unstructured) map[string]string {
	out := map[string]string{}
	for k, o := range objs {
		if o != nil {
			out[k] = o.GetResourceVersion()
		}
	}
	return out
}

func (c *cluster) objectTargets(ns, name, kind string) []map[string]any {
	var out []map[string]any
	for _, o := range c.composed(ns, name) {
		if o == nil || o.GetKind() != "Object" {
			continue
		}
		m, _, _ := unstructured.NestedMap(o.Object, "spec", "forProvider", "manifest")
		if m["kind"] == kind {
			out = append(out, m)
		}
	}
	return out
}
