// Package compose builds composed resources: provider-kubernetes Objects
// that wrap what a namespaced Datalab may not compose directly, the
// management policies that decide whether data survives, and the stable
// composition-resource-name keys of every step.
package compose

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

// ObjectAPIVersion and ObjectKind identify provider-kubernetes' namespaced
// Object, the wrapper for cluster-scoped and cross-namespace manifests.
const (
	ObjectAPIVersion = "kubernetes.m.crossplane.io/v1alpha1"
	ObjectKind       = "Object"
)

// Readiness policies of an Object.
const (
	ReadySuccessfulCreate = "SuccessfulCreate"
	ReadyDeriveFromObject = "DeriveFromObject"
	ReadyCEL              = "DeriveFromCelQuery"
)

// ObjectOptions shape the wrapper.
type ObjectOptions struct {
	// ProviderConfig is the provider-kubernetes config to use.
	ProviderConfig environment.ProviderConfigRef
	// Stateful marks objects holding tenant data (volumes, databases,
	// environments whose namespace holds volumes): the retention policy
	// decides whether deleting the Object may delete its target.
	Stateful bool
	// Retention is the operator's retention policy (Retain or Delete).
	Retention string
	// ReadinessPolicy and CELQuery decide when the Object reports Ready.
	ReadinessPolicy string
	CELQuery        string
	// ObserveOnly makes the Object only read its target (for example an
	// operator's StatefulSet whose readiness a step reports): it never
	// creates, changes or deletes it.
	ObserveOnly bool
	// UpdateOnly makes the Object change fields of an existing target it
	// did not create (the manifest lists only those), never create or
	// delete it.
	UpdateOnly bool
}

// Object wraps a manifest in a provider-kubernetes Object named name in the
// Datalab's namespace (the XR's namespace is applied by Crossplane).
func Object(name string, manifest map[string]any, o ObjectOptions) map[string]any {
	readiness := map[string]any{"policy": ReadySuccessfulCreate}
	if o.ReadinessPolicy != "" {
		readiness["policy"] = o.ReadinessPolicy
	}
	if o.CELQuery != "" {
		readiness["celQuery"] = o.CELQuery
	}
	policies := ManagementPolicies(o.Stateful, o.Retention)
	switch {
	case o.ObserveOnly:
		policies = []any{"Observe"}
	case o.UpdateOnly:
		policies = []any{"Observe", "Update"}
	}
	return map[string]any{
		"apiVersion": ObjectAPIVersion,
		"kind":       ObjectKind,
		"metadata":   map[string]any{"name": name},
		"spec": map[string]any{
			"forProvider":        map[string]any{"manifest": manifest},
			"managementPolicies": policies,
			"providerConfigRef": map[string]any{
				"name": o.ProviderConfig.Name,
				"kind": o.ProviderConfig.Kind,
			},
			"readiness": readiness,
			"watch":     true,
		},
	}
}

// ManagementPolicies returns the Object's management policies. Stateful
// targets are never deleted by Crossplane unless the operator's retention
// policy is Delete: removing them from the desired state, or deleting the
// Datalab, orphans the data instead.
func ManagementPolicies(stateful bool, retention string) []any {
	if stateful && retention != environment.RetentionDelete {
		return []any{"Observe", "Create", "Update", "LateInitialize"}
	}
	return []any{"*"}
}

// Manifest starts a Kubernetes manifest; namespace may be empty for
// cluster-scoped kinds.
func Manifest(apiVersion, kind, namespace, name string, labels map[string]string) map[string]any {
	meta := map[string]any{"name": name}
	if namespace != "" {
		meta["namespace"] = namespace
	}
	if len(labels) > 0 {
		l := make(map[string]any, len(labels))
		for k, v := range labels {
			l[k] = v
		}
		meta["labels"] = l
	}
	return map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": meta}
}
