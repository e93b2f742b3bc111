package main

import (
	"sort"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// Built-in budget of the Datalab's own namespace, where its data services
// run. The operator's limits.workspace values override them key by key.
var (
	// defaultQuota keeps data services off node ports and cloud load
	// balancers: they are reached from the sessions, or through the
	// operator's gateway.
	defaultQuota = map[string]string{
		"services.loadbalancers": "0",
		"services.nodeports":     "0",
	}
	// Containers that state no resources get these.
	defaultLimit   = map[string]string{"cpu": "1", "memory": "1Gi"}
	defaultRequest = map[string]string{"cpu": "100m", "memory": "256Mi"}
)

// workspaceQuota is the ResourceQuota of the Datalab's namespace.
func workspaceQuota(in *pipeline.Input) map[string]any {
	m := compose.Manifest("v1", "ResourceQuota", "", names.WorkspaceQuota(in.Datalab.Name), policyLabels(in))
	m["spec"] = map[string]any{"hard": merged(defaultQuota, in.Env.Limits.Workspace.Quota)}
	return m
}

// workspaceLimitRange gives containers of the Datalab's namespace default
// requests and limits (so the quota can count them) and the operator's
// bounds.
func workspaceLimitRange(in *pipeline.Input) map[string]any {
	lr := in.Env.Limits.Workspace.LimitRange
	limit := map[string]any{
		"type":           "Container",
		"default":        merged(defaultLimit, lr.Default),
		"defaultRequest": merged(defaultRequest, lr.DefaultRequest),
	}
	if len(lr.Max) > 0 {
		limit["max"] = merged(nil, lr.Max)
	}
	if len(lr.Min) > 0 {
		limit["min"] = merged(nil, lr.Min)
	}
	m := compose.Manifest("v1", "LimitRange", "", names.WorkspaceLimitRange(in.Datalab.Name), policyLabels(in))
	m["spec"] = map[string]any{"limits": []any{limit}}
	return m
}

func policyLabels(in *pipeline.Input) map[string]string {
	l := compose.TenantLabels(in.Datalab.Namespace, in.Datalab.Name)
	l[compose.LabelComponent] = compose.ComponentPolicy
	return l
}

func merged(base, over map[string]string) map[string]any {
	out := map[string]any{}
	keys := make([]string, 0, len(base)+len(over))
	for k := range base {
		keys = append(keys, k)
	}
	for k := range over {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v, ok := over[k]; ok {
			out[k] = v
			continue
		}
		out[k] = base[k]
	}
	return out
}
