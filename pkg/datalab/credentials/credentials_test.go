package credentials

import (
	"encoding/base64"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func TestPasswordIsRandomAndURLSafe(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p, err := Password("ns/lab/login")
		if err != nil {
			t.Fatal(err)
		}
		if len(p) < 32 {
			t.Fatalf("password %d characters long", len(p))
		}
		if _, err := base64.RawURLEncoding.DecodeString(p); err != nil {
			t.Fatalf("not URL-safe: %q", p)
		}
		if seen[p] {
			t.Fatal("the same password twice")
		}
		seen[p] = true
	}
}

func TestRenderSeedIsDeterministicPerID(t *testing.T) {
	SetRenderSeed("golden")
	defer func() { renderSeed = nil }()
	a1, _ := Password("ns/a/login")
	a2, _ := Password("ns/a/login")
	b, _ := Password("ns/b/login")
	if a1 != a2 || a1 == b || len(a1) != 32 {
		t.Fatalf("render mode: %q %q %q", a1, a2, b)
	}
}

func TestObserved(t *testing.T) {
	secret := resource.New()
	secret.Object = map[string]any{"apiVersion": "v1", "kind": "Secret", "data": Encode(map[string]string{"password": "s3cret"})}
	secret.Object["data"].(map[string]any)["broken"] = "%%%"
	obs := observed.FromMap(map[resource.Name]resource.ObservedComposed{"login": {Resource: secret}})
	if got := Observed(obs, "login", "password"); got != "s3cret" {
		t.Errorf("password = %q", got)
	}
	for _, c := range []struct {
		name resource.Name
		key  string
	}{{"login", "missing"}, {"login", "broken"}, {"other", "password"}} {
		if got := Observed(obs, c.name, c.key); got != "" {
			t.Errorf("%s/%s = %q, want empty", c.name, c.key, got)
		}
	}
}
