package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// vclusterApplication turns on Educates' vcluster for a session's Workshop:
// the session gets its own virtual control plane in
// "$(session_namespace)-vc" and a kubeconfig pointing at it. The Services
// of the Datalab's data services (backends step) are replicated into it
// under the same namespace and name, so the connection keys resolve inside
// the vcluster as they do outside.
func vclusterApplication(in *pipeline.Input) map[string]any {
	app := map[string]any{
		"enabled": true,
		"version": in.Settings.VClusterVersion,
	}
	if svcs := in.Tenant.HostServices(in.Datalab.Spec, in.Env.DatabaseEngine()); len(svcs) > 0 {
		from := make([]any, 0, len(svcs))
		for _, s := range svcs {
			ref := s.Namespace + "/" + s.Name
			from = append(from, map[string]any{"from": ref, "to": ref})
		}
		app["services"] = map[string]any{"fromHost": from}
	}
	return app
}

// vclusterKubeconfig is where Educates mounts the vcluster kubeconfig.
const vclusterKubeconfig = "/opt/kubeconfig/config"

// vclusterObjects pre-seeds the vcluster's service CIDR when the operator
// configured it, so the vcluster does not have to detect it.
func vclusterObjects(in *pipeline.Input) []any {
	cidr := in.Env.Network.ServiceCIDR
	if cidr == "" {
		return nil
	}
	return []any{map[string]any{
		"apiVersion": "v1",
		"kind":       "ConfigMap",
		"metadata":   map[string]any{"name": "vc-cidr-my-vcluster", "namespace": names.VarVClusterNamespace},
		"data":       map[string]any{"cidr": cidr},
	}}
}
