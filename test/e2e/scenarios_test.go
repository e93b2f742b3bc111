//go:build e2e

package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"
)

const (
	wonderland = "wonderland"
	claimName  = "team-wonderland"
	storageKey = "fixture-e2e-storage-secret"
	minimal    = "users: [alice]\nsessions: [{name: default, vcluster: true}]"
)

func (c *cluster) storageSecret(ns, name string) {
	c.secret(ns, name, map[string]string{"AWS_ACCESS_KEY_ID": "FIXTUREE2EACCESS", "AWS_SECRET_ACCESS_KEY": storageKey})
}

// hasObjectOf reports whether a composed Object wraps a target of kind
// named name.
func (c *cluster) hasObjectOf(ns, dl, kind, name string) bool {
	for _, m := range c.objectTargets(ns, dl, kind) {
		if meta, _ := m["metadata"].(map[string]any); meta["name"] == name {
			return true
		}
	}
	return false
}

// scenarioModes: team-wonderland in delegated mode (the default config)
// and in credentials mode (a config granted to one namespace); every
// composed object is accepted by the API server; in credentials mode the
// session appears only once the login Secret exists, and its password is
// in no log, event or status.
func scenarioModes(c *cluster) {
	c.namespace(wonderland)
	c.storageSecret(wonderland, claimName)
	c.claim(wonderland, claimName, nil, minimal)
	c.synced(wonderland, claimName)
	objs := c.composed(wonderland, claimName)
	kinds := map[string]int{}
	for k, o := range objs {
		if o == nil {
			c.t.Errorf("composed %s is not in the API server", k)
			continue
		}
		kinds[o.GetKind()]++
	}
	for _, k := range []string{"Object", "Secret", "NetworkPolicy", "ResourceQuota", "LimitRange", "ConfigMap", "Client"} {
		if kinds[k] == 0 {
			c.t.Errorf("no %s composed (composed: %v)", k, kinds)
		}
	}
	if len(c.objectTargets(wonderland, claimName, "WorkshopSession")) != 1 {
		c.t.Error("delegated mode: the session is not composed")
	}
	c.t.Logf("delegated mode: %d composed objects accepted: %v", len(objs), kinds)

	// Credentials mode, through an EnvironmentConfig granted to one namespace.
	c.environment("credentials", map[string]any{"auth": map[string]any{"type": "credentials"}, "tenancy": map[string]any{"namespaces": []any{"cred"}}})
	c.namespace("cred")
	c.storageSecret("cred", claimName)
	select_ := map[string]any{"datalabs.pkg.internal/environment": "credentials"}
	c.claim("cred", claimName, select_, minimal)
	c.eventually("the session login Secret and then the session", syncWait, func() string {
		if c.get("v1", "Secret", "cred", claimName+"-session-login") == nil {
			if len(c.objectTargets("cred", claimName, "WorkshopSession")) != 0 {
				return "FAIL: a session exists before its login Secret"
			}
			return "no login Secret yet"
		}
		if len(c.objectTargets("cred", claimName, "WorkshopSession")) != 1 {
			return "no session yet"
		}
		return ""
	})
	c.synced("cred", claimName)
	login := c.get("v1", "Secret", "cred", claimName+"-session-login")
	pw, _, _ := unstructured.NestedString(login.Object, "data", "password")
	raw, _ := base64.StdEncoding.DecodeString(pw)
	password := string(raw)
	if len(password) < 16 {
		c.t.Fatalf("the session password is %d characters", len(password))
	}
	for _, where := range c.leaks(password, storageKey) {
		c.t.Errorf("a secret appears in %s", where)
	}

	// The same config asked for from a namespace it is not granted to.
	c.claim(wonderland, "greedy", select_, minimal)
	c.refused(wonderland, "greedy", `EnvironmentConfig "credentials" does not admit namespace "wonderland"`)
	c.delete(datalabAPI, "Datalab", wonderland, "greedy")
	c.t.Logf("credentials mode: the session appeared only after its login Secret; neither the login nor the storage key is in %d logs, any event or any status; a config not granted to the namespace was refused", len(must(filepath.Glob(filepath.Join(c.dir, "*.log")))))
}

func must[T any](v T, _ error) T { return v }

// leaks lists where any of the values appears: process logs, events and
// the status of every Datalab.
func (c *cluster) leaks(values ...string) []string {
	var out []string
	logs, _ := filepath.Glob(filepath.Join(c.dir, "*.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		for _, v := range values {
			if strings.Contains(string(b), v) {
				out = append(out, "log "+filepath.Base(l))
			}
		}
	}
	for _, e := range c.list("v1", "Event", "") {
		b, _ := json.Marshal(e.Object)
		for _, v := range values {
			if strings.Contains(string(b), v) {
				out = append(out, "event "+e.GetName())
			}
		}
	}
	for _, d := range c.list(datalabAPI, "Datalab", "") {
		b, _ := json.Marshal(d.Object["status"])
		for _, v := range values {
			if strings.Contains(string(b), v) {
				out = append(out, "status of "+d.GetNamespace()+"/"+d.GetName())
			}
		}
	}
	return out
}

// workshopSessions counts the WorkshopSessions a Datalab composes.
func (c *cluster) workshopSessions(ns, dl string) int {
	return len(c.objectTargets(ns, dl, "WorkshopSession"))
}

// scenarioLifecycle: a session added, stopped and removed (its workspace
// volume and environment stay under the default retention, and go under
// Delete), and each service kind added and removed.
func scenarioLifecycle(c *cluster) {
	two := "users: [alice]\nsessions: [{name: default, vcluster: true}, {name: second}]"
	c.claim(wonderland, claimName, nil, two)
	c.eventually("session second composed", syncWait, func() string {
		if c.workshopSessions(wonderland, claimName) != 2 {
			return "not two sessions"
		}
		return ""
	})
	c.claim(wonderland, claimName, nil, "users: [alice]\nsessions: [{name: default, vcluster: true}, {name: second, state: stopped}]")
	c.eventually("session second stopped", syncWait, func() string {
		if c.workshopSessions(wonderland, claimName) != 1 {
			return "the stopped session's WorkshopSession remains"
		}
		return ""
	})
	volumes := func() int { return len(c.objectTargets(wonderland, claimName, "PersistentVolumeClaim")) }
	if volumes() != 2 {
		c.t.Fatalf("%d workspace volumes, want 2 (the stopped session keeps its own)", volumes())
	}
	c.claim(wonderland, claimName, nil, minimal)
	c.synced(wonderland, claimName)
	c.eventually("session second removed, its data kept", syncWait, func() string {
		d := c.datalab(wonderland, claimName)
		msg, _, _ := unstructured.NestedString(d.Object, "status", "sessions", "second", "message")
		if !strings.Contains(msg, "retained") {
			return "status.sessions.second: " + msg
		}
		if volumes() != 2 || len(c.objectTargets(wonderland, claimName, "WorkshopEnvironment")) != 2 {
			return "the removed session's volume or environment left"
		}
		return ""
	})
	c.claim(wonderland, claimName, nil, minimal+`
databases: {pg0: {names: [analytics], storage: 1Gi, backupStorage: 3Gi}}
documentStores: {prod: {storage: 1Gi}}
cacheStores: {prod: {storage: 1Gi}}
vectorStores: {prod: {storage: 1Gi}}
registry: {enabled: true, storage: 3Gi}`)
	c.synced(wonderland, claimName)
	c.eventually("every service kind composed", syncWait, func() string {
		for _, k := range []string{"PostgresCluster", "MongoDBCommunity", "Redis", "QdrantCluster"} {
			if len(c.objectTargets(wonderland, claimName, k)) != 1 {
				return "no " + k
			}
		}
		return ""
	})
	scenarioSteady(c)
	// Services removed: kept under Retain, and steady too.
	c.claim(wonderland, claimName, nil, minimal)
	c.synced(wonderland, claimName)
	scenarioSteady(c)

	// Under an operator's Delete retention a removed session's data goes.
	c.environment("retention-delete", map[string]any{"retention": map[string]any{"policy": "Delete"}, "tenancy": map[string]any{"namespaces": []any{wonderland}}})
	sel := map[string]any{"datalabs.pkg.internal/environment": "retention-delete"}
	c.claim(wonderland, claimName, sel, two)
	c.synced(wonderland, claimName)
	c.claim(wonderland, claimName, sel, minimal)
	c.eventually("the removed session's volume and environment deleted under Delete", syncWait, func() string {
		// The default session's workspace; the registry, turned off with the
		// services above, goes too under Delete.
		if n := volumes(); n != 1 {
			return fmt.Sprintf("%d volumes", n)
		}
		if n := len(c.objectTargets(wonderland, claimName, "WorkshopEnvironment")); n != 1 {
			return fmt.Sprintf("%d environments", n)
		}
		return ""
	})
	c.claim(wonderland, claimName, map[string]any{}, minimal)
	c.unannotate(wonderland, claimName)
	scenarioSteady(c)
	c.t.Log("a session added, stopped (WorkshopSession gone, volume kept) and removed (volume and environment kept, status says so; under Delete they go); every service kind added, then removed and kept; steady after each")
}

// environment applies an EnvironmentConfig: examples/environment.yaml
// with the given top-level data keys replaced.
func (c *cluster) environment(name string, data map[string]any) {
	b, err := os.ReadFile(filepath.Join(c.root, "examples", "environment.yaml"))
	if err != nil {
		c.t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		c.t.Fatal(err)
	}
	m["metadata"] = map[string]any{"name": name}
	d := m["data"].(map[string]any)
	for k, v := range data {
		d[k] = v
	}
	c.applyObject(&unstructured.Unstructured{Object: m})
}

// scenarioBadInput: bad input on an existing good claim changes none of
// its objects, and the claim's condition names the field.
func scenarioBadInput(c *cluster) {
	good := minimal
	c.claim(wonderland, claimName, nil, good)
	c.synced(wonderland, claimName)
	before := versions(c.composed(wonderland, claimName))
	for _, bad := range []struct {
		name, spec, want string
		ann              map[string]any
	}{
		{"a disallowed storage class", good + "\npersistence: {storageClassName: gold}", "spec.persistence.storageClassName", nil},
		{"a cap exceeded", "users: [alice]\nsessions: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}, {name: f}]", "maxSessions", nil},
		{"a missing EnvironmentConfig", good, `EnvironmentConfig "missing" not found`, map[string]any{"datalabs.pkg.internal/environment": "missing"}},
	} {
		c.claim(wonderland, claimName, bad.ann, bad.spec)
		msg := c.refused(wonderland, claimName, bad.want)
		after := versions(c.composed(wonderland, claimName))
		for k, v := range before {
			if after[k] != v {
				c.t.Errorf("%s: %s changed (resourceVersion %s -> %s)", bad.name, k, v, after[k])
			}
		}
		c.t.Logf("%s: refused (%s), %d objects unchanged", bad.name, oneLine(msg)[:min(len(oneLine(msg)), 160)], len(before))
		c.claim(wonderland, claimName, map[string]any{}, good)
		c.unannotate(wonderland, claimName)
		c.synced(wonderland, claimName)
	}
	// A field the API server refuses never reaches the functions.
	before = versions(c.composed(wonderland, claimName))
	d := c.datalab(wonderland, claimName)
	patch := []byte(`{"spec":{"sessions":[{"name":"Bad_Name"}]}}`)
	if _, err := c.resource(d).Patch(context.Background(), claimName, types.MergePatchType, patch, metav1.PatchOptions{}); err == nil || !strings.Contains(err.Error(), "spec.sessions[0].name") {
		c.t.Errorf("the API server accepted a bad session name, or named no field: %v", err)
	}
	time.Sleep(6 * time.Second)
	after := versions(c.composed(wonderland, claimName))
	for k, v := range before {
		if after[k] != v {
			c.t.Errorf("API-server-rejected field: %s changed", k)
		}
	}
}

// unannotate removes the environment selector from a Datalab.
func (c *cluster) unannotate(ns, name string) {
	d := c.datalab(ns, name)
	if _, ok := d.GetAnnotations()["datalabs.pkg.internal/environment"]; !ok {
		return
	}
	patch := []byte(`[{"op":"remove","path":"/metadata/annotations/datalabs.pkg.internal~1environment"}]`)
	if _, err := c.resource(d).Patch(context.Background(), name, "application/json-patch+json", patch, metav1.PatchOptions{}); err != nil {
		c.t.Fatal(err)
	}
}

// scenarioTenants: the same name in two namespaces, and a second Datalab
// in the same namespace, coexist without touching each other's objects; a
// claim whose composed Secret would take over the tenant's own Secret is
// refused and the tenant's Secret is untouched.
func scenarioTenants(c *cluster) {
	c.synced(wonderland, claimName)
	before := versions(c.composed(wonderland, claimName))
	c.namespace("other")
	c.storageSecret("other", claimName)
	c.claim("other", claimName, nil, minimal)
	c.storageSecret(wonderland, "second-lab")
	c.claim(wonderland, "second-lab", nil, minimal)
	c.synced("other", claimName)
	c.synced(wonderland, "second-lab")
	seen := map[string]string{}
	for _, dl := range [][2]string{{wonderland, claimName}, {"other", claimName}, {wonderland, "second-lab"}} {
		for _, k := range []string{"Workshop", "WorkshopEnvironment", "WorkshopSession", "PersistentVolumeClaim"} {
			for _, m := range c.objectTargets(dl[0], dl[1], k) {
				meta, _ := m["metadata"].(map[string]any)
				ns, _ := meta["namespace"].(string)
				n, _ := meta["name"].(string)
				id := k + " " + ns + "/" + n
				if owner, ok := seen[id]; ok && owner != dl[0]+"/"+dl[1] {
					c.t.Errorf("%s is composed by %s and %s/%s", id, owner, dl[0], dl[1])
				}
				seen[id] = dl[0] + "/" + dl[1]
			}
		}
	}
	after := versions(c.composed(wonderland, claimName))
	for k, v := range before {
		if after[k] != v {
			c.t.Errorf("another tenant's Datalab changed %s of %s/%s", k, wonderland, claimName)
		}
	}
	// The tenant's own Secret is named like the storage Secret a Datalab
	// "rabbit" composes.
	c.secret(wonderland, "rabbit-storage", map[string]string{"notes": "mine"})
	c.storageSecret(wonderland, "rabbit-creds")
	c.claim(wonderland, "rabbit", nil, minimal+"\nsecretName: rabbit-creds")
	c.refused(wonderland, "rabbit", "refusing to take over the existing Secret wonderland/rabbit-storage")
	s := c.get("v1", "Secret", wonderland, "rabbit-storage")
	if v, _, _ := unstructured.NestedString(s.Object, "data", "notes"); v != base64.StdEncoding.EncodeToString([]byte("mine")) || len(s.GetOwnerReferences()) != 0 {
		c.t.Errorf("the tenant's Secret was changed: %v", s.Object)
	}
	// secretName naming a Secret a Datalab composes is refused outright.
	c.claim(wonderland, "hare", nil, minimal+"\nsecretName: second-lab-storage")
	c.refused(wonderland, "hare", "spec.secretName")
	c.delete(datalabAPI, "Datalab", wonderland, "rabbit")
	c.delete(datalabAPI, "Datalab", wonderland, "hare")
	c.t.Logf("the same name in two namespaces and two Datalabs in one namespace share no Workshop, environment, session or volume (%d checked) and left each other's objects unchanged; a Datalab whose storage Secret would take over the tenant's own was refused and the tenant's Secret is untouched; secretName naming a composed Secret was refused", len(seen))
}

// scenarioDeletion: deleting a Datalab garbage-collects what it composed,
// its stateful Objects were told not to delete their targets (Retain),
// and the tenant's own Secrets survive.
func scenarioDeletion(c *cluster) {
	objs := c.composed(wonderland, "second-lab")
	stateful := 0
	for k, o := range objs {
		if o == nil || o.GetKind() != "Object" {
			continue
		}
		m, _, _ := unstructured.NestedMap(o.Object, "spec", "forProvider", "manifest")
		if m["kind"] != "PersistentVolumeClaim" && m["kind"] != "WorkshopEnvironment" {
			continue
		}
		stateful++
		policies, _, _ := unstructured.NestedStringSlice(o.Object, "spec", "managementPolicies")
		for _, p := range policies {
			if p == "*" || p == "Delete" {
				c.t.Errorf("%s would delete its data: %v", k, policies)
			}
		}
	}
	if stateful == 0 {
		c.t.Fatal("no stateful Objects to check")
	}
	c.delete(datalabAPI, "Datalab", wonderland, "second-lab")
	c.eventually("composed objects garbage-collected", syncWait, func() string {
		for k := range objs {
			kind, name, _ := strings.Cut(k, "/")
			if o := c.getKind(kind, wonderland, name); o != nil {
				return k + " remains"
			}
		}
		return ""
	})
	if c.get("v1", "Secret", wonderland, "second-lab") == nil {
		c.t.Error("the tenant's storage Secret was deleted with the Datalab")
	}
	c.t.Logf("%d composed objects garbage-collected; %d stateful Objects had no Delete policy (Retain orphans their data); the tenant's Secret survived", len(objs), stateful)
}

// getKind reads a composed resource by kind and name, finding its API
// version among the ones the Datalab composes.
func (c *cluster) getKind(kind, ns, name string) *unstructured.Unstructured {
	for _, av := range []string{"v1", objectAPI, "networking.k8s.io/v1"} {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion(av)
		u.SetKind(kind)
		u.SetNamespace(ns)
		if _, err := c.mapper.RESTMapping(u.GroupVersionKind().GroupKind(), u.GroupVersionKind().Version); err != nil {
			continue
		}
		if o := c.get(av, kind, ns, name); o != nil {
			return o
		}
	}
	return nil
}

// scenarioRestart: a function process killed while the claim changes; the
// claim recovers once it is back, without manual steps.
func scenarioRestart(c *cluster) {
	c.functions["runtime"].stop()
	c.claim(wonderland, claimName, nil, "users: [alice]\nsessions: [{name: default, vcluster: true}, {name: third}]")
	// Crossplane's call to the stopped function fails (or waits for it);
	// nothing is composed meanwhile.
	time.Sleep(10 * time.Second)
	if c.workshopSessions(wonderland, claimName) != 1 {
		c.t.Fatal("a session was composed while the runtime function was down")
	}
	c.restartFunction("runtime", firstFunctionPort)
	c.eventually("session third composed after the restart", 4*syncWait, func() string {
		if c.workshopSessions(wonderland, claimName) != 2 {
			s, _, m := condition(c.datalab(wonderland, claimName), "Synced")
			return "Synced=" + s + " " + oneLine(m)
		}
		return ""
	})
	c.synced(wonderland, claimName)
	c.t.Log("nothing composed while the runtime function was down; after its restart the change was composed without manual steps")
}

// scenarioSteady: at steady state nothing changes: not the Datalab (its
// status, conditions) and none of its composed objects, over several
// reconciles (Crossplane polls every 5 s here). A change on every
// reconcile would trip Crossplane's circuit breaker and cost every
// Datalab a write per poll.
func scenarioSteady(c *cluster) {
	c.synced(wonderland, claimName)
	time.Sleep(5 * time.Second)
	d := c.datalab(wonderland, claimName)
	before := versions(c.composed(wonderland, claimName))
	rv := d.GetResourceVersion()
	time.Sleep(11 * time.Second)
	after := c.datalab(wonderland, claimName)
	if after.GetResourceVersion() != rv {
		a, _ := json.Marshal(after.Object["status"])
		b, _ := json.Marshal(d.Object["status"])
		c.t.Errorf("the Datalab changed at steady state:\nbefore %s\nafter  %s", b, a)
	}
	for k, v := range versions(c.composed(wonderland, claimName)) {
		if before[k] != v {
			c.t.Errorf("%s changed at steady state", k)
		}
	}
}

// scenarioVersions: a claim written in every version the installed XRD
// serves reaches Synced=True (a served version without the schema the
// functions write status into would stay Synced=False).
func scenarioVersions(c *cluster) {
	crd := c.get("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "datalabs.pkg.internal")
	vs, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	served := 0
	for _, v := range vs {
		m, _ := v.(map[string]any)
		if m["served"] != true {
			continue
		}
		served++
		name := "version-" + m["name"].(string)
		c.storageSecret(wonderland, name)
		var spec map[string]any
		_ = yaml.Unmarshal([]byte(minimal), &spec)
		c.applyObject(&unstructured.Unstructured{Object: map[string]any{"apiVersion": "pkg.internal/" + m["name"].(string), "kind": "Datalab",
			"metadata": map[string]any{"name": name, "namespace": wonderland}, "spec": spec}})
		c.synced(wonderland, name)
		c.delete(datalabAPI, "Datalab", wonderland, name)
	}
	c.t.Logf("%d served version(s), each Synced", served)
}

// scenarioCalls: at steady state Crossplane calls each step once per
// reconcile, in both auth modes (the delegated Datalab in wonderland and
// the credentials one in cred, which selects an EnvironmentConfig of its
// own), as counted by the functions' own gRPC metrics. Crossplane requeues
// a Datalab after the functions' response TTL (a minute), so the test
// makes the reconciles: it touches an annotation no step reads.
func scenarioCalls(c *cluster) {
	labs := [][2]string{{wonderland, claimName}, {"cred", claimName}}
	for _, l := range labs {
		c.synced(l[0], l[1])
	}
	c.eventually("the refused Datalab gone", syncWait, func() string {
		if c.datalab(wonderland, "greedy") != nil {
			return "Datalab wonderland/greedy still exists"
		}
		return ""
	})
	time.Sleep(3 * time.Second)
	calls := map[string]float64{}
	for _, s := range steps {
		calls[s] = -c.functionCalls(s)
	}
	const touches = 5
	for i := range touches {
		for _, l := range labs {
			patch := fmt.Sprintf(`{"metadata":{"annotations":{"e2e.test/touch":"%d"}}}`, i)
			if _, err := c.resource(c.datalab(l[0], l[1])).Patch(context.Background(), l[1], types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
				c.t.Fatal(err)
			}
		}
		time.Sleep(3 * time.Second)
	}
	time.Sleep(3 * time.Second)
	for _, s := range steps {
		calls[s] += c.functionCalls(s)
	}
	// Every step answers as often as the last one, give or take the
	// reconciles under way at the window's ends (one per Datalab). A step
	// called twice per reconcile would answer about twice as often.
	last := calls[steps[len(steps)-1]]
	if last < touches {
		c.t.Errorf("only %.0f reconciles after %d touches of two Datalabs: %v", last, touches, calls)
	}
	for _, s := range steps {
		if d := calls[s] - last; d > float64(len(labs)) || d < -float64(len(labs)) {
			c.t.Errorf("function-%s answered %.0f calls while function-%s answered %.0f: not one call per step and reconcile (%v)", s, calls[s], steps[len(steps)-1], last, calls)
		}
	}
	c.t.Logf("calls while two Datalabs (delegated and credentials mode) were touched %d times each: %v", touches, calls)
}
