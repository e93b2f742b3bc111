package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// vclusterApplication turns on Educates' vcluster for a session's Workshop:
// the session gets its own virtual control plane in
// "$(session_namespace)-vc" and a kubeconfig pointing at it.
func vclusterApplication(in *pipeline.Input) map[string]any {
	return map[string]any{
		"enabled": true,
		"version": in.Settings.VClusterVersion,
	}
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
		"metadata":   map[string]any{"name": "vc-cidr-my-vcluster", "namespace": "$(session_namespace)-vc"},
		"data":       map[string]any{"cidr": cidr},
	}}
}
