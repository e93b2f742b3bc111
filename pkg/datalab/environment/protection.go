package environment

// ProtectionRequirement keys the protection object in required resources.
const ProtectionRequirement = "ingress-protection"

// Protection is the object that makes the operator's ingress layer
// authenticate session hosts in delegated mode: for example the Kyverno
// ClusterPolicy of one of the recipes (functions/identity/recipes), which
// adds the protection to every session Ingress. With auth.type delegated
// Educates' own login is off, so the runtime renders a session only while
// this object exists and, when it reports a Ready condition, that
// condition is True.
type Protection struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	// Namespace is empty for cluster-scoped kinds.
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

// String names the object in messages.
func (p Protection) String() string {
	if p.Namespace == "" {
		return p.Kind + " " + p.Name
	}
	return p.Kind + " " + p.Namespace + "/" + p.Name
}
