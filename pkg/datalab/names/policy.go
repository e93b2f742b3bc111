package names

// Policy names. The NetworkPolicies the policy step injects into the
// namespaces where tenant code runs have fixed names per namespace (each
// namespace belongs to one session); the operator excludes any of them by
// name with network.excludePolicies. The first five keep the predecessor's
// names so existing EnvironmentConfigs keep working.
const (
	PolicyDenyEgress        = "deny-egress"
	PolicyNamespaceEgress   = "allow-namespace-egress"
	PolicyDNSEgress         = "allow-dns-egress"
	PolicyExternalEgress    = "allow-external-egress"
	PolicyInternalEgress    = "allow-internal-egress"
	PolicyServicesEgress    = "allow-services-egress"
	PolicySessionEgress     = "allow-session-egress"
	PolicyAPIServerEgress   = "allow-apiserver-egress"
	PolicyDenyIngress       = "deny-ingress"
	PolicyNamespaceIngress  = "allow-namespace-ingress"
	PolicyIngressController = "allow-ingress-controller"
	PolicySessionIngress    = "allow-session-ingress"
	// PolicyWorkspaceIngress is the exclusion name of the ingress policy of
	// the Datalab's own namespace (named WorkspaceIngressPolicy).
	PolicyWorkspaceIngress = "workspace-ingress"
	// PolicyWorkspaceEgress is the exclusion name of the egress policy of
	// the Datalab's data services (named WorkspaceEgressPolicy).
	PolicyWorkspaceEgress = "workspace-egress"
)

// Policies lists every name network.excludePolicies accepts.
var Policies = []string{
	PolicyDenyEgress, PolicyNamespaceEgress, PolicyDNSEgress, PolicyExternalEgress,
	PolicyInternalEgress, PolicyServicesEgress, PolicySessionEgress, PolicyAPIServerEgress,
	PolicyDenyIngress, PolicyNamespaceIngress, PolicyIngressController, PolicySessionIngress,
	PolicyWorkspaceIngress, PolicyWorkspaceEgress,
}

// WorkspaceQuota is the ResourceQuota of the Datalab's own namespace, where
// its data services run.
func WorkspaceQuota(datalab string) string { return datalab + "-quota" }

// WorkspaceLimitRange is the LimitRange of the Datalab's own namespace.
func WorkspaceLimitRange(datalab string) string { return datalab + "-limits" }

// WorkspaceIngressPolicy is the NetworkPolicy that admits into the
// Datalab's own namespace only the Datalab's session namespaces, the
// namespace itself and the operator's listed namespaces.
func WorkspaceIngressPolicy(datalab string) string { return datalab + "-ingress" }

// WorkspaceEgressPolicy confines what the Datalab's data services reach.
func WorkspaceEgressPolicy(datalab string) string { return datalab + "-egress" }

// SessionBoundaryPolicy is the NetworkPolicy of every namespace where a
// session's code runs (workshop, session, vcluster host): the flows above,
// minus the operator's exclusions, in one object per namespace.
const SessionBoundaryPolicy = "datalab-boundary"

// SessionBudget names the ResourceQuota and the LimitRange of a session
// namespace (the operator's budget class).
const SessionBudget = "datalab-budget"
