package main

import (
	"github.com/crossplane/function-sdk-go/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
)

// observedAsDesired returns an observed composed resource as desired state,
// exactly as it is (identity and content only), for objects that must stay
// while their inputs are missing. Nil when it was not observed.
func observedAsDesired(observed map[resource.Name]resource.ObservedComposed, key resource.Name) map[string]any {
	return compose.FromObserved(observed, key)
}

// observedManifest is the target object an observed Object reports.
func observedManifest(observed map[resource.Name]resource.ObservedComposed, key resource.Name) map[string]any {
	return health.Manifest(observed, key)
}

// appliedManifest is the manifest the observed Object was last told to
// apply (spec.forProvider.manifest), i.e. this step's previous output.
func appliedManifest(observed map[resource.Name]resource.ObservedComposed, key resource.Name) map[string]any {
	return health.AppliedManifest(observed, key)
}

func str(m map[string]any, path ...string) string {
	v, _, _ := unstructured.NestedString(m, path...)
	return v
}

func unstructuredOf(obj map[string]any) unstructured.Unstructured {
	return unstructured.Unstructured{Object: obj}
}
