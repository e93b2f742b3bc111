package environment

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
)

func cfgFrom(t *testing.T, js string) *Config {
	t.Helper()
	c, err := decode(mustMap(t, js))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustMap(t *testing.T, js string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func bp(b bool) *bool { return &b }

// TestResolvePrecedence: spec, then EnvironmentConfig defaults, then the
// hard defaults; explicit false is honoured at every level.
func TestResolvePrecedence(t *testing.T) {
	envDefaults := `{"defaults":{"quota":{"memory":"3Gi","storage":"4Gi","budget":"large"},
		"security":{"policy":"restricted","kubernetesAccess":"no","kubernetesRole":"view","externalEgress":false}},
		"storageClasses":{"allowed":["fast","slow"]},"retention":{"policy":"Delete"},
		"providerConfigRef":{"name":"pc","kind":"ClusterProviderConfig"}}`
	cases := map[string]struct {
		spec api.Spec
		env  string
		want func(s *Settings)
	}{
		"hard defaults": {
			env: `{}`,
			want: func(s *Settings) {
				*s = Settings{Memory: "2Gi", Storage: "1Gi", Budget: "medium", Policy: "baseline", KubernetesAccess: true,
					KubernetesRole: "edit", ExternalEgress: true, RegistryStorage: "5Gi", Retention: RetentionRetain,
					AuthType: AuthCredentials, Ingress: Ingress{Domain: DefaultIngressDomain, Secret: DefaultIngressSecret},
					ProviderConfig: ProviderConfigRef{Name: "provider-kubernetes", Kind: "ProviderConfig"},
					DataImage:      DefaultDataImage, VClusterVersion: DefaultVClusterVersion}
			},
		},
		"environment defaults": {
			env: envDefaults,
			want: func(s *Settings) {
				*s = Settings{Memory: "3Gi", Storage: "4Gi", Budget: "large", Policy: "restricted", KubernetesAccess: false,
					KubernetesRole: "view", ExternalEgress: false, StorageClassName: "fast", RegistryStorage: "5Gi", Retention: RetentionDelete,
					AuthType: AuthCredentials, Ingress: Ingress{Domain: DefaultIngressDomain, Secret: DefaultIngressSecret},
					ProviderConfig: ProviderConfigRef{Name: "pc", Kind: "ClusterProviderConfig"},
					DataImage:      DefaultDataImage, VClusterVersion: DefaultVClusterVersion}
			},
		},
		"spec wins": {
			spec: api.Spec{
				Quota:       &api.Quota{Memory: "5Gi", Storage: "6Gi", Budget: "small"},
				Security:    &api.Security{Policy: "privileged", KubernetesAccess: bp(true), KubernetesRole: "admin", ExternalEgress: bp(true)},
				Persistence: &api.Persistence{StorageClassName: "slow"},
				Registry:    &api.Registry{Enabled: true, Storage: "7Gi"},
			},
			env: envDefaults,
			want: func(s *Settings) {
				*s = Settings{Memory: "5Gi", Storage: "6Gi", Budget: "small", Policy: "privileged", KubernetesAccess: true,
					KubernetesRole: "admin", ExternalEgress: true, StorageClassName: "slow", RegistryStorage: "7Gi", Docker: true,
					Retention: RetentionDelete, AuthType: AuthCredentials, Ingress: Ingress{Domain: DefaultIngressDomain, Secret: DefaultIngressSecret},
					ProviderConfig: ProviderConfigRef{Name: "pc", Kind: "ClusterProviderConfig"},
					DataImage:      DefaultDataImage, VClusterVersion: DefaultVClusterVersion}
			},
		},
		"explicit false in spec beats environment true": {
			spec: api.Spec{Security: &api.Security{KubernetesAccess: bp(false), ExternalEgress: bp(false)}},
			env:  `{"defaults":{"security":{"kubernetesAccess":true,"externalEgress":"yes"}}}`,
			want: func(s *Settings) {
				*s = Resolve(api.Spec{}, &Config{})
				s.KubernetesAccess, s.ExternalEgress = false, false
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var want Settings
			tc.want(&want)
			got := Resolve(tc.spec, cfgFrom(t, tc.env))
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("-want +got:\n%s", d)
			}
		})
	}
}

func TestBoolishRejectsGarbage(t *testing.T) {
	if _, err := decode(map[string]any{"defaults": map[string]any{"security": map[string]any{"externalEgress": "maybe"}}}); err == nil {
		t.Fatal("a non-boolean string was accepted")
	}
}

func TestStringListAcceptsOneOrMany(t *testing.T) {
	one := cfgFrom(t, `{"iam":{"extraAudiences":"a"}}`)
	many := cfgFrom(t, `{"iam":{"extraAudiences":["a","b"]}}`)
	if d := cmp.Diff(StringList{"a"}, one.IAM.ExtraAudiences); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff(StringList{"a", "b"}, many.IAM.ExtraAudiences); d != "" {
		t.Error(d)
	}
}

func TestSelectName(t *testing.T) {
	cases := []struct {
		ann, lab map[string]string
		want     string
	}{
		{nil, nil, DefaultName},
		{nil, map[string]string{SelectorKey: "from-label"}, "from-label"},
		{map[string]string{SelectorKey: "from-annotation"}, map[string]string{SelectorKey: "from-label"}, "from-annotation"},
		{map[string]string{SelectorKey: "  "}, nil, DefaultName},
	}
	for _, c := range cases {
		if got := SelectName(c.ann, c.lab); got != c.want {
			t.Errorf("SelectName(%v, %v) = %q, want %q", c.ann, c.lab, got, c.want)
		}
	}
}
