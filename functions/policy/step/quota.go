package step

import (
	"sort"
	"strconv"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
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

// sessionBudget is the ResourceQuota and LimitRange of a session namespace
// (namespace: an Educates variable inside a Workshop, the name in an
// Object) from the operator's budget class: Educates' class of the same
// name, as one quota over all the namespace's pods (Educates splits it
// into a terminating and a non-terminating quota of the same size each).
func sessionBudget(in *pipeline.Input, session, namespace string) (quota, limits map[string]any) {
	b, ok := environment.BudgetNamed(in.Settings.Budget)
	if !ok {
		// Validation refuses an unknown class before this step runs.
		return nil, nil
	}
	labels := compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, session)
	labels[compose.LabelComponent] = compose.ComponentPolicy
	quota = compose.Manifest("v1", "ResourceQuota", namespace, names.SessionBudget, labels)
	quota["spec"] = map[string]any{"hard": map[string]any{
		"limits.cpu":             b.CPU,
		"limits.memory":          b.Memory,
		"persistentvolumeclaims": strconv.Itoa(b.PersistentVolumeClaims),
		"replicationcontrollers": strconv.Itoa(b.ReplicationControllers),
		"secrets":                strconv.Itoa(b.Secrets),
		"services":               strconv.Itoa(b.Services),
	}}
	min := map[string]any{"cpu": environment.BudgetMinCPU, "memory": environment.BudgetMinMemory}
	max := map[string]any{"cpu": b.CPU, "memory": b.Memory}
	limits = compose.Manifest("v1", "LimitRange", namespace, names.SessionBudget, labels)
	limits["spec"] = map[string]any{"limits": []any{
		map[string]any{"type": "Pod", "min": min, "max": max},
		map[string]any{"type": "Container", "min": min, "max": max,
			"default":        map[string]any{"cpu": b.DefaultCPU, "memory": b.DefaultMemory},
			"defaultRequest": map[string]any{"cpu": environment.BudgetDefaultRequestCPU, "memory": environment.BudgetDefaultRequestMemory}},
		map[string]any{"type": "PersistentVolumeClaim", "min": map[string]any{"storage": environment.BudgetMinVolume}, "max": map[string]any{"storage": b.MaxVolume}},
	}}
	return quota, limits
}
