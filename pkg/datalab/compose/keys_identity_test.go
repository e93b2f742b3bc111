package compose

import (
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// TestIdentityKeysAreNoRuntimeKeys: steps find the runtime's resources by
// key prefix; no identity key may look like one of them.
func TestIdentityKeysAreNoRuntimeKeys(t *testing.T) {
	keys := []resource.Name{
		LoginSecretKey, OAuthSecretKey, IngressAuthKey, KeycloakClientKey, KeycloakUserGroupKey, KeycloakAdminGroupKey,
		KeycloakUserGroupRolesKey, KeycloakAdminGroupRolesKey, KeycloakUserMembersKey, KeycloakAdminMembersKey,
		KeycloakGroupsMapperKey, KeycloakServiceAccountKey, KeycloakRoleKey("access"), KeycloakScopeKey("access"),
		KeycloakAudienceKey("workspace-api"),
	}
	seen := map[resource.Name]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("key %s used twice", k)
		}
		seen[k] = true
		for _, kind := range []func(string) resource.Name{WorkshopKey, EnvironmentKey, SessionKey, WorkspaceKey} {
			if s, ok := SessionOf(k, kind); ok {
				t.Errorf("identity key %s reads as the runtime key of session %q", k, s)
			}
		}
	}
}
