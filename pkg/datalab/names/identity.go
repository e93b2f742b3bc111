package names

import "strings"

// Identity names. Keycloak client IDs and group names are global per
// realm, so they are derived from the tenant ID (unique per namespace and
// name), never from the bare Datalab name. Secrets and ConfigMaps live in
// the Datalab's namespace and are named after the Datalab.

// KeycloakClientID is the Datalab's confidential OpenID Connect client.
func (t Tenant) KeycloakClientID() string { return t.ID() }

// KeycloakUserGroup holds every user of the Datalab (role ws_access).
func (t Tenant) KeycloakUserGroup() string { return t.ID() }

// KeycloakAdminGroup holds the Datalab's administrators (role ws_admin).
func (t Tenant) KeycloakAdminGroup() string { return t.ID() + "-admin" }

// OAuthClientSecret is the connection Secret provider-keycloak writes for
// the Datalab's client (keys attribute.client_secret and others).
func OAuthClientSecret(datalab string) string { return datalab + "-oauth-client" }

// OAuthSecret is the runtime OAuth Secret {client_id, client_secret} the
// identity step publishes for ingress-layer consumers (APISIX OIDC,
// oauth2-proxy, client-credentials automation).
func OAuthSecret(datalab string) string { return datalab + "-oauth2-client" }

// IngressAuth is the ConfigMap describing a delegated-auth Datalab to the
// operator's ingress policies (hosts, environments, Keycloak client and
// groups). It holds no secret.
func IngressAuth(datalab string) string { return datalab + "-ingress-auth" }

// maxAudience bounds a sanitised audience so every name built from it
// stays short.
const maxAudience = 48

// Audience turns an extra audience (a Keycloak client ID, free text) into
// the DNS-safe part of the names of its protocol mapper: lower-case letters,
// digits and single '-', at most 48 characters. It returns "" when nothing
// is left; validation rejects such an audience, and two audiences that
// sanitise alike.
func Audience(audience string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(audience) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > maxAudience {
		s = strings.TrimRight(s[:maxAudience], "-")
	}
	return s
}
