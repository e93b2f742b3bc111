package step

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

// live edits what an observed Object reports of its target
// (status.atProvider.manifest), as the API server would have changed it.
func live(t *testing.T, obs map[string]string, key string, edit func(m map[string]any)) {
	t.Helper()
	var o map[string]any
	if err := json.Unmarshal([]byte(obs[key]), &o); err != nil {
		t.Fatal(err)
	}
	at := o["status"].(map[string]any)["atProvider"].(map[string]any)["manifest"].(map[string]any)
	edit(at)
	b, _ := json.Marshal(o)
	obs[key] = string(b)
}

func set(m map[string]any, v any, path ...string) {
	for _, p := range path[:len(path)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

func sessionPhase(t *testing.T, rsp *fnv1.RunFunctionResponse) string {
	t.Helper()
	st := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	p, _ := st["sessions"].(map[string]any)["default"].(map[string]any)["phase"].(string)
	return p
}

func has(rsp *fnv1.RunFunctionResponse, key string) bool {
	_, ok := rsp.GetDesired().GetResources()[key]
	return ok
}

// TestRestartKeepsTheVolume walks a requested restart through every
// phase, each reconcile fed the previous one's output as observed state:
// the session stops, the volume's PersistentVolume is retained, the
// environment is recreated from the current spec, the new claim binds the
// same volume, and the session starts again.
func TestRestartKeepsTheVolume(t *testing.T) {
	const pv = "pvc-0b1c"
	ws, env, sess := string(compose.WorkspaceKey("default")), string(compose.EnvironmentKey("default")), string(compose.SessionKey("default"))
	keeper := string(compose.VolumeKeeperKey(compose.WorkspaceKey("default")))
	spec := func(gen int) string {
		return fmt.Sprintf(`{"sessions":[{"name":"default","restartGeneration":%d}]}`, gen)
	}
	reconcile := func(s string, obs map[string]string) *fnv1.RunFunctionResponse {
		t.Helper()
		rsp := fntest.Run(t, fn, fntest.Request{Spec: s, Env: testEnv, Observed: obs}.Build(t))
		if f := fntest.Fatal(rsp); f != "" {
			t.Fatal(f)
		}
		return rsp
	}
	running := map[string]map[string]any{
		env:  {"educates": map[string]any{"phase": "Running"}},
		sess: {"educates": map[string]any{"phase": "Running"}},
		ws:   {"phase": "Bound"},
	}
	rsp := reconcile(spec(0), nil)
	obs := fntest.Applied(t, rsp, running)
	live(t, obs, ws, func(m map[string]any) { set(m, pv, "spec", "volumeName") })
	if !strings.Contains(obs[env], `"datalabs.pkg.internal/restart-generation":"0"`) {
		t.Fatalf("the environment does not record its generation: %s", obs[env])
	}

	// 1. Requested: the session stops first.
	rsp = reconcile(spec(1), obs)
	if has(rsp, sess) || !has(rsp, env) || sessionPhase(t, rsp) != phaseStopping {
		t.Fatalf("stopping: session %v, environment %v, phase %q", has(rsp, sess), has(rsp, env), sessionPhase(t, rsp))
	}
	obs = fntest.Applied(t, rsp, running)
	live(t, obs, ws, func(m map[string]any) { set(m, pv, "spec", "volumeName") })

	// 2. The volume is retained before anything is deleted.
	rsp = reconcile(spec(1), obs)
	if !has(rsp, env) || !has(rsp, ws) || !has(rsp, keeper) || sessionPhase(t, rsp) != phaseRetaining {
		t.Fatalf("retaining: environment %v, volume %v, keeper %v, phase %q", has(rsp, env), has(rsp, ws), has(rsp, keeper), sessionPhase(t, rsp))
	}
	k := desiredObject(t, rsp, keeper)
	if p := k["spec"].(map[string]any)["managementPolicies"]; strings.Join(compose.StringList(p), ",") != "Observe,Update" {
		t.Fatalf("a keeper may only update its volume: %v", p)
	}
	obs = fntest.Applied(t, rsp, running)
	live(t, obs, ws, func(m map[string]any) { set(m, pv, "spec", "volumeName") })
	// The keeper reports the live volume: bound to this session's claim.
	tenantEnv := desiredManifestOf(t, rsp, env)["metadata"].(map[string]any)["name"].(string)
	wsName := desiredManifestOf(t, rsp, ws)["metadata"].(map[string]any)["name"].(string)
	live(t, obs, keeper, func(m map[string]any) {
		set(m, map[string]any{"namespace": tenantEnv, "name": wsName, "uid": "old"}, "spec", "claimRef")
		set(m, "Bound", "status", "phase")
	})

	// 3. Retained: the environment, its Workshop and the claim go.
	rsp = reconcile(spec(1), obs)
	if has(rsp, env) || has(rsp, ws) || has(rsp, string(compose.WorkshopKey("default"))) || !has(rsp, keeper) || sessionPhase(t, rsp) != phaseRecreating {
		t.Fatalf("recreating: environment %v, volume %v, keeper %v, phase %q", has(rsp, env), has(rsp, ws), has(rsp, keeper), sessionPhase(t, rsp))
	}
	obs = fntest.Applied(t, rsp, nil)
	live(t, obs, keeper, func(m map[string]any) {
		set(m, map[string]any{"namespace": tenantEnv, "name": wsName, "uid": "old"}, "spec", "claimRef")
		set(m, "Released", "status", "phase")
		set(m, "Retain", "spec", reclaimPolicyField)
	})

	// 4. Gone: the environment comes back at generation 1, the claim names
	// the volume, the keeper clears the old claim's uid.
	rsp = reconcile(spec(1), obs)
	if !has(rsp, env) || has(rsp, sess) || sessionPhase(t, rsp) != phaseRebinding {
		t.Fatalf("rebinding: environment %v, session %v, phase %q", has(rsp, env), has(rsp, sess), sessionPhase(t, rsp))
	}
	if got := desiredManifestOf(t, rsp, ws)["spec"].(map[string]any)["volumeName"]; got != pv {
		t.Fatalf("the new claim binds %v, not the kept volume", got)
	}
	ref := desiredManifestOf(t, rsp, keeper)["spec"].(map[string]any)["claimRef"].(map[string]any)
	if ref["uid"] != "" || ref["namespace"] != tenantEnv || ref["name"] != wsName {
		t.Fatalf("keeper claimRef %v", ref)
	}
	if a := desiredObject(t, rsp, env)["metadata"].(map[string]any)["annotations"].(map[string]any)[AnnotationRestartGeneration]; a != "1" {
		t.Fatalf("the recreated environment records generation %v", a)
	}
	kept := obs[keeper]
	obs = fntest.Applied(t, rsp, running)
	obs[keeper] = kept
	live(t, obs, ws, func(m map[string]any) { set(m, pv, "spec", "volumeName") })

	// 5. Bound again: the keeper goes and the session starts.
	rsp = reconcile(spec(1), obs)
	if has(rsp, keeper) || !has(rsp, sess) {
		t.Fatalf("done: keeper %v, session %v", has(rsp, keeper), has(rsp, sess))
	}
	if c := fntest.Condition(rsp, ConditionType); c.GetReason() == reasonRestarting {
		t.Fatalf("still restarting: %v", c)
	}
}

// TestRestartNeverBindsAnotherClaimsVolume: a keeper whose volume turns
// out to be bound to another claim leaves it alone.
func TestRestartNeverBindsAnotherClaimsVolume(t *testing.T) {
	keeper := string(compose.VolumeKeeperKey(compose.WorkspaceKey("default")))
	obs := map[string]string{keeper: `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"keep-pv-x"},
		"spec":{"forProvider":{"manifest":{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-x"},"spec":{"persistentVolumeReclaimPolicy":"Retain"}}}},
		"status":{"atProvider":{"manifest":{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-x"},
			"spec":{"persistentVolumeReclaimPolicy":"Retain","claimRef":{"namespace":"victim","name":"data","uid":"u"}},"status":{"phase":"Released"}}}}}`}
	rsp := fntest.Run(t, fn, fntest.Request{Spec: `{"sessions":[{"name":"default","restartGeneration":1}]}`, Env: testEnv, Observed: obs}.Build(t))
	if sessionPhase(t, rsp) != phaseRestartHeld {
		t.Fatalf("phase %q", sessionPhase(t, rsp))
	}
	if _, ok := desiredManifestOf(t, rsp, keeper)["spec"].(map[string]any)["claimRef"]; ok {
		t.Fatal("the keeper rebinds a volume that was another claim's")
	}
}

func desiredManifestOf(t *testing.T, rsp *fnv1.RunFunctionResponse, key string) map[string]any {
	t.Helper()
	return desiredObject(t, rsp, key)["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
}
