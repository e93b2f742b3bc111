package compose

// Labels every step puts on what it generates, so operators can find,
// select and govern all of a tenant's objects (and policies key on them).
const (
	LabelDatalab   = "datalabs.pkg.internal/name"
	LabelNamespace = "datalabs.pkg.internal/namespace"
	LabelSession   = "datalabs.pkg.internal/session"
	LabelComponent = "datalabs.pkg.internal/component"
	// LabelComposite is the label Crossplane puts on every composed
	// resource: the name of the composite that composed it.
	LabelComposite = "crossplane.io/composite"
)

// TenantLabels returns the labels identifying a Datalab's objects.
func TenantLabels(namespace, name string) map[string]string {
	return map[string]string{LabelDatalab: name, LabelNamespace: namespace}
}

// SessionLabels adds the session to the tenant labels.
func SessionLabels(namespace, name, session string) map[string]string {
	l := TenantLabels(namespace, name)
	l[LabelSession] = session
	return l
}

// AnnotationVCluster records on an environment's Object whether the
// Workshop it was created from enables vcluster ("true" or "false"): once
// the environment is ready its Workshop is no longer composed, and the
// policy step keeps the vcluster host namespace's boundary by this.
const AnnotationVCluster = "datalabs.pkg.internal/vcluster"
