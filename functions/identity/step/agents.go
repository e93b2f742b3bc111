package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Agents are machine callers with credentials of their own: each gets a
// confidential Keycloak client with only the client-credentials grant,
// whose service account holds only the role it was given (ws_api by
// default) and whose tokens carry only that role; and a Secret
// <datalab>-<agent>-agent-credentials with client_id, client_secret and
// realm. The client secret is random, made here and kept while the
// Secret exists (Keycloak takes it from the Secret): deleting the Secret
// rotates it on the next reconcile. The runtime copies the Secret only
// into the sessions the agent lists.

// agentObjects are the Keycloak resources and Secrets of every agent.
func (k *keycloak) agentObjects() (map[resource.Name]map[string]any, error) {
	out := map[resource.Name]map[string]any{}
	for _, a := range k.in.Datalab.Spec.Agents {
		secret, err := k.agentSecret(a)
		if err != nil {
			return nil, err
		}
		out[compose.AgentSecretKey(a.Name)] = secret
		out[compose.KeycloakAgentClientKey(a.Name)] = k.agentClient(a)
		out[compose.KeycloakAgentRoleKey(a.Name)] = k.agentRole(a)
		out[compose.KeycloakAgentScopeKey(a.Name)] = k.agentScope(a)
	}
	return out, nil
}

func (k *keycloak) agentName(a api.Agent) string { return k.in.Tenant.AgentClientID(a.Name) }

// agentSecret holds the agent's client credentials.
func (k *keycloak) agentSecret(a api.Agent) (map[string]any, error) {
	key := compose.AgentSecretKey(a.Name)
	secret := credentials.Observed(k.in.Observed, key, "client_secret")
	if secret == "" {
		var err error
		if secret, err = credentials.Password(k.in.Datalab.Namespace + "/" + k.in.Datalab.Name + "/agent/" + a.Name); err != nil {
			return nil, err
		}
	}
	m := compose.Manifest("v1", "Secret", "", names.AgentSecret(k.in.Datalab.Name, a.Name), labels(k.in))
	m["type"] = "Opaque"
	m["data"] = credentials.Encode(map[string]string{"client_id": k.agentName(a), "client_secret": secret, "realm": k.realm})
	return m, nil
}

// agentClient allows only the client-credentials grant, with the secret
// from the agent's Secret.
func (k *keycloak) agentClient(a api.Agent) map[string]any {
	return k.mr(openIDClientAPI, "Client", k.agentName(a), map[string]any{
		"clientId":                              k.agentName(a),
		"name":                                  "Agent " + a.Name + " of Datalab " + k.in.Datalab.Namespace + "/" + k.in.Datalab.Name,
		"description":                           "Machine identity " + a.Name + " (role ws_" + a.EffectiveRole() + "; managed by Crossplane)",
		"accessType":                            "CONFIDENTIAL",
		"standardFlowEnabled":                   false,
		"implicitFlowEnabled":                   false,
		"directAccessGrantsEnabled":             false,
		"serviceAccountsEnabled":                true,
		"oauth2DeviceAuthorizationGrantEnabled": false,
		"fullScopeAllowed":                      false,
		"clientSecretSecretRef":                 map[string]any{"name": names.AgentSecret(k.in.Datalab.Name, a.Name), "key": "client_secret"},
	})
}

// agentRole gives the agent's service account its one role of the
// Datalab's client.
func (k *keycloak) agentRole(a api.Agent) map[string]any {
	return k.mr(openIDClientAPI, "ClientServiceAccountRole", k.agentName(a), map[string]any{
		"clientIdRef":                   ref(k.clientName()),
		"roleRef":                       ref(k.roleName(a.EffectiveRole())),
		"serviceAccountUserClientIdRef": ref(k.agentName(a)),
	})
}

// agentScope maps that role, and only it, into the agent's tokens.
func (k *keycloak) agentScope(a api.Agent) map[string]any {
	return k.mr(clientAPI, "RoleMapper", k.agentName(a), map[string]any{
		"clientIdRef": ref(k.agentName(a)),
		"roleIdRef":   ref(k.roleName(a.EffectiveRole())),
	})
}
