package validation

import (
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func keycloakEnv() *environment.Config {
	return &environment.Config{IAM: environment.IAM{Realm: "datalab", ExtraAudiences: environment.StringList{"workspace-api"}}}
}

// TestIdentityBadInput: each bad identity input is reported at its field
// path with a fix.
func TestIdentityBadInput(t *testing.T) {
	cases := map[string]struct {
		mutate func(d *api.Datalab, c *environment.Config)
		path   string
		fix    string
	}{
		"user name with a space": {func(d *api.Datalab, _ *environment.Config) { d.Spec.Users = []string{"alice", "bob smith"} }, "spec.users[1]", "letters, digits"},
		"user name with a colon": {func(d *api.Datalab, _ *environment.Config) { d.Spec.Users = []string{"a:b"} }, "spec.users[0]", "letters, digits"},
		"user name too long":     {func(d *api.Datalab, _ *environment.Config) { d.Spec.Users = []string{strings.Repeat("a", 256)} }, "spec.users[0]", "at most 255"},
		"user name upper case":   {func(d *api.Datalab, _ *environment.Config) { d.Spec.Users = []string{"Alice"} }, "spec.users[0]", `write "alice"`},
		"user name too short":    {func(d *api.Datalab, _ *environment.Config) { d.Spec.Users = []string{"al"} }, "spec.users[0]", "at least 3"},
		"audience collision": {func(_ *api.Datalab, c *environment.Config) {
			c.IAM.ExtraAudiences = environment.StringList{"workspace-api", "Workspace API"}
		}, "EnvironmentConfig.data.iam.extraAudiences[1]", "extraAudiences[0]"},
		"audience exact duplicate": {func(_ *api.Datalab, c *environment.Config) {
			c.IAM.ExtraAudiences = environment.StringList{"a-b", "a-b"}
		}, "EnvironmentConfig.data.iam.extraAudiences[1]", "remove the duplicate"},
		"audience without letters": {func(_ *api.Datalab, c *environment.Config) { c.IAM.ExtraAudiences = environment.StringList{"//"} }, "EnvironmentConfig.data.iam.extraAudiences[0]", "no letters or digits"},
		"audience empty":           {func(_ *api.Datalab, c *environment.Config) { c.IAM.ExtraAudiences = environment.StringList{" "} }, "EnvironmentConfig.data.iam.extraAudiences[0]", "remove the empty entry"},
		"keycloak provider config kind": {func(_ *api.Datalab, c *environment.Config) {
			c.IAM.ProviderConfigRef = &environment.ProviderConfigRef{Kind: "Secret"}
		}, "EnvironmentConfig.data.iam.providerConfigRef.kind", "ClusterProviderConfig"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d, c := valid(), keycloakEnv()
			tc.mutate(d, c)
			errs := Identity(d, c)
			if len(errs) == 0 {
				t.Fatal("accepted")
			}
			msg := Message(errs)
			if !strings.Contains(msg, tc.path) || !strings.Contains(msg, tc.fix) {
				t.Fatalf("message %q lacks path %q or fix %q", msg, tc.path, tc.fix)
			}
		})
	}
}

// TestIdentityGoodInput: valid users and audiences pass, and the Keycloak
// rules do not apply without Keycloak.
func TestIdentityGoodInput(t *testing.T) {
	d := valid()
	d.Spec.Users = []string{"alice", "bob@example.com", "c.d_e-f"}
	c := keycloakEnv()
	c.IAM.ExtraAudiences = environment.StringList{"workspace-api", "workspace.api.v2", "other"}
	if errs := Identity(d, c); len(errs) > 0 {
		t.Fatalf("rejected: %s", Message(errs))
	}
	off := environment.Boolish(false)
	c.IAM.Enabled = &off
	c.IAM.ExtraAudiences = environment.StringList{"x", "X"}
	d.Spec.Users = []string{"Al"}
	if errs := Identity(d, c); len(errs) > 0 {
		t.Fatalf("Keycloak rules applied with Keycloak turned off: %s", Message(errs))
	}
}
