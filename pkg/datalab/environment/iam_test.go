package environment

import "testing"

func TestKeycloakManaged(t *testing.T) {
	off, on := Boolish(false), Boolish(true)
	cases := map[string]struct {
		iam  IAM
		want bool
	}{
		"no realm":             {IAM{}, false},
		"blank realm":          {IAM{Realm: "  "}, false},
		"realm":                {IAM{Realm: "datalab"}, true},
		"realm, enabled":       {IAM{Realm: "datalab", Enabled: &on}, true},
		"realm, turned off":    {IAM{Realm: "datalab", Enabled: &off}, false},
		"no realm but enabled": {IAM{Enabled: &on}, false},
	}
	for name, tc := range cases {
		c := &Config{IAM: tc.iam}
		if got := c.KeycloakManaged(); got != tc.want {
			t.Errorf("%s: KeycloakManaged() = %v, want %v", name, got, tc.want)
		}
	}
}

func TestKeycloakProviderConfig(t *testing.T) {
	c := &Config{}
	if got := c.KeycloakProviderConfig(); got != (ProviderConfigRef{Name: "provider-keycloak", Kind: "ProviderConfig"}) {
		t.Errorf("default = %+v", got)
	}
	c.IAM.ProviderConfigRef = &ProviderConfigRef{Kind: "ClusterProviderConfig"}
	if got := c.KeycloakProviderConfig(); got != (ProviderConfigRef{Name: "provider-keycloak", Kind: "ClusterProviderConfig"}) {
		t.Errorf("kind only = %+v", got)
	}
	c.IAM.ProviderConfigRef = &ProviderConfigRef{Name: "keycloak-prod"}
	if got := c.KeycloakProviderConfig(); got != (ProviderConfigRef{Name: "keycloak-prod", Kind: "ProviderConfig"}) {
		t.Errorf("name only = %+v", got)
	}
}

func TestExtraAudiencesFromString(t *testing.T) {
	cfg, err := decode(map[string]any{"iam": map[string]any{"realm": "r", "extraAudiences": " workspace-api "}})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.ExtraAudiences(); len(got) != 1 || got[0] != "workspace-api" {
		t.Errorf("ExtraAudiences() = %q", got)
	}
}
