package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Educates creates what a Workshop lists (spec.environment.objects,
// spec.session.objects) once, with the namespace, and never again; and it
// creates later sessions from the copy of the Workshop it took when the
// environment was created. So the boundary of a namespace that already
// runs is kept by Objects of this step: the NetworkPolicy of each
// namespace and the budget of the session namespace, under the same names
// as the templates (the Object takes over what Educates created: it
// carries this Datalab's labels). An operator's change reaches every
// running namespace within one reconcile; the templates only close the
// gap between a namespace's creation and the Object's first apply.

// boundaryObjects are the Objects of session k's namespaces that exist:
// the workshop namespace with the environment, the session (and vcluster
// host) namespace while the session runs; and how many NetworkPolicies the
// session's namespaces have (running or not).
func (n netplan) boundaryObjects(in *pipeline.Input, k kept, sessionRuns bool) (map[resource.Name]*resource.DesiredComposed, int) {
	t := in.Tenant
	s := k.session
	out := map[resource.Name]*resource.DesiredComposed{}
	put := func(key resource.Name, m map[string]any) {
		if m == nil {
			return
		}
		meta, _ := m["metadata"].(map[string]any)
		ns, _ := meta["namespace"].(string)
		out[key] = desiredOf(compose.Object(kindPrefix(m)+ns, m, compose.ObjectOptions{ProviderConfig: in.Settings.ProviderConfig}))
	}
	workshop := n.sessionPolicy(in, s, roleWorkshop, k.vcluster, t.Environment(s))
	session := n.sessionPolicy(in, s, roleSession, k.vcluster, t.SessionNamespace(s))
	var vcluster map[string]any
	if k.vcluster {
		vcluster = n.sessionPolicy(in, s, roleVCluster, true, t.VClusterNamespace(s))
	}
	count := len(present(workshop, session, vcluster))
	put(compose.BoundaryWorkshopKey(s), workshop)
	if !sessionRuns {
		return out, count
	}
	put(compose.BoundarySessionKey(s), session)
	put(compose.BoundaryVClusterKey(s), vcluster)
	quota, limits := sessionBudget(in, s, t.SessionNamespace(s))
	put(compose.BudgetQuotaKey(s), quota)
	put(compose.BudgetLimitsKey(s), limits)
	return out, count
}

// kindPrefix names an Object after its target's kind and namespace (one
// target of each kind per namespace).
func kindPrefix(m map[string]any) string {
	switch kindOf(m) {
	case "NetworkPolicy":
		return "netpol-"
	case "ResourceQuota":
		return "quota-"
	default:
		return "limits-"
	}
}
