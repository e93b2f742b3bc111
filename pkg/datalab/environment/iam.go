package environment

import "strings"

// DefaultKeycloakProviderConfig is the provider-keycloak ProviderConfig the
// Keycloak managed resources use when iam.providerConfigRef names none.
const DefaultKeycloakProviderConfig = "provider-keycloak"

// KeycloakManaged reports whether access is Keycloak-managed: the operator
// configured a realm (iam.realm) and did not turn it off (iam.enabled:
// false). It is independent of auth.type.
func (c *Config) KeycloakManaged() bool {
	if strings.TrimSpace(c.IAM.Realm) == "" {
		return false
	}
	return c.IAM.Enabled == nil || bool(*c.IAM.Enabled)
}

// KeycloakRealm is the realm holding every Datalab's client, groups and
// roles.
func (c *Config) KeycloakRealm() string { return strings.TrimSpace(c.IAM.Realm) }

// KeycloakProviderConfig is the provider-keycloak config of the Keycloak
// managed resources: iam.providerConfigRef, defaulting to the namespaced
// ProviderConfig "provider-keycloak".
func (c *Config) KeycloakProviderConfig() ProviderConfigRef {
	r := ProviderConfigRef{Name: DefaultKeycloakProviderConfig, Kind: "ProviderConfig"}
	if p := c.IAM.ProviderConfigRef; p != nil {
		r.Name = first(p.Name, r.Name)
		r.Kind = first(p.Kind, r.Kind)
	}
	return r
}

// ExtraAudiences are the configured extra audiences, trimmed, in the
// operator's order.
func (c *Config) ExtraAudiences() []string {
	out := make([]string, 0, len(c.IAM.ExtraAudiences))
	for _, a := range c.IAM.ExtraAudiences {
		out = append(out, strings.TrimSpace(a))
	}
	return out
}
