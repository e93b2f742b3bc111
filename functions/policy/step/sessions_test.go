package step

import (
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// TestBoundaryWithoutWorkshop: once an environment is ready the runtime
// composes no Workshop; the boundary Objects of the session's namespaces
// stay, the vcluster host namespace's by the environment Object's record,
// exactly as with the Workshop.
func TestBoundaryWithoutWorkshop(t *testing.T) {
	env := func(vcluster string) string {
		m := wrap("env-"+tenant.Environment("s1"), map[string]any{"apiVersion": educatesGroup + "/v1beta1", "kind": "WorkshopEnvironment", "metadata": map[string]any{"name": tenant.Environment("s1")},
			"spec": map[string]any{"workshop": map[string]any{"name": tenant.Environment("s1")}}})
		if vcluster != "" {
			m["metadata"].(map[string]any)["annotations"] = map[string]any{compose.AnnotationVCluster: vcluster}
		}
		return obj(m)
	}
	session := obj(wrap(tenant.Session("s1"), map[string]any{"apiVersion": educatesGroup + "/v1beta1", "kind": "WorkshopSession", "metadata": map[string]any{"name": tenant.Session("s1")},
		"spec": map[string]any{"environment": map[string]any{"name": tenant.Environment("s1")}}}))
	keys := func(desired map[string]string) map[resource.Name]bool {
		rsp := fntest.Run(t, fn, newRequest(t, call{desired: desired}))
		if f := fatal(rsp); f != "" {
			t.Fatal(f)
		}
		out := map[resource.Name]bool{}
		for k := range rsp.GetDesired().GetResources() {
			out[resource.Name(k)] = true
		}
		return out
	}
	all := []resource.Name{compose.BoundaryWorkshopKey("s1"), compose.BoundarySessionKey("s1"), compose.BoundaryVClusterKey("s1"), compose.BudgetQuotaKey("s1"), compose.BudgetLimitsKey("s1")}

	withWorkshop := keys(map[string]string{string(compose.WorkshopKey("s1")): workshopObject(true, nil, nil), string(compose.EnvironmentKey("s1")): env(""), string(compose.SessionKey("s1")): session})
	without := keys(map[string]string{string(compose.EnvironmentKey("s1")): env("true"), string(compose.SessionKey("s1")): session})
	for _, k := range all {
		if !withWorkshop[k] || !without[k] {
			t.Errorf("%s: with the Workshop %v, without %v", k, withWorkshop[k], without[k])
		}
	}
	if keys(map[string]string{string(compose.EnvironmentKey("s1")): env("false"), string(compose.SessionKey("s1")): session})[compose.BoundaryVClusterKey("s1")] {
		t.Error("a vcluster namespace boundary for an environment created without vcluster")
	}
	stopped := keys(map[string]string{string(compose.EnvironmentKey("s1")): env("true")})
	if !stopped[compose.BoundaryWorkshopKey("s1")] || stopped[compose.BoundarySessionKey("s1")] {
		t.Errorf("a stopped session's environment: %v", stopped)
	}
}
