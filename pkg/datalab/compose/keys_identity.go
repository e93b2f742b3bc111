package compose

import "github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"

// Identity step keys. None starts with a runtime prefix (workshop-,
// environment-, session-, workspace-), so steps that recognise the
// runtime's resources by key never mistake them for a session's.
const (
	// LoginSecretKey is the session login Secret (credentials mode).
	LoginSecretKey resource.Name = "login-secret"
	// OAuthSecretKey is the runtime OAuth Secret {client_id, client_secret}.
	OAuthSecretKey resource.Name = "oauth-secret"
	// IngressAuthKey is the delegated-auth descriptor ConfigMap.
	IngressAuthKey resource.Name = "ingress-auth"

	KeycloakClientKey          resource.Name = "keycloak-client"
	KeycloakUserGroupKey       resource.Name = "keycloak-group-users"
	KeycloakAdminGroupKey      resource.Name = "keycloak-group-admins"
	KeycloakUserGroupRolesKey  resource.Name = "keycloak-group-roles-users"
	KeycloakAdminGroupRolesKey resource.Name = "keycloak-group-roles-admins"
	KeycloakUserMembersKey     resource.Name = "keycloak-members-users"
	KeycloakAdminMembersKey    resource.Name = "keycloak-members-admins"
	KeycloakGroupsMapperKey    resource.Name = "keycloak-mapper-groups"
	KeycloakServiceAccountKey  resource.Name = "keycloak-service-account-role"
)

// KeycloakRoleKey is the client role ws_<role> (access, admin, api).
func KeycloakRoleKey(role string) resource.Name { return resource.Name("keycloak-role-" + role) }

// KeycloakScopeKey is the client scope mapping of the role ws_<role>.
func KeycloakScopeKey(role string) resource.Name { return resource.Name("keycloak-scope-" + role) }

// KeycloakAudienceKey is the audience mapper of one sanitised extra
// audience (names.Audience).
func KeycloakAudienceKey(audience string) resource.Name {
	return resource.Name("keycloak-audience-" + audience)
}

// Identity step keys per agent: its client, its role, its credentials.
func KeycloakAgentClientKey(agent string) resource.Name {
	return resource.Name("keycloak-agent-client-" + agent)
}
func KeycloakAgentRoleKey(agent string) resource.Name {
	return resource.Name("keycloak-agent-role-" + agent)
}
func AgentSecretKey(agent string) resource.Name { return resource.Name("agent-credentials-" + agent) }
func KeycloakAgentScopeKey(agent string) resource.Name {
	return resource.Name("keycloak-agent-scope-" + agent)
}
