package pipeline_test

import (
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// A step that composes a cluster-scoped Workshop (through an Object), a
// Secret in the Datalab's namespace, an Object for a shared target and an
// observe-only Object.
func emitting(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, _ logging.Logger) {
	own := compose.TenantLabels(in.Datalab.Namespace, in.Datalab.Name)
	put := func(obj map[string]any) *resource.DesiredComposed {
		return &resource.DesiredComposed{Resource: &unstructured.Unstructured{Object: obj}}
	}
	secret := compose.Manifest("v1", "Secret", "", in.Datalab.Name+"-storage", own)
	shared := compose.Manifest("v1", "ServiceAccount", in.Datalab.Namespace, "shared-sa", map[string]string{compose.LabelComponent: "x"})
	observeOnly := compose.ObjectOptions{ObserveOnly: true}
	desired := map[resource.Name]*resource.DesiredComposed{
		"workshop":     put(compose.Object("ws", compose.Manifest("training.educates.dev/v1beta1", "Workshop", "", in.Tenant.Environment("default"), own), compose.ObjectOptions{})),
		"secret":       put(secret),
		"shared":       put(compose.Object("sa", shared, compose.ObjectOptions{})),
		"observe-only": put(compose.Object("sts", compose.Manifest("apps/v1", "StatefulSet", in.Datalab.Namespace, "operators-own", nil), observeOnly)),
	}
	if err := pipeline.Emit(in, rsp, desired); err != nil {
		rsp.Results = append(rsp.Results, &fnv1.Result{Severity: fnv1.Severity_SEVERITY_FATAL, Message: err.Error()})
	}
}

var step = &pipeline.Function{Log: logging.NewNopLogger(), Step: emitting}

func existing(apiVersion, kind, namespace, name string, labels map[string]string) []string {
	u := unstructured.Unstructured{Object: map[string]any{}}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	u.SetName(name)
	u.SetNamespace(namespace)
	u.SetLabels(labels)
	b, _ := u.MarshalJSON()
	return []string{string(b)}
}

// TestNeverAdoptsSomeoneElsesObject: before a step first creates an
// object, what exists under its name must be this Datalab's (or, for a
// target shared on purpose, nobody's); otherwise a Fatal names it and
// nothing is emitted.
func TestNeverAdoptsSomeoneElsesObject(t *testing.T) {
	env := `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}}}`
	probe := fntest.Request{Spec: `{}`, Env: env}.Build(t)
	rsp := fntest.Run(t, step, probe)
	keys := map[string]*fnv1.ResourceSelector{}
	for k, sel := range rsp.GetRequirements().GetResources() {
		if strings.HasPrefix(k, pipeline.OwnerRequirementPrefix) {
			keys[sel.GetKind()+"/"+sel.GetMatchName()] = sel
		}
	}
	// The Workshop, the shared ServiceAccount and the four composed
	// resources themselves (the Secret among them); never the
	// observe-only target.
	if len(keys) != 6 || keys["StatefulSet/operators-own"] != nil {
		t.Fatalf("ownership look-ups: %v", keys)
	}
	if n := len(rsp.GetDesired().GetResources()); n != 4 {
		t.Fatalf("nothing exists: want 4 resources emitted, got %d", n)
	}
	keyOf := func(kind, name string) string {
		for k, sel := range rsp.GetRequirements().GetResources() {
			if sel.GetKind() == kind && sel.GetMatchName() == name {
				return k
			}
		}
		t.Fatalf("no look-up of %s %s", kind, name)
		return ""
	}
	ours := compose.TenantLabels("team", "lab")
	theirs := compose.TenantLabels("victim", "lab")
	workshop := names.Tenant{Namespace: "team", Name: "lab"}.Environment("default")
	const educates = "training.educates.dev/v1beta1"

	for name, tc := range map[string]struct {
		kind, name string
		found      []string
		want       string // "" emitted
	}{
		"another tenant's Workshop": {"Workshop", workshop, existing(educates, "Workshop", "", workshop, theirs), "belongs to another Datalab"},
		"an unlabelled Workshop":    {"Workshop", workshop, existing(educates, "Workshop", "", workshop, nil), "carries no Datalab labels"},
		"our own Workshop":          {"Workshop", workshop, existing(educates, "Workshop", "", workshop, ours), ""},
		"the tenant's own Secret":   {"Secret", "lab-storage", existing("v1", "Secret", "team", "lab-storage", nil), "Secret team/lab-storage"},
		"our Secret, lost from observed state": {"Secret", "lab-storage",
			existing("v1", "Secret", "team", "lab-storage", map[string]string{"crossplane.io/composite": "lab"}), ""},
		"another Datalab's Secret": {"Secret", "lab-storage",
			existing("v1", "Secret", "team", "lab-storage", map[string]string{"crossplane.io/composite": "other"}), "carries no Datalab labels"},
		"a shared object nobody owns":          {"ServiceAccount", "shared-sa", existing("v1", "ServiceAccount", "team", "shared-sa", nil), ""},
		"a shared object another Datalab owns": {"ServiceAccount", "shared-sa", existing("v1", "ServiceAccount", "team", "shared-sa", theirs), "belongs to another Datalab"},
	} {
		t.Run(name, func(t *testing.T) {
			n, found := tc.name, tc.found
			req := fntest.Request{Spec: `{}`, Env: env, Required: map[string][]string{keyOf(tc.kind, n): found}}.Build(t)
			rsp := fntest.Run(t, step, req)
			got := fntest.Fatal(rsp)
			switch {
			case tc.want == "" && got != "":
				t.Fatalf("refused: %s", got)
			case tc.want != "" && (!strings.Contains(got, tc.want) || !strings.Contains(got, n) || !strings.Contains(got, "composed[")):
				t.Fatalf("want a Fatal naming %s and %q, got %q", n, tc.want, got)
			case tc.want != "" && len(rsp.GetDesired().GetResources()) != 0:
				t.Fatal("resources emitted with a Fatal result")
			case strings.Contains(got, "victim"):
				t.Fatal("the message names the other tenant")
			}
		})
	}

	// Observed objects are the Datalab's already: no look-up.
	obs := fntest.Request{Spec: `{}`, Env: env, Observed: map[string]string{"secret": `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-storage"}}`}}.Build(t)
	rsp = fntest.Run(t, step, obs)
	for _, sel := range rsp.GetRequirements().GetResources() {
		if sel.GetKind() == "Secret" && sel.GetMatchName() == "lab-storage" {
			t.Fatal("looked up an observed object")
		}
	}
}

// TestPendingLookupEmitsNothing: until Crossplane has looked the objects
// up, the step emits nothing (it is called again with the answers).
func TestPendingLookupEmitsNothing(t *testing.T) {
	req := fntest.Request{Spec: `{}`, Env: `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}}}`}.Build(t)
	rsp, err := step.RunFunction(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rsp.GetDesired().GetResources()); n != 0 || fntest.Fatal(rsp) != "" {
		t.Fatalf("emitted %d resources before the look-ups resolved (%s)", n, fntest.Fatal(rsp))
	}
}
