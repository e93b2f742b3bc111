package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// An agent's credentials Secret (identity step) reaches only the sessions
// the agent lists: Educates copies it into their workshop namespaces and
// the session sees it as files under /opt/datalab/agents/<agent> (files,
// not variables, so a rotated secret arrives without a restart). Other
// sessions get no copy.

// agentsOf lists the agents that list session s.
func agentsOf(in *pipeline.Input, s string) []api.Agent {
	var out []api.Agent
	for _, a := range in.Datalab.Spec.Agents {
		for _, listed := range a.Sessions {
			if listed == s {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

func agentEnvironmentSecrets(in *pipeline.Input, s string) []any {
	var out []any
	for _, a := range agentsOf(in, s) {
		out = append(out, map[string]any{"name": names.AgentSecret(in.Datalab.Name, a.Name), "namespace": in.Datalab.Namespace})
	}
	return out
}

func agentVolumes(in *pipeline.Input, s string) []any {
	var out []any
	for _, a := range agentsOf(in, s) {
		out = append(out, map[string]any{"name": "agent-" + a.Name, "secret": map[string]any{"secretName": names.AgentSecret(in.Datalab.Name, a.Name), "optional": true}})
	}
	return out
}

func agentMounts(in *pipeline.Input, s string) []any {
	var out []any
	for _, a := range agentsOf(in, s) {
		out = append(out, map[string]any{"name": "agent-" + a.Name, "mountPath": names.AgentMountPath(a.Name), "readOnly": true})
	}
	return out
}
