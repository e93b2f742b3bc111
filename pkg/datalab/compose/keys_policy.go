package compose

import "github.com/crossplane/function-sdk-go/resource"

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
