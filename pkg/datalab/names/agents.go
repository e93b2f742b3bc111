package names

// agentSecretSuffix ends every agent credentials Secret name.
const agentSecretSuffix = "-agent-credentials"

// AgentSecret holds an agent's client credentials (client_id,
// client_secret, realm) in the Datalab's namespace; Educates copies it only
// into the workshop namespaces of the sessions the agent lists.
func AgentSecret(datalab, agent string) string { return datalab + "-" + agent + agentSecretSuffix }

// AgentClientID is an agent's Keycloak client ID (global per realm): the
// tenant ID keeps it apart from every other Datalab's.
func (t Tenant) AgentClientID(agent string) string { return t.ID() + "-agent-" + agent }

// AgentMountPath is where a session finds an agent's credentials as files.
func AgentMountPath(agent string) string { return "/opt/datalab/agents/" + agent }
