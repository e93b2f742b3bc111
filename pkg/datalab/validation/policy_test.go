package validation

import (
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func ptr[T any](v T) *T { return &v }

func policyEnv() *environment.Config {
	return &environment.Config{
		Ingress: environment.Ingress{Namespace: "ingress-nginx"},
		Network: environment.Network{
			ExternalEgressCIDRs: []string{"0.0.0.0/0", "::/0"},
			PodCIDRs:            []string{"10.42.0.0/16"},
			ServiceCIDR:         "10.43.0.0/16,fd00:43::/112",
			BlacklistIPs:        []string{"169.254.169.254", "fd00:ec2::254/128"},
			InternalEgress: []environment.InternalEgress{{Namespace: "minio",
				PodSelector: map[string]any{"matchLabels": map[string]any{"app": "minio"}},
				Ports:       []map[string]any{{"port": 9000}, {"port": 8000, "endPort": 8010, "protocol": "TCP"}, {"port": "http"}}}},
			ExcludePolicies: []string{"allow-external-egress"},
		},
		Limits: environment.Limits{
			MaxSessions: ptr(5), MaxServices: ptr(2), MaxMemory: "8Gi", MaxStorage: "20Gi",
			AllowedSecurityPolicies: []string{"restricted", "baseline"}, AllowedKubernetesRoles: []string{"view", "edit"},
			AllowedBudgets: []string{"small", "medium"},
			Workspace:      environment.Workspace{Quota: map[string]string{"requests.storage": "100Gi", "count/deployments.apps": "10"}},
		},
	}
}

func TestPolicyEnvironment(t *testing.T) {
	if errs := PolicyEnvironment(policyEnv()); len(errs) > 0 {
		t.Fatalf("valid environment rejected: %v", errs)
	}
	cases := map[string]struct {
		mutate func(c *environment.Config)
		want   string
	}{
		"CIDR with host bits":               {func(c *environment.Config) { c.Network.ExternalEgressCIDRs = []string{"10.0.0.1/8"} }, "network.externalEgressCIDRs[0]: Invalid value: \"10.0.0.1/8\": has host bits set; write the network address 10.0.0.0/8"},
		"bare IP where a CIDR belongs":      {func(c *environment.Config) { c.Network.PodCIDRs = []string{"10.42.0.0"} }, "network.podCIDRs[0]"},
		"bad service CIDR":                  {func(c *environment.Config) { c.Network.ServiceCIDR = "10.43.0.0/16,nope" }, "network.serviceCIDR"},
		"unknown excluded policy":           {func(c *environment.Config) { c.Network.ExcludePolicies = []string{"deny-all"} }, "network.excludePolicies[0]: Unsupported value: \"deny-all\""},
		"internal egress without namespace": {func(c *environment.Config) { c.Network.InternalEgress[0].Namespace = "" }, "network.internalEgress[0].namespace: Required value"},
		"internal egress bad selector": {func(c *environment.Config) {
			c.Network.InternalEgress[0].PodSelector = map[string]any{"matchLabel": map[string]any{"app": "x"}}
		}, "network.internalEgress[0].podSelector"},
		"internal egress bad operator": {func(c *environment.Config) {
			c.Network.InternalEgress[0].PodSelector = map[string]any{"matchExpressions": []any{map[string]any{"key": "a", "operator": "Like"}}}
		}, "network.internalEgress[0].podSelector.matchExpressions[0].operator"},
		"port out of range":     {func(c *environment.Config) { c.Network.InternalEgress[0].Ports[0]["port"] = 70000 }, "network.internalEgress[0].ports[0].port"},
		"range below port":      {func(c *environment.Config) { c.Network.InternalEgress[0].Ports[1]["endPort"] = 7000 }, "network.internalEgress[0].ports[1].endPort"},
		"range on a named port": {func(c *environment.Config) { c.Network.InternalEgress[0].Ports[2]["endPort"] = 9000 }, "a port range needs a numeric port"},
		"unknown protocol":      {func(c *environment.Config) { c.Network.InternalEgress[0].Ports[0]["protocol"] = "ICMP" }, "ports[0].protocol: Unsupported value: \"ICMP\""},
		"no ingress controller": {func(c *environment.Config) { c.Ingress.Namespace = "" }, "ingress.namespace: Required value"},
		"bad cap":               {func(c *environment.Config) { c.Limits.MaxMemory = "much" }, "limits.maxMemory"},
		"negative cap":          {func(c *environment.Config) { c.Limits.MaxSessions = ptr(-1) }, "limits.maxSessions"},
		"unknown role":          {func(c *environment.Config) { c.Limits.AllowedKubernetesRoles = []string{"root"} }, "limits.allowedKubernetesRoles[0]"},
		"bad quota":             {func(c *environment.Config) { c.Limits.Workspace.Quota["requests.storage"] = "100 GB" }, "limits.workspace.quota[requests.storage]"},
		"limit range resource":  {func(c *environment.Config) { c.Limits.Workspace.LimitRange.Max = map[string]string{"gpu": "1"} }, "limits.workspace.limitRange.max[gpu]"},
		"extra kind format":     {func(c *environment.Config) { c.Limits.ExtraNamespacedKinds = []string{"Widget"} }, "limits.extraNamespacedKinds[0]"},
		"DNS namespace":         {func(c *environment.Config) { c.Network.DNS.Namespace = "Kube_System" }, "network.dns.namespace"},
		"API server port":       {func(c *environment.Config) { c.Network.APIServerPorts = []int{0} }, "network.apiServerPorts[0]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := policyEnv()
			tc.mutate(c)
			got := Veto(PolicyEnvironment(c))
			if !strings.Contains(got, "EnvironmentConfig.data."+strings.TrimPrefix(tc.want, "EnvironmentConfig.data.")) && !strings.Contains(got, tc.want) {
				t.Errorf("want %q in %q", tc.want, got)
			}
		})
	}
	t.Run("ingress controller may be left to the operator", func(t *testing.T) {
		c := policyEnv()
		c.Ingress.Namespace = ""
		c.Network.ExcludePolicies = []string{"allow-ingress-controller"}
		if errs := PolicyEnvironment(c); len(errs) > 0 {
			t.Error(errs)
		}
	})
}

func TestCaps(t *testing.T) {
	d := func(spec api.Spec) *api.Datalab { return &api.Datalab{Name: "lab", Namespace: "team", Spec: spec} }
	one := []api.Session{{Name: "a", State: api.StateStarted}}
	cases := map[string]struct {
		spec   api.Spec
		mutate func(c *environment.Config)
		want   []string
	}{
		"within every cap": {spec: api.Spec{Sessions: one}},
		"sessions": {spec: api.Spec{Sessions: make([]api.Session, 6)},
			want: []string{"spec.sessions: Invalid value: 6: 6 sessions exceed the operator's cap EnvironmentConfig.data.limits.maxSessions (5)"}},
		"services": {spec: api.Spec{Sessions: one, Databases: map[string]api.Database{"a": {}, "b": {}}, VectorStores: map[string]api.Store{"v": {}}},
			want: []string{"3 data services", "limits.maxServices (2)"}},
		"memory from the spec": {spec: api.Spec{Sessions: one, Quota: &api.Quota{Memory: "9Gi"}},
			want: []string{"spec.quota.memory: Invalid value: \"9Gi\": exceeds the operator's cap EnvironmentConfig.data.limits.maxMemory (8Gi)"}},
		"memory from the operator's default": {spec: api.Spec{Sessions: one}, mutate: func(c *environment.Config) { c.Defaults.Quota.Memory = "16Gi" },
			want: []string{"EnvironmentConfig.data.defaults.quota.memory: Invalid value: \"16Gi\""}},
		"storage everywhere": {spec: api.Spec{Sessions: one, Quota: &api.Quota{Storage: "21Gi"}, Registry: &api.Registry{Enabled: true, Storage: "30Gi"},
			Databases: map[string]api.Database{"pg": {Storage: "1Gi", BackupStorage: "50Gi"}}, CacheStores: map[string]api.Store{"c": {Storage: "25Gi"}}},
			want: []string{"spec.quota.storage", "spec.registry.storage", "spec.databases[pg].backupStorage", "spec.cacheStores[c].storage"}},
		"registry storage ignored when off": {spec: api.Spec{Sessions: one, Registry: &api.Registry{Storage: "30Gi"}}},
		"privileged": {spec: api.Spec{Sessions: one, Security: &api.Security{Policy: "privileged"}},
			want: []string{"spec.security.policy: Invalid value: \"privileged\"", "limits.allowPrivileged is false"}},
		"privileged allowed, but Docker's storage is over the cap": {spec: api.Spec{Sessions: one, Security: &api.Security{Policy: "privileged"}},
			mutate: func(c *environment.Config) {
				c.Limits.AllowPrivileged = ptr(environment.Boolish(true))
				c.Limits.AllowedSecurityPolicies = nil
				c.Limits.MaxStorage = "10Gi"
			},
			want: []string{"privileged sessions run Docker with 20Gi of storage"}},
		"policy not on the allowlist": {spec: api.Spec{Sessions: one}, mutate: func(c *environment.Config) { c.Limits.AllowedSecurityPolicies = []string{"restricted"} },
			want: []string{"spec.security.policy: Invalid value: \"baseline\": is not in the operator's allowlist EnvironmentConfig.data.limits.allowedSecurityPolicies"}},
		"role": {spec: api.Spec{Sessions: one, Security: &api.Security{KubernetesRole: "admin"}},
			want: []string{"spec.security.kubernetesRole: Invalid value: \"admin\""}},
		"budget": {spec: api.Spec{Sessions: one, Quota: &api.Quota{Budget: "large"}},
			want: []string{"spec.quota.budget: Invalid value: \"large\""}},
		"lifetime": {spec: api.Spec{Sessions: []api.Session{{Name: "a", Lifetime: &api.Lifetime{MaxDuration: "48h"}}}},
			mutate: func(c *environment.Config) { c.Limits.MaxSessionDuration = "24h" },
			want:   []string{"spec.sessions[0].lifetime.maxDuration: Invalid value: \"48h\""}},
		"default lifetime": {spec: api.Spec{Sessions: one},
			mutate: func(c *environment.Config) {
				c.Limits.MaxSessionDuration = "24h"
				c.Defaults.Session.MaxDuration = "72h"
			},
			want: []string{"EnvironmentConfig.data.defaults.session.maxDuration: Invalid value: \"72h\""}},
		"no caps configured": {spec: api.Spec{Sessions: make([]api.Session, 50), Quota: &api.Quota{Memory: "512Gi"}, Security: &api.Security{KubernetesRole: "admin"}},
			mutate: func(c *environment.Config) { c.Limits = environment.Limits{} }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := policyEnv()
			if tc.mutate != nil {
				tc.mutate(c)
			}
			dl := d(tc.spec)
			errs := Caps(dl, c, environment.Resolve(dl.Spec, c))
			got := Veto(errs)
			if len(tc.want) == 0 && len(errs) > 0 {
				t.Fatalf("unexpected: %s", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %q in %q", w, got)
				}
			}
		})
	}
}
