package step

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// withEnv adds top-level keys to testEnv (a JSON object).
func withEnv(keys string) string {
	return strings.Replace(testEnv, "{\n", "{"+keys+",\n", 1)
}

const gatewayEnv = `"database":{"gateway":{"parentName":"datalab-gateway","parentNamespace":"gateway-system","sectionName":"postgres-tls"}}`

// runPolicies runs the step on one Workshop of session s1 and returns the
// injected NetworkPolicies by "namespace/name" and the desired policy-ingress
// spec (nil when absent).
func runPolicies(t *testing.T, c call, vcluster bool) (map[string]string, map[string]any) {
	t.Helper()
	c.desired = map[string]string{string(compose.WorkshopKey("s1")): workshopObject(vcluster, nil, nil)}
	rsp := fntest.Run(t, fn, newRequest(t, c))
	if f := fatal(rsp); f != "" {
		t.Fatal(f)
	}
	m := desiredWorkshop(t, rsp)
	env, _ := valueAt(m, path{"spec", "environment", "objects"})
	sess, _ := valueAt(m, path{"spec", "session", "objects"})
	got := policyNames(env)
	for k, v := range policyNames(sess) {
		got[k] = v
	}
	return got, workspaceIngressSpec(rsp)
}

func workspaceIngressSpec(rsp *fnv1.RunFunctionResponse) map[string]any {
	r, ok := rsp.GetDesired().GetResources()[string(compose.WorkspaceIngressKey)]
	if !ok {
		return nil
	}
	spec, _ := r.GetResource().AsMap()["spec"].(map[string]any)
	return spec
}

// The database.gateway data plane (TLSRoutes from the Gateway's namespace
// to the primary Service on 5432) is admitted into the Datalab's namespace
// on TCP 5432 only, and only when the Datalab has databases.
func TestWorkspaceIngressAdmitsTheDatabaseGateway(t *testing.T) {
	gatewayRule := map[string]any{
		"from":  []any{map[string]any{"namespaceSelector": map[string]any{"matchLabels": map[string]any{"kubernetes.io/metadata.name": "gateway-system"}}}},
		"ports": []any{map[string]any{"protocol": "TCP", "port": float64(5432)}},
	}
	for _, tc := range []struct {
		name, env, spec string
		want            bool
	}{
		{"databases and gateway", withEnv(gatewayEnv), `{"users":["alice"],"sessions":[{"name":"s1"}],"databases":{"pg0":{"names":["analytics"]}}}`, true},
		{"stores only", withEnv(gatewayEnv), `{"users":["alice"],"sessions":[{"name":"s1"}],"cacheStores":{"c":{}}}`, false},
		{"no gateway", testEnv, `{"users":["alice"],"sessions":[{"name":"s1"}],"databases":{"pg0":{"names":["analytics"]}}}`, false},
		{"no services", withEnv(gatewayEnv), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, spec := runPolicies(t, call{env: tc.env, spec: tc.spec}, false)
			if spec == nil {
				t.Fatal("no policy-ingress")
			}
			rules, _ := spec["ingress"].([]any)
			found := 0
			for _, r := range rules {
				b, _ := json.Marshal(r)
				if strings.Contains(string(b), "gateway-system") {
					found++
					if !reflect.DeepEqual(r, gatewayRule) {
						t.Errorf("gateway rule = %s, want namespace gateway-system on TCP 5432 only", b)
					}
				}
			}
			if got := found > 0; got != tc.want || found > 1 {
				t.Errorf("gateway rules: %d, want present=%v; rules %v", found, tc.want, rules)
			}
		})
	}
}

// allow-services-egress is there only when the Datalab requests services.
func TestServicesEgressOnlyWithServices(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		want       bool
	}{
		{"no services", "", false},
		{"database", `{"users":["alice"],"sessions":[{"name":"s1"}],"databases":{"pg0":{"names":["analytics"]}}}`, true},
		{"document store", `{"users":["alice"],"sessions":[{"name":"s1"}],"documentStores":{"d":{}}}`, true},
		{"cache store", `{"users":["alice"],"sessions":[{"name":"s1"}],"cacheStores":{"c":{}}}`, true},
		{"vector store", `{"users":["alice"],"sessions":[{"name":"s1"}],"vectorStores":{"v":{}}}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := runPolicies(t, call{spec: tc.spec}, true)
			for _, ns := range []string{varWorkshopNamespace, varSessionNamespace, varVClusterNamespace} {
				if has := got[ns+"/"+names.PolicyServicesEgress] != ""; has != tc.want {
					t.Errorf("%s/%s present=%v, want %v", ns, names.PolicyServicesEgress, has, tc.want)
				}
			}
		})
	}
}

// Educates syncs a vcluster's Ingresses into the vcluster host namespace:
// the ingress controller must reach it, unless the operator excludes the
// policy.
func TestIngressControllerReachesTheVClusterNamespace(t *testing.T) {
	key := varVClusterNamespace + "/" + names.PolicyIngressController
	got, _ := runPolicies(t, call{}, true)
	if got[key] == "" {
		t.Errorf("missing %s; got %v", key, got)
	}
	got, _ = runPolicies(t, call{env: strings.Replace(testEnv, `"network":{`, `"network":{"excludePolicies":["allow-ingress-controller"],`, 1)}, true)
	for k := range got {
		if strings.HasSuffix(k, "/"+names.PolicyIngressController) {
			t.Errorf("%s injected although excluded", k)
		}
	}
}
