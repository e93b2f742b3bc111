package step

import (
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

func desiredObject(t *testing.T, rsp *fnv1.RunFunctionResponse, key string) map[string]any {
	t.Helper()
	r, ok := rsp.GetDesired().GetResources()[key]
	if !ok {
		t.Fatalf("%s is not in the desired state", key)
	}
	return r.GetResource().AsMap()
}

// TestRetainSwitchAppliesToKeptData: a session created under Delete and
// removed in the reconcile where the operator switches to Retain keeps its
// volume and environment with management policies that no longer delete
// them, so deleting the Datalab later orphans the data.
func TestRetainSwitchAppliesToKeptData(t *testing.T) {
	createdUnderDelete := func(kind string) string {
		return `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"x"},
			"spec":{"forProvider":{"manifest":{"apiVersion":"v1","kind":"` + kind + `","metadata":{"name":"x"}}},"managementPolicies":["*"]}}`
	}
	obs := map[string]string{
		string(compose.WorkspaceKey("old")):   createdUnderDelete("PersistentVolumeClaim"),
		string(compose.RegistryKey("old")):    createdUnderDelete("PersistentVolumeClaim"),
		string(compose.EnvironmentKey("old")): createdUnderDelete("WorkshopEnvironment"),
	}
	rsp := fntest.Run(t, fn, fntest.Request{Spec: `{"sessions":[{"name":"new"}]}`, Env: testEnv, Observed: obs}.Build(t))
	for key := range obs {
		policies, _ := desiredObject(t, rsp, key)["spec"].(map[string]any)["managementPolicies"].([]any)
		for _, p := range policies {
			if p == "*" || p == "Delete" {
				t.Errorf("%s keeps management policies %v under Retain: deleting the Datalab would delete its data", key, policies)
			}
		}
	}
}

// TestExistingVolumeKeepsItsShape: a workspace volume that exists keeps
// its storage class and never shrinks (the API server would refuse both);
// the condition says so.
func TestExistingVolumeKeepsItsShape(t *testing.T) {
	env := `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}},"ingress":{"domain":"d.example"},"storageClasses":{"allowed":["standard","fast"]}}`
	pvc := `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"vol"},
		"spec":{"forProvider":{"manifest":{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"x"}}}},
		"status":{"atProvider":{"manifest":{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"x"},
			"spec":{"storageClassName":"fast","resources":{"requests":{"storage":"5Gi"}}}}}}}`
	spec := `{"sessions":[{"name":"default"}],"quota":{"storage":"2Gi"},"persistence":{"storageClassName":"standard"}}`
	rsp := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: env, Observed: map[string]string{string(compose.WorkspaceKey("default")): pvc}}.Build(t))
	if m := fntest.Fatal(rsp); m != "" {
		t.Fatal(m)
	}
	m := desiredObject(t, rsp, string(compose.WorkspaceKey("default")))["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	ps := m["spec"].(map[string]any)
	if ps["storageClassName"] != "fast" || ps["resources"].(map[string]any)["requests"].(map[string]any)["storage"] != "5Gi" {
		t.Fatalf("the existing volume would be changed: %v", ps)
	}
	c := fntest.Condition(rsp, ConditionDrift)
	if c == nil || c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || !strings.Contains(c.GetMessage(), "cannot shrink") || !strings.Contains(c.GetMessage(), "class cannot change") {
		t.Fatalf("the condition does not say what was kept: %v", c)
	}

	// A new volume, and a volume asked to grow, follow the spec.
	grow := strings.Replace(spec, "2Gi", "8Gi", 1)
	rsp = fntest.Run(t, fn, fntest.Request{Spec: grow, Env: env, Observed: map[string]string{string(compose.WorkspaceKey("default")): pvc}}.Build(t))
	m = desiredObject(t, rsp, string(compose.WorkspaceKey("default")))["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	if got := m["spec"].(map[string]any)["resources"].(map[string]any)["requests"].(map[string]any)["storage"]; got != "8Gi" {
		t.Fatalf("a growing volume asks for %v", got)
	}
}

// TestDriftPersists: an environment created from an older Workshop is
// reported as drifted, naming the changed field, on every reconcile until
// it is recreated (applying the newer Workshop used to make the report
// vanish one reconcile later although Educates never read it). Once the
// environment is ready its Workshop is no longer composed; the record on
// the environment's Object stays as it was created.
func TestDriftPersists(t *testing.T) {
	spec := `{"sessions":[{"name":"default"}]}`
	first := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: testEnv}.Build(t))
	desiredObject(t, first, string(compose.WorkshopKey("default")))
	record := func(rsp *fnv1.RunFunctionResponse) any {
		return desiredObject(t, rsp, string(compose.EnvironmentKey("default")))["metadata"].(map[string]any)["annotations"].(map[string]any)[AnnotationWorkshopFields]
	}
	created := record(first)
	obs := fntest.Applied(t, first, nil)
	changed := `{"sessions":[{"name":"default"}],"quota":{"memory":"4Gi"}}`
	for i := range 3 {
		rsp := fntest.Run(t, fn, fntest.Request{Spec: changed, Env: testEnv, Observed: obs}.Build(t))
		c := fntest.Condition(rsp, ConditionDrift)
		if c == nil || c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || !strings.Contains(c.GetMessage(), "spec.session.resources.memory") {
			t.Fatalf("reconcile %d: the drift is not reported: %v", i+1, c)
		}
		if strings.Contains(c.GetMessage(), "4Gi") {
			t.Fatalf("the drift report carries a value: %s", c.GetMessage())
		}
		if _, ok := rsp.GetDesired().GetResources()[string(compose.WorkshopKey("default"))]; ok {
			t.Fatalf("reconcile %d: the Workshop is composed although its environment is ready", i+1)
		}
		if got := record(rsp); got != created || got == nil {
			t.Fatalf("reconcile %d: the environment's record of its Workshop changed: %v -> %v", i+1, created, got)
		}
		obs = fntest.Applied(t, rsp, nil)
	}
}

// TestRegistryTurnedOffUnderDelete: a registry turned off keeps its
// images under Retain, and they go under Delete, like any data the tenant
// removes.
func TestRegistryTurnedOffUnderDelete(t *testing.T) {
	obs := map[string]string{string(compose.RegistryKey("default")): `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"vol"},
		"spec":{"forProvider":{"manifest":{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"x"}}},"managementPolicies":["*"]}}`}
	spec := `{"sessions":[{"name":"default"}]}`
	rsp := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: testEnv, Observed: obs}.Build(t))
	if _, ok := rsp.GetDesired().GetResources()[string(compose.RegistryKey("default"))]; !ok {
		t.Fatal("the registry's volume left under Retain")
	}
	del := strings.Replace(testEnv, "Retain", "Delete", 1)
	rsp = fntest.Run(t, fn, fntest.Request{Spec: spec, Env: del, Observed: obs}.Build(t))
	if _, ok := rsp.GetDesired().GetResources()[string(compose.RegistryKey("default"))]; ok {
		t.Fatal("the registry's volume stayed under Delete")
	}
}

// TestRemovedSessionKeptByAnyOfItsData: under Retain a removed session's
// environment stays while any of its stateful objects is observed, not
// only its workspace volume (found by test/property: with the workspace
// volume not observed for a reconcile, the environment, and with its
// namespace the registry volume, left the desired state).
func TestRemovedSessionKeptByAnyOfItsData(t *testing.T) {
	obj := func(kind string) string {
		return `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"x"},
			"spec":{"forProvider":{"manifest":{"apiVersion":"v1","kind":"` + kind + `","metadata":{"name":"x"}}},"managementPolicies":["Observe","Create","Update","LateInitialize"]}}`
	}
	obs := map[string]string{
		string(compose.EnvironmentKey("old")): obj("WorkshopEnvironment"),
		string(compose.RegistryKey("old")):    obj("PersistentVolumeClaim"),
	}
	rsp := fntest.Run(t, fn, fntest.Request{Spec: `{"sessions":[{"name":"new"}]}`, Env: testEnv, Observed: obs}.Build(t))
	for key := range obs {
		desiredObject(t, rsp, key)
	}
}
