package health

import (
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func readyObserved(ready string) resource.ObservedComposed {
	u := resource.New()
	u.SetName("x")
	u.Object["status"] = map[string]any{
		"conditions": []any{map[string]any{"type": "Ready", "status": ready, "reason": "r", "lastTransitionTime": "2024-01-01T00:00:00Z"}},
		"atProvider": map[string]any{"manifest": map[string]any{"kind": "Thing"}},
	}
	return resource.ObservedComposed{Resource: u}
}

func TestReadiness(t *testing.T) {
	obs := observed.FromMap(map[resource.Name]resource.ObservedComposed{"up": readyObserved("True"), "down": readyObserved("False")})
	desired := map[resource.Name]*resource.DesiredComposed{
		"up": {Resource: resource.New()}, "down": {Resource: resource.New()}, "new": {Resource: resource.New()},
	}
	Apply(desired, obs, map[resource.Name]func(*observed.Resources, resource.Name) resource.Ready{"down": Exists})
	want := map[resource.Name]resource.Ready{"up": resource.ReadyTrue, "down": resource.ReadyTrue, "new": resource.ReadyFalse}
	for k, w := range want {
		if desired[k].Ready != w {
			t.Errorf("%s: got %s want %s", k, desired[k].Ready, w)
		}
	}
	if Manifest(obs, "up")["kind"] != "Thing" || Manifest(obs, "missing") != nil {
		t.Error("Manifest did not read status.atProvider.manifest")
	}
}

func TestAppliedManifest(t *testing.T) {
	applied := readyObserved("True")
	applied.Resource.Object["spec"] = map[string]any{"forProvider": map[string]any{"manifest": map[string]any{"kind": "Applied"}}}
	obs := observed.FromMap(map[resource.Name]resource.ObservedComposed{"o": applied, "bare": readyObserved("True"), "nil": {}})
	if AppliedManifest(obs, "o")["kind"] != "Applied" {
		t.Error("AppliedManifest did not read spec.forProvider.manifest")
	}
	for _, k := range []resource.Name{"bare", "nil", "missing"} {
		if m := AppliedManifest(obs, k); m != nil {
			t.Errorf("%s: %v", k, m)
		}
	}
}
