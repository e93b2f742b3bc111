package step

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// route exposes a database host through the operator's Gateway listener
// (TLS passthrough; clients use direct TLS with SNI = the external host).
// The TLSRoute lives in the Datalab's namespace, so it is composed
// directly; the Gateway must admit routes from that namespace.
func route(o *output, svc *service, hostname, backend string) {
	gw := o.in.Env.Database.Gateway
	m := o.manifest("gateway.networking.k8s.io/v1", "TLSRoute", svc.cr, svc)
	m["spec"] = map[string]any{
		"parentRefs": []any{map[string]any{
			"name":        gw.ParentName,
			"namespace":   gw.ParentNamespace,
			"sectionName": gw.SectionName,
		}},
		"hostnames": []any{hostname},
		"rules": []any{map[string]any{
			"backendRefs": []any{map[string]any{"name": backend, "port": int64(postgresPort)}},
		}},
	}
	o.put(compose.PostgresRouteKey(svc.name), svc, m, false, routeAccepted)
}

// routeAccepted is ready when a parent Gateway accepted the route and
// resolved its backend.
func routeAccepted(obs *observed.Resources, key resource.Name) resource.Ready {
	oc, ok := obs.Get(key)
	if !ok || oc.Resource == nil {
		return resource.ReadyFalse
	}
	parents, _, _ := unstructured.NestedSlice(oc.Resource.Object, "status", "parents")
	for _, p := range parents {
		pm, _ := p.(map[string]any)
		conds, _, _ := unstructured.NestedSlice(pm, "conditions")
		if condTrue(conds, "Accepted") && condTrue(conds, "ResolvedRefs") {
			return resource.ReadyTrue
		}
	}
	return resource.ReadyFalse
}

func condTrue(conds []any, typ string) bool {
	for _, c := range conds {
		cm, _ := c.(map[string]any)
		if cm["type"] == typ && cm["status"] == "True" {
			return true
		}
	}
	return false
}

// healthExists is the readiness of plain objects (Secrets, ConfigMaps,
// Services): ready once they exist.
var healthExists readiness = health.Exists

func unstructuredNested(m map[string]any, path ...string) (map[string]any, bool, error) {
	if m == nil {
		return nil, false, nil
	}
	return unstructured.NestedMap(m, path...)
}

func unstructuredSlice(m map[string]any, path ...string) ([]any, bool, error) {
	if m == nil {
		return nil, false, nil
	}
	return unstructured.NestedSlice(m, path...)
}
