package step

import (
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// TestAgentsHaveTheirOwnCredentials: two agents get separate clients
// (client credentials only, one role each), separate random secrets kept
// while their Secret exists, and a new secret once it is deleted.
func TestAgentsHaveTheirOwnCredentials(t *testing.T) {
	spec := `{"users":["alice"],"sessions":[{"name":"a"},{"name":"b"}],
		"agents":[{"name":"crawler","sessions":["a"]},{"name":"reviewer","sessions":["b"],"role":"access"}]}`
	rsp := fntest.Run(t, fn, newRequest(t, input{spec: spec, env: keycloakEnv}))
	if f := fntest.Fatal(rsp); f != "" {
		t.Fatal(f)
	}
	crawler := object(t, rsp, compose.AgentSecretKey("crawler"))
	reviewer := object(t, rsp, compose.AgentSecretKey("reviewer"))
	cs, rs := secretValue(t, crawler, "client_secret"), secretValue(t, reviewer, "client_secret")
	if len(cs) < 24 || cs == rs || secretValue(t, crawler, "client_id") == secretValue(t, reviewer, "client_id") {
		t.Fatal("the agents share or lack credentials")
	}
	for agent, role := range map[string]string{"crawler": "ws-api", "reviewer": "ws-access"} {
		fp := object(t, rsp, compose.KeycloakAgentClientKey(agent))["spec"].(map[string]any)["forProvider"].(map[string]any)
		if fp["standardFlowEnabled"] != false || fp["serviceAccountsEnabled"] != true || fp["fullScopeAllowed"] != false || fp["directAccessGrantsEnabled"] != false {
			t.Errorf("%s: the client allows more than client credentials: %v", agent, fp)
		}
		for _, key := range []resource.Name{compose.KeycloakAgentRoleKey(agent), compose.KeycloakAgentScopeKey(agent)} {
			if got := toJSON(object(t, rsp, key)); !strings.Contains(got, role) {
				t.Errorf("%s: %s does not grant only %s: %s", agent, key, role, got)
			}
		}
	}

	// Kept while the Secret exists; rotated once it is deleted.
	obs := map[string]string{string(compose.AgentSecretKey("crawler")): toJSON(crawler), string(compose.AgentSecretKey("reviewer")): toJSON(reviewer)}
	again := fntest.Run(t, fn, newRequest(t, input{spec: spec, env: keycloakEnv, observed: obs}))
	if secretValue(t, object(t, again, compose.AgentSecretKey("crawler")), "client_secret") != cs {
		t.Fatal("an agent's secret changed while its Secret exists")
	}
	delete(obs, string(compose.AgentSecretKey("crawler")))
	rotated := fntest.Run(t, fn, newRequest(t, input{spec: spec, env: keycloakEnv, observed: obs}))
	if secretValue(t, object(t, rotated, compose.AgentSecretKey("crawler")), "client_secret") == cs {
		t.Fatal("deleting an agent's Secret did not rotate its secret")
	}
	if secretValue(t, object(t, rotated, compose.AgentSecretKey("reviewer")), "client_secret") != rs {
		t.Fatal("rotating one agent changed another's secret")
	}

	// Without Keycloak there is nothing to issue the credentials.
	if f := fntest.Fatal(fntest.Run(t, fn, newRequest(t, input{spec: spec, env: delegatedEnv}))); !strings.Contains(f, "spec.agents") {
		t.Fatalf("agents without Keycloak are not refused: %q", f)
	}
}
