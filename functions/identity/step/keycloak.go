package step

import (
	"fmt"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// API versions of the provider-keycloak namespaced managed resources (the
// versions its CRDs serve). Every kind used here is listed in package/activation.yaml.
const (
	openIDClientAPI = "openidclient.keycloak.m.crossplane.io/v1alpha1"
	openIDGroupAPI  = "openidgroup.keycloak.m.crossplane.io/v1alpha1"
	groupAPI        = "group.keycloak.m.crossplane.io/v1alpha1"
	roleGroupAPI    = "role.keycloak.m.crossplane.io/v1alpha1"
	clientAPI       = "client.keycloak.m.crossplane.io/v1alpha1"
)

// Client roles: humans get ws_access (users group) or ws_admin (admin
// group); the client's own service account gets only ws_api.
const (
	roleAccess = "access"
	roleAdmin  = "admin"
	roleAPI    = "api"
)

var roles = []string{roleAccess, roleAdmin, roleAPI}

// keycloak renders the Keycloak side of one Datalab. Keycloak names that
// are global per realm (client ID, group names) come from the tenant ID;
// the managed resources are named after it too, so two Datalabs never
// collide in a namespace either.
type keycloak struct {
	in       *pipeline.Input
	realm    string
	provider environment.ProviderConfigRef
	clientID string
	users    []string
	admins   []string
}

func newKeycloak(in *pipeline.Input) *keycloak {
	return &keycloak{
		in:       in,
		realm:    in.Env.KeycloakRealm(),
		provider: in.Env.KeycloakProviderConfig(),
		clientID: in.Tenant.KeycloakClientID(),
		users:    in.Datalab.Spec.Users,
		admins:   admins(in.Datalab.Spec),
	}
}

// admins are the first user (always an administrator) and every user whose
// override asks for role admin.
func admins(spec api.Spec) []string {
	var out []string
	for i, u := range spec.Users {
		if i == 0 || spec.UserOverrides[u].Role == "admin" {
			out = append(out, u)
		}
	}
	return out
}

// Managed-resource names in the Datalab's namespace.
func (k *keycloak) clientName() string       { return k.in.Tenant.ID() }
func (k *keycloak) userGroupName() string    { return k.in.Tenant.KeycloakUserGroup() }
func (k *keycloak) adminGroupName() string   { return k.in.Tenant.KeycloakAdminGroup() }
func (k *keycloak) roleName(r string) string { return k.in.Tenant.ID() + "-ws-" + r }

// objects are every Keycloak managed resource of the Datalab.
func (k *keycloak) objects() map[resource.Name]map[string]any {
	out := map[resource.Name]map[string]any{
		compose.KeycloakClientKey:          k.client(),
		compose.KeycloakUserGroupKey:       k.group(k.userGroupName(), k.in.Tenant.KeycloakUserGroup()),
		compose.KeycloakAdminGroupKey:      k.group(k.adminGroupName(), k.in.Tenant.KeycloakAdminGroup()),
		compose.KeycloakUserGroupRolesKey:  k.groupRoles(k.userGroupName(), roleAccess),
		compose.KeycloakAdminGroupRolesKey: k.groupRoles(k.adminGroupName(), roleAdmin),
		compose.KeycloakGroupsMapperKey:    k.groupsMapper(),
		compose.KeycloakServiceAccountKey:  k.serviceAccountRole(),
	}
	for _, r := range roles {
		out[compose.KeycloakRoleKey(r)] = k.role(r)
		out[compose.KeycloakScopeKey(r)] = k.scopeMapping(r)
	}
	// A group without users gets no Memberships resource: when the last
	// user leaves the spec, deleting it removes the last memberships.
	if len(k.users) > 0 {
		out[compose.KeycloakUserMembersKey] = k.memberships(k.userGroupName(), k.users)
	}
	if len(k.admins) > 0 {
		out[compose.KeycloakAdminMembersKey] = k.memberships(k.adminGroupName(), k.admins)
	}
	for _, a := range k.in.Env.ExtraAudiences() {
		out[compose.KeycloakAudienceKey(names.Audience(a))] = k.audienceMapper(a)
	}
	return out
}

// mr starts a managed resource with the realm, the provider config and
// the given forProvider fields.
func (k *keycloak) mr(apiVersion, kind, name string, forProvider map[string]any) map[string]any {
	forProvider["realmId"] = k.realm
	m := compose.Manifest(apiVersion, kind, "", name, labels(k.in))
	m["spec"] = map[string]any{
		"forProvider":       forProvider,
		"providerConfigRef": map[string]any{"name": k.provider.Name, "kind": k.provider.Kind},
	}
	return m
}

func ref(name string) map[string]any { return map[string]any{"name": name} }

// client is the Datalab's confidential OpenID Connect client: the
// authorization code flow for the session hosts, client credentials for
// its service account, nothing else. Only the roles mapped into its scope
// reach its tokens (fullScopeAllowed false).
func (k *keycloak) client() map[string]any {
	redirects, origins := k.urls()
	m := k.mr(openIDClientAPI, "Client", k.clientName(), map[string]any{
		"clientId":                              k.clientID,
		"name":                                  fmt.Sprintf("Datalab %s/%s", k.in.Datalab.Namespace, k.in.Datalab.Name),
		"description":                           "Sessions of the Datalab " + k.in.Datalab.Namespace + "/" + k.in.Datalab.Name + " (managed by Crossplane)",
		"accessType":                            "CONFIDENTIAL",
		"standardFlowEnabled":                   true,
		"implicitFlowEnabled":                   false,
		"directAccessGrantsEnabled":             false,
		"serviceAccountsEnabled":                true,
		"oauth2DeviceAuthorizationGrantEnabled": false,
		"fullScopeAllowed":                      false,
		"validRedirectUris":                     redirects,
		"webOrigins":                            origins,
	})
	m["spec"].(map[string]any)["writeConnectionSecretToRef"] = map[string]any{"name": names.OAuthClientSecret(k.in.Datalab.Name)}
	return m
}

// urls are the redirect URIs (https://<host>/*) and web origins
// (https://<host>: origins carry no path) of every host of every declared
// session, started or stopped, so starting a session never changes the
// client. No localhost, no plain http.
func (k *keycloak) urls() (redirects, origins []any) {
	domain := k.in.Settings.Ingress.Domain
	var hosts []string
	for _, s := range k.in.Datalab.Spec.Sessions {
		hosts = append(hosts, k.in.Tenant.Hosts(s.Name, domain)...)
	}
	var r, o []string
	for _, h := range hosts {
		r = append(r, "https://"+h+"/*")
		o = append(o, "https://"+h)
	}
	return sortedUnique(r), sortedUnique(o)
}

func (k *keycloak) group(name, keycloakName string) map[string]any {
	return k.mr(groupAPI, "Group", name, map[string]any{"name": keycloakName})
}

// role is the client role ws_<r>.
func (k *keycloak) role(r string) map[string]any {
	return k.mr(roleGroupAPI, "Role", k.roleName(r), map[string]any{
		"name":        "ws_" + r,
		"description": "Datalab " + k.in.Datalab.Namespace + "/" + k.in.Datalab.Name + ": " + roleDescriptions[r],
		"clientIdRef": ref(k.clientName()),
	})
}

var roleDescriptions = map[string]string{
	roleAccess: "enter the sessions",
	roleAdmin:  "administer the Datalab",
	roleAPI:    "call the Datalab's APIs as its service account",
}

// scopeMapping maps the role into the client's scope (needed because the
// client does not allow its full scope).
func (k *keycloak) scopeMapping(r string) map[string]any {
	return k.mr(clientAPI, "RoleMapper", k.roleName(r), map[string]any{
		"clientIdRef": ref(k.clientName()),
		"roleIdRef":   ref(k.roleName(r)),
	})
}

// groupRoles binds the role ws_<r> to a group.
func (k *keycloak) groupRoles(group, r string) map[string]any {
	return k.mr(groupAPI, "Roles", group, map[string]any{
		"groupIdRef":  ref(group),
		"roleIdsRefs": []any{ref(k.roleName(r))},
	})
}

func (k *keycloak) memberships(group string, members []string) map[string]any {
	return k.mr(groupAPI, "Memberships", group, map[string]any{
		"groupIdRef": ref(group),
		"members":    sortedUnique(members),
	})
}

// groupsMapper puts the user's groups (names only) into ID tokens as the
// claim "groups".
func (k *keycloak) groupsMapper() map[string]any {
	return k.mr(openIDGroupAPI, "GroupMembershipProtocolMapper", k.in.Tenant.ID()+"-groups", map[string]any{
		"name":             "groups",
		"claimName":        "groups",
		"clientIdRef":      ref(k.clientName()),
		"addToIdToken":     true,
		"addToAccessToken": false,
		"addToUserinfo":    false,
		"fullPath":         false,
	})
}

// audienceMapper adds one extra audience (a client ID) to access tokens.
func (k *keycloak) audienceMapper(audience string) map[string]any {
	a := names.Audience(audience)
	return k.mr(openIDGroupAPI, "AudienceProtocolMapper", k.in.Tenant.ID()+"-audience-"+a, map[string]any{
		"name":                   a + "-audience",
		"clientIdRef":            ref(k.clientName()),
		"includedClientAudience": audience,
		"addToAccessToken":       true,
		"addToIdToken":           false,
	})
}

// serviceAccountRole gives the client's service account the role ws_api
// and nothing else.
func (k *keycloak) serviceAccountRole() map[string]any {
	return k.mr(openIDClientAPI, "ClientServiceAccountRole", k.roleName(roleAPI), map[string]any{
		"clientIdRef":                   ref(k.clientName()),
		"roleRef":                       ref(k.roleName(roleAPI)),
		"serviceAccountUserClientIdRef": ref(k.clientName()),
	})
}
