//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
)

const boundaryNS = "boundary"

// scenarioBoundary: an operator tightens the boundary of a Datalab that
// already runs (budget class and session role in its EnvironmentConfig);
// within a reconcile the Objects of its running session namespace carry
// the new quota and bind the new role only (the former role's binding
// Object is deleted), the Workshop its environment was created from
// stays as it was, and `kubectl get datalab` shows sessions, services and
// the first failing reason as columns. Once the environment's Object is
// ready the Workshop is deleted and everything else stays.
func scenarioBoundary(c *cluster) {
	env := func(budget, role string) {
		c.environment("boundary", map[string]any{
			"tenancy": map[string]any{"namespaces": []any{boundaryNS}},
			"defaults": map[string]any{
				"quota":    map[string]any{"memory": "2Gi", "storage": "1Gi", "budget": budget},
				"security": map[string]any{"policy": "baseline", "kubernetesAccess": true, "kubernetesRole": role, "externalEgress": true},
			},
		})
	}
	env("medium", "edit")
	c.namespace(boundaryNS)
	c.storageSecret(boundaryNS, claimName)
	c.claim(boundaryNS, claimName, map[string]any{"datalabs.pkg.internal/environment": "boundary"}, minimal)
	c.synced(boundaryNS, claimName)
	quota := func() string {
		for _, m := range c.objectTargets(boundaryNS, claimName, "ResourceQuota") {
			if hard, ok := m["spec"].(map[string]any)["hard"].(map[string]any); ok {
				return fmt.Sprint(hard["limits.cpu"])
			}
		}
		return ""
	}
	// The session ClusterRoles the RoleBindings of the session namespace
	// bind: exactly one, once a former role's binding is gone.
	role := func() string {
		var bound []string
		for _, m := range c.objectTargets(boundaryNS, claimName, "RoleBinding") {
			ref, _ := m["roleRef"].(map[string]any)
			bound = append(bound, fmt.Sprint(ref["kind"], "/", ref["name"]))
		}
		return strings.Join(bound, ",")
	}
	workshop := func() string {
		w := c.objectTargets(boundaryNS, claimName, "Workshop")
		if len(w) != 1 {
			return ""
		}
		b, _ := json.Marshal(w[0]["spec"].(map[string]any)["session"].(map[string]any)["resources"])
		return string(b)
	}
	c.eventually("the session namespace's quota and role of budget medium and role edit", syncWait, func() string {
		if q, r := quota(), role(); q != "2" || r != "ClusterRole/datalab-session-edit" {
			return fmt.Sprintf("quota limits.cpu %q, role %q", q, r)
		}
		return ""
	})
	created := workshop()

	env("small", "view")
	c.eventually("the tightened quota and role on the running session", syncWait, func() string {
		if q, r := quota(), role(); q != "1" || r != "ClusterRole/datalab-session-view" {
			return fmt.Sprintf("quota limits.cpu %q, role %q", q, r)
		}
		return ""
	})
	if got := workshop(); got != created {
		c.t.Errorf("the Workshop the environment was created from changed: %s -> %s", created, got)
	}

	// The operator has not installed the session ClusterRole the sessions
	// are bound to: the claim is told, and the binding stays.
	c.delete("rbac.authorization.k8s.io/v1", "ClusterRole", "", "datalab-session-view")
	c.eventually("a warning that the session ClusterRole is missing", syncWait, func() string {
		for _, e := range c.list("v1", "Event", boundaryNS) {
			if msg, _, _ := unstructured.NestedString(e.Object, "message"); strings.Contains(msg, "ClusterRole datalab-session-view does not exist") {
				return ""
			}
		}
		return "no such event"
	})
	if r := role(); r != "ClusterRole/datalab-session-view" {
		c.t.Errorf("the binding changed while its ClusterRole is missing: %q", r)
	}
	c.apply(filepath.Join(c.root, "install", "session-roles.yaml"))
	c.t.Log("a missing session ClusterRole was reported on the claim (the Composition fetches the session ClusterRoles)")

	cols, row := c.table(fmt.Sprintf("/apis/pkg.internal/v1beta2/namespaces/%s/datalabs", boundaryNS))
	for _, want := range []string{"SESSIONS", "SERVICES", "REASON"} {
		i := slices.Index(cols, want)
		if i < 0 {
			c.t.Errorf("kubectl get datalab has no %s column: %v", want, cols)
			continue
		}
		if want != "REASON" && row[i] == "" {
			c.t.Errorf("column %s is empty: %v %v", want, cols, row)
		}
	}
	c.t.Logf("a tightened budget and role reached the running session within a reconcile; the Workshop stayed as created; kubectl get datalab: %v %v", cols, row)

	// Educates has created the environment (its Object turns ready, as
	// provider-kubernetes reports phase Running): the Workshop leaves, the
	// environment's Object keeps the record of it, and every boundary
	// Object of the running session stays.
	var envObj *unstructured.Unstructured
	for _, o := range c.composed(boundaryNS, claimName) {
		if m, _, _ := unstructured.NestedMap(o.Object, "spec", "forProvider", "manifest"); m["kind"] == "WorkshopEnvironment" {
			envObj = o
		}
	}
	if envObj == nil {
		c.t.Fatal("no environment Object")
	}
	before := keys(c.composed(boundaryNS, claimName))
	ready := fmt.Sprintf(`{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Available","lastTransitionTime":%q}]}}`, time.Now().UTC().Format(time.RFC3339))
	if _, err := c.resource(envObj).Patch(context.Background(), envObj.GetName(), types.MergePatchType, []byte(ready), metav1.PatchOptions{}, "status"); err != nil {
		c.t.Fatalf("environment Object status: %v", err)
	}
	c.eventually("the Workshop gone once its environment is ready", syncWait, func() string {
		if n := len(c.objectTargets(boundaryNS, claimName, "Workshop")); n != 0 {
			return fmt.Sprintf("%d Workshops", n)
		}
		return ""
	})
	after := keys(c.composed(boundaryNS, claimName))
	for _, k := range before {
		if !slices.Contains(after, k) && k != "Object/"+strings.TrimPrefix(envObj.GetName(), "env-") {
			c.t.Errorf("%s left with the Workshop", k)
		}
	}
	record := c.get(envObj.GetAPIVersion(), envObj.GetKind(), boundaryNS, envObj.GetName()).GetAnnotations()
	if record["datalabs.pkg.internal/vcluster"] != "true" || !strings.Contains(record["datalabs.pkg.internal/workshop-fields"], `"memory":`) {
		c.t.Errorf("the environment's Object does not record its Workshop: %v", record)
	}
	c.t.Logf("the environment ready: its Workshop left, %d other composed resources stayed, the environment's Object records the Workshop", len(after))

	// Delegated mode without its ingress protection: a new session waits,
	// the running one stays; once the protection is back the new one
	// starts.
	protection := "datalab-session-nginx-external-auth"
	c.delete("kyverno.io/v1", "ClusterPolicy", "", protection)
	c.claim(boundaryNS, claimName, map[string]any{"datalabs.pkg.internal/environment": "boundary"}, "users: [alice]\nsessions: [{name: default, vcluster: true}, {name: agent}]")
	c.eventually("the new session held back for the ingress protection", syncWait, func() string {
		_, reason, msg := condition(c.datalab(boundaryNS, claimName), "RuntimeReady")
		if reason != "AwaitingProtection" || !strings.Contains(msg, protection) {
			return "RuntimeReady " + reason + ": " + msg
		}
		return ""
	})
	if n := c.workshopSessions(boundaryNS, claimName); n != 1 {
		c.t.Errorf("%d sessions while the protection is missing, want the running one only", n)
	}
	c.apply(filepath.Join(c.root, "examples", "required", "ingress-protection.yaml"))
	c.eventually("the new session once the protection is back", syncWait, func() string {
		if n := c.workshopSessions(boundaryNS, claimName); n != 2 {
			return fmt.Sprintf("%d sessions", n)
		}
		return ""
	})
	c.t.Log("delegated mode: a new session waited for the ingress protection (AwaitingProtection) while the running one stayed, and started once it was back")
}

// keys are the kind/name keys of composed resources, sorted.
func keys(objs map[string]*unstructured.Unstructured) []string {
	return slices.Sorted(maps.Keys(objs))
}

// table reads a list as `kubectl get` does (a meta.k8s.io Table) and
// returns the column names and the first row's cells.
func (c *cluster) table(path string) ([]string, []string) {
	c.t.Helper()
	tr, err := rest.TransportFor(c.rest)
	if err != nil {
		c.t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, c.rest.Host+path, nil)
	req.Header.Set("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
	rsp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rsp.Body.Close()
	b, _ := io.ReadAll(rsp.Body)
	var t struct {
		ColumnDefinitions []struct{ Name string }
		Rows              []struct{ Cells []any }
	}
	if err := json.Unmarshal(b, &t); err != nil || len(t.Rows) == 0 {
		c.t.Fatalf("no table for %s: %v %s", path, err, b)
	}
	var cols, cells []string
	for _, d := range t.ColumnDefinitions {
		cols = append(cols, d.Name)
	}
	for _, v := range t.Rows[0].Cells {
		cells = append(cells, fmt.Sprint(v))
	}
	return cols, cells
}
