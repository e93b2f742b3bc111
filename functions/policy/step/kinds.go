package step

import (
	"strings"
)

// groupScope says which kinds of an API group are namespaced: all of them
// except the listed ones (namespaced true), or none except the listed ones.
type groupScope struct {
	namespaced bool
	except     map[string]bool
}

func set(kinds ...string) map[string]bool {
	m := make(map[string]bool, len(kinds))
	for _, k := range kinds {
		m[k] = true
	}
	return m
}

// knownGroups is the scope table of every API group a Datalab pipeline
// composes or nests (Kubernetes, Crossplane, Educates, the data-service
// operators, Gateway API, ingress and policy engines). A kind outside it
// is rejected: the gate cannot tell whether it would land outside the
// tenant's namespace. Operators add their own kinds with
// limits.extraNamespacedKinds.
var knownGroups = map[string]groupScope{
	"":                                  {namespaced: true, except: set("Namespace", "Node", "PersistentVolume", "ComponentStatus")},
	"apps":                              {namespaced: true},
	"batch":                             {namespaced: true},
	"autoscaling":                       {namespaced: true},
	"policy":                            {namespaced: true},
	"discovery.k8s.io":                  {namespaced: true},
	"coordination.k8s.io":               {namespaced: true},
	"networking.k8s.io":                 {namespaced: true, except: set("IngressClass", "IPAddress", "ServiceCIDR")},
	"rbac.authorization.k8s.io":         {namespaced: true, except: set("ClusterRole", "ClusterRoleBinding")},
	"storage.k8s.io":                    {namespaced: false},
	"apiextensions.k8s.io":              {namespaced: false},
	"admissionregistration.k8s.io":      {namespaced: false},
	"scheduling.k8s.io":                 {namespaced: false},
	"node.k8s.io":                       {namespaced: false},
	"certificates.k8s.io":               {namespaced: false},
	"gateway.networking.k8s.io":         {namespaced: true, except: set("GatewayClass")},
	"postgres-operator.crunchydata.com": {namespaced: true},
	"postgresql.cnpg.io":                {namespaced: true, except: set("ClusterImageCatalog")},
	"mongodbcommunity.mongodb.com":      {namespaced: true},
	"redis.redis.opstreelabs.in":        {namespaced: true},
	"qdrant.io":                         {namespaced: true},
	"apisix.apache.org":                 {namespaced: true},
	"cert-manager.io":                   {namespaced: true, except: set("ClusterIssuer")},
	"kyverno.io":                        {namespaced: true, except: set("ClusterPolicy", "ClusterCleanupPolicy")},
	"training.educates.dev":             {namespaced: false},
	"secrets.educates.dev":              {namespaced: false},
	"protection.crossplane.io":          {namespaced: true, except: set("ClusterUsage")},
	"apiextensions.crossplane.io":       {namespaced: false},
	"pkg.crossplane.io":                 {namespaced: false},
	"kubernetes.crossplane.io":          {namespaced: false},
	"helm.crossplane.io":                {namespaced: false},
}

// scopes answers whether a kind is namespaced.
type scopes struct {
	extra map[string]bool // group/Kind from limits.extraNamespacedKinds
}

func newScopes(extra []string) scopes {
	s := scopes{extra: map[string]bool{}}
	for _, k := range extra {
		s.extra[k] = true
	}
	return s
}

// namespaced returns whether apiVersion/kind is namespaced and whether the
// table knows it. Crossplane v2 namespaced managed resources live in groups
// ending in .m.crossplane.io; only their Cluster* kinds (for example
// ClusterProviderConfig) are cluster-scoped.
func (s scopes) namespaced(apiVersion, kind string) (namespaced, known bool) {
	group := groupOf(apiVersion)
	if s.extra[group+"/"+kind] {
		return true, true
	}
	if strings.HasSuffix(group, ".m.crossplane.io") {
		return !strings.HasPrefix(kind, "Cluster"), true
	}
	g, ok := knownGroups[group]
	if !ok {
		return false, false
	}
	return g.namespaced != g.except[kind], true
}

func groupOf(apiVersion string) string {
	if g, _, ok := strings.Cut(apiVersion, "/"); ok {
		return g
	}
	return ""
}
