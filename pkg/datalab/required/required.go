// Package required asks Crossplane for resources a step reads but does not
// compose (the EnvironmentConfig, tenants' and operators' Secrets). Required
// resources are recomputed on every call, so a step states its requirements
// each time and treats "not resolved yet" as "return and be called again".
package required

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/request"
)

// Require adds one requirement by name (namespace "" for cluster-scoped
// kinds) to the response.
func Require(rsp *fnv1.RunFunctionResponse, key, apiVersion, kind, namespace, name string) {
	if rsp.Requirements == nil {
		rsp.Requirements = &fnv1.Requirements{}
	}
	if rsp.Requirements.Resources == nil {
		rsp.Requirements.Resources = map[string]*fnv1.ResourceSelector{}
	}
	sel := &fnv1.ResourceSelector{
		ApiVersion: apiVersion,
		Kind:       kind,
		Match:      &fnv1.ResourceSelector_MatchName{MatchName: name},
	}
	if namespace != "" {
		sel.Namespace = &namespace
	}
	rsp.Requirements.Resources[key] = sel
}

// Secret requires the Secret namespace/name under key and returns it: nil
// when Crossplane resolved the requirement and found nothing, resolved
// false when it has not resolved it yet. Its data stays in this process:
// required resources are never copied into other objects.
func Secret(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, key, namespace, name string) (secret *unstructured.Unstructured, resolved bool) {
	return Object(req, rsp, key, "v1", "Secret", namespace, name)
}

// Object requires any object by kind and name (namespace "" for
// cluster-scoped kinds) and returns it, like Secret.
func Object(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, key, apiVersion, kind, namespace, name string) (obj *unstructured.Unstructured, resolved bool) {
	Require(rsp, key, apiVersion, kind, namespace, name)
	return Given(req, key, apiVersion, kind, namespace, name)
}

// Given reads what the request carries under key without requiring it
// (a Composition step's requirements, which Crossplane fetches before the
// first call): resolved false when the key is absent or holds another
// object.
func Given(req *fnv1.RunFunctionRequest, key, apiVersion, kind, namespace, name string) (obj *unstructured.Unstructured, resolved bool) {
	found, resolved := request.GetRequiredResource(req, key)
	if !resolved || len(found) == 0 {
		return nil, resolved
	}
	u := found[0]
	if u.GetKind() != kind || u.GetName() != name || u.GetNamespace() != namespace {
		// An answer to an earlier requirement under the same key (Crossplane
		// hands last reconcile's required resources to the first call):
		// not what is asked for now, so not resolved yet.
		return nil, false
	}
	return u, true
}
