package step

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// readiness decides whether one desired resource is ready from observed
// state.
type readiness func(*observed.Resources, resource.Name) resource.Ready

// output collects the step's desired resources and how each one's
// readiness is derived.
type output struct {
	in      *pipeline.Input
	desired map[resource.Name]*resource.DesiredComposed
	checks  map[resource.Name]func(*observed.Resources, resource.Name) resource.Ready
}

func newOutput(in *pipeline.Input) *output {
	return &output{
		in:      in,
		desired: map[resource.Name]*resource.DesiredComposed{},
		checks:  map[resource.Name]func(*observed.Resources, resource.Name) resource.Ready{},
	}
}

// objectOptions are the wrapper options of a service's Object: stateful
// Objects (operator CRs holding data) follow the retention policy.
func (o *output) objectOptions(stateful bool, query string) compose.ObjectOptions {
	opts := compose.ObjectOptions{
		ProviderConfig: o.in.Settings.ProviderConfig,
		Stateful:       stateful,
		Retention:      o.in.Settings.Retention,
	}
	if query != "" {
		opts.ReadinessPolicy = compose.ReadyCEL
		opts.CELQuery = query
	}
	return opts
}

// object wraps a manifest of a service in an Object named like its target.
func (o *output) object(key resource.Name, svc *service, manifest map[string]any, stateful bool, query string) {
	m := manifest["metadata"].(map[string]any)
	obj := compose.Object(m["name"].(string), manifest, o.objectOptions(stateful, query))
	o.put(key, svc, obj, stateful, health.Ready)
}

// observe adds an Observe-only Object that reads a target's readiness.
func (o *output) observe(key resource.Name, svc *service, name string, manifest map[string]any, query string) {
	opts := o.objectOptions(false, query)
	opts.ObserveOnly = true
	o.put(key, svc, compose.Object(name, manifest, opts), false, health.Ready)
}

// observeStatefulSet makes a service's readiness that of its StatefulSet
// (for CRs that report no status of their own).
func (o *output) observeStatefulSet(key resource.Name, svc *service, r *result, sts string) {
	m := compose.Manifest("apps/v1", "StatefulSet", o.in.Datalab.Namespace, sts, nil)
	o.observe(key, svc, svc.cr+"-sts", m, statefulSetReadyQuery)
	r.needs(key, fmt.Sprintf("StatefulSet %s (a ready Pod)", sts))
}

// put adds a composed resource labelled for its service. Resources marked
// stateful hold data or credentials: they are the ones kept when the
// service is removed under the Retain policy.
func (o *output) put(key resource.Name, svc *service, obj map[string]any, stateful bool, ready readiness) {
	meta, _ := obj["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		obj["metadata"] = meta
	}
	labels := o.labels(svc)
	if stateful {
		labels[compose.LabelStateful] = "true"
	}
	meta["labels"] = labels
	o.desired[key] = &resource.DesiredComposed{Resource: &unstructured.Unstructured{Object: obj}}
	o.checks[key] = ready
}

// keep adds a retained stateful resource to the desired state as
// observed, under the current retention policy.
func (o *output) keep(key resource.Name) bool {
	obj := compose.KeepStateful(o.in.Observed, key, o.in.Settings.Retention)
	if obj == nil {
		return false
	}
	o.desired[key] = &resource.DesiredComposed{Resource: &unstructured.Unstructured{Object: obj}}
	o.checks[key] = health.Ready
	if k, _ := obj["kind"].(string); k != "Object" {
		o.checks[key] = health.Exists
	}
	return true
}

// labels are the tenant labels, the component and the service.
func (o *output) labels(svc *service) map[string]any {
	l := map[string]any{compose.LabelComponent: compose.ComponentBackends}
	for k, v := range compose.TenantLabels(o.in.Datalab.Namespace, o.in.Datalab.Name) {
		l[k] = v
	}
	if svc != nil {
		l[compose.LabelService] = svc.id
	}
	return l
}

// podLabels are the labels every pod of a service carries (each operator
// propagates them its own way): the Datalab's NetworkPolicies in its
// namespace select exactly these pods, never other workloads there.
func (o *output) podLabels() map[string]any {
	l := map[string]any{}
	for k, v := range compose.TenantLabels(o.in.Datalab.Namespace, o.in.Datalab.Name) {
		l[k] = v
	}
	return l
}

// manifest starts a manifest in the Datalab's namespace with the service's
// labels, so operators find every object of a tenant by label.
func (o *output) manifest(apiVersion, kind, name string, svc *service) map[string]any {
	m := compose.Manifest(apiVersion, kind, o.in.Datalab.Namespace, name, nil)
	m["metadata"].(map[string]any)["labels"] = o.labels(svc)
	return m
}

// ready reports whether the resource composed under key is ready, as
// apply derived it from observed state.
func (o *output) ready(key resource.Name) bool {
	dc, ok := o.desired[key]
	return ok && dc.Ready == resource.ReadyTrue
}

// failure is the first problem (by key) the API server, an admission
// controller or an operator reports for a service's composed resources.
func (o *output) failure(id string) (health.Problem, bool) {
	for _, key := range slices.Sorted(maps.Keys(o.desired)) {
		meta, _ := o.desired[key].Resource.Object["metadata"].(map[string]any)
		labels, _ := meta["labels"].(map[string]any)
		if labels[compose.LabelService] != id {
			continue
		}
		if f, ok := health.Failure(o.in.Observed, key); ok {
			return health.Problem{Reason: f.Reason, Message: string(key) + ": " + f.Message}, true
		}
	}
	return health.Problem{}, false
}

// apply sets every desired resource's readiness from observed state.
func (o *output) apply() {
	health.Apply(o.desired, o.in.Observed, o.checks)
}

// retentionDelete reports whether the operator lets removed data go.
func (o *output) retentionDelete() bool {
	return o.in.Settings.Retention == environment.RetentionDelete
}
