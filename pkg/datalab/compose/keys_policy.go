package compose

import "github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"

// Policy step keys: what it composes in the Datalab's own namespace.
const (
	WorkspaceQuotaKey      resource.Name = "policy-quota"
	WorkspaceLimitRangeKey resource.Name = "policy-limits"
	WorkspaceIngressKey    resource.Name = "policy-ingress"
	WorkspaceEgressKey     resource.Name = "policy-egress"
)

// ComponentPolicy is the LabelComponent value of what the policy step
// composes or injects. Injected objects inside another step's Workshop are
// recognised (and replaced on every reconcile) by this label.
const ComponentPolicy = "policy"

// Policy step keys per session: the boundary of the namespaces its code
// runs in, kept current in namespaces that already exist.
func BoundaryWorkshopKey(session string) resource.Name {
	return resource.Name("boundary-workshop-" + session)
}
func BoundarySessionKey(session string) resource.Name {
	return resource.Name("boundary-session-" + session)
}
func BoundaryVClusterKey(session string) resource.Name {
	return resource.Name("boundary-vcluster-" + session)
}
func BudgetQuotaKey(session string) resource.Name  { return resource.Name("budget-quota-" + session) }
func BudgetLimitsKey(session string) resource.Name { return resource.Name("budget-limits-" + session) }
