package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/desired"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/required"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Never adopt what belongs to someone else. Crossplane applies a composed
// resource over an existing object of the same name that no composite
// controls (a tenant's own Secret, say), and provider-kubernetes applies
// an Object's manifest over whatever exists under its name, cluster-wide.
// So before a step first creates an object (it is not in observed state
// yet), it requires what exists under that name: an object that carries
// another Datalab's labels, or none, stops the pipeline with a Fatal
// result naming it. Objects shared on purpose (their manifest carries no
// Datalab labels, like the MongoDB prerequisites of a namespace) may be
// adopted only when they carry no Datalab's labels either.

// OwnerRequirementPrefix keys the ownership look-ups in required resources.
const OwnerRequirementPrefix = "owner:"

// target is one object a composed resource creates.
type target struct {
	apiVersion, kind, namespace, name string
	// shared: created without Datalab labels on purpose.
	shared bool
	// composed: the composed resource itself, which Crossplane labels
	// with the name of the composite that composed it.
	composed bool
	key      resource.Name
}

func (t target) String() string {
	if t.namespace == "" {
		return t.kind + " " + t.name
	}
	return t.kind + " " + t.namespace + "/" + t.name
}

// claimStatus is the outcome of the ownership check.
type claimStatus int

const (
	claimed claimStatus = iota
	claimPending
)

// claim checks every resource in mine that this step is first to
// create. It returns claimPending while Crossplane has not looked the
// objects up yet (the step then emits nothing and is called again), and
// an error naming the first object that belongs to someone else.
func (in *Input) claim(rsp *fnv1.RunFunctionResponse, mine map[resource.Name]*resource.DesiredComposed) (claimStatus, error) {
	status := claimed
	earlier := map[resource.Name]bool{}
	for _, k := range desired.Keys(in.Request.GetDesired()) {
		earlier[k] = true
	}
	for _, key := range slices.Sorted(maps.Keys(mine)) {
		if in.Observed.Has(key) {
			continue
		}
		if earlier[key] {
			// An earlier step composed it and checked it.
			continue
		}
		for i, t := range targets(in.Datalab.Namespace, key, mine[key].Resource.Object) {
			req := fmt.Sprintf("%s%s#%d", OwnerRequirementPrefix, key, i)
			obj, resolved := required.Object(in.Request, rsp, req, t.apiVersion, t.kind, t.namespace, t.name)
			switch {
			case !resolved:
				status = claimPending
			case obj != nil:
				if err := in.owns(t, obj.GetLabels()); err != nil {
					return status, err
				}
			}
		}
	}
	return status, nil
}

// owns decides whether an existing object may be taken over.
func (in *Input) owns(t target, labels map[string]string) error {
	name, hasName := labels[compose.LabelDatalab]
	ns := labels[compose.LabelNamespace]
	ours := hasName && name == in.Datalab.Name && ns == in.Datalab.Namespace
	if t.composed && labels[compose.LabelComposite] == in.Datalab.Name {
		// Composed by this Datalab (same name, same namespace) and lost
		// from observed state: Crossplane takes it back.
		ours = true
	}
	if t.shared && !hasName {
		return nil
	}
	if ours {
		return nil
	}
	why := "it carries no Datalab labels, so it was not created by this Datalab"
	if hasName {
		why = "it belongs to another Datalab"
	}
	return fmt.Errorf("composed[%s]: refusing to take over the existing %s: %s; nothing was changed. Rename the Datalab, session or service that derives this name, or remove the object if it is stale", t.key, t, why)
}

// targets are the objects a composed resource would create: itself, in
// the Datalab's namespace, and for a provider-kubernetes Object that may
// write, its manifest wherever it points.
func targets(namespace string, key resource.Name, obj map[string]any) []target {
	u := unstructured.Unstructured{Object: obj}
	var out []target
	if n := u.GetName(); n != "" {
		out = append(out, target{apiVersion: u.GetAPIVersion(), kind: u.GetKind(), namespace: namespace, name: n, composed: true, key: key})
	}
	if u.GetKind() != compose.ObjectKind || u.GetAPIVersion() != compose.ObjectAPIVersion {
		return out
	}
	policies, _, _ := unstructured.NestedStringSlice(obj, "spec", "managementPolicies")
	if len(policies) == 1 && policies[0] == "Observe" {
		return out
	}
	v, _, _ := unstructured.NestedFieldNoCopy(obj, "spec", "forProvider", "manifest")
	m, _ := v.(map[string]any)
	mu := unstructured.Unstructured{Object: m}
	if mu.GetName() == "" || strings.Contains(mu.GetName()+mu.GetNamespace(), "$(") {
		return out
	}
	_, labelled := mu.GetLabels()[compose.LabelDatalab]
	return append(out, target{apiVersion: mu.GetAPIVersion(), kind: mu.GetKind(), namespace: mu.GetNamespace(), name: mu.GetName(), shared: !labelled, key: key})
}
