package fntest

import (
	"context"
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// TestGenerateIsDeterministic: the same bytes give the same request, and
// no bytes give a typical one (a session, the storage Secret in the world).
func TestGenerateIsDeterministic(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("seed-1"), []byte("\xff\x00\x80 something longer than the others \x01\x02")} {
		a, b := Generate(data), Generate(data)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%q: two generations differ", data)
		}
	}
	g := Generate(nil)
	if g.Name != "lab" || g.Namespace != "team" || !strings.Contains(g.Spec, `"sessions":[{"name":"default"}]`) {
		t.Errorf("empty input: %s/%s %s", g.Namespace, g.Name, g.Spec)
	}
	if len(g.find(&fnv1.ResourceSelector{ApiVersion: "v1", Kind: "Secret", Namespace: ptr("team"),
		Match: &fnv1.ResourceSelector_MatchName{MatchName: "lab"}}).GetItems()) != 1 {
		t.Error("empty input: no storage Secret team/lab in the world")
	}
}

func ptr(s string) *string { return &s }

// recorder collects a check's errors instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Error(args ...any)         { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

func objectJSON(kind, name string, manifest string) string {
	return `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"` + name + `"},"spec":{"forProvider":{"manifest":` + manifest + `}}}`
}

// TestCheckPropertiesFinds: each property catches a response that breaks
// it, and passes what the functions legitimately render.
func TestCheckPropertiesFinds(t *testing.T) {
	id := names.Tenant{Namespace: "team", Name: "lab"}.ID()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	session := objectJSON("Object", id+"-s-ws", `{"apiVersion":"training.educates.dev/v1beta1","kind":"WorkshopSession","metadata":{"name":"`+id+`-s-ws"},"spec":{"session":{"password":"`+MarkerLogin+`"}}}`)
	cases := map[string]struct {
		desired map[string]string
		fatal   string
		want    string // "" = no error
	}{
		"a Secret with its data":             {desired: map[string]string{"s": `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-storage","namespace":"team"},"data":{"k":"` + b64("x"+MarkerStorageSecret) + `"}}`}},
		"the login in a WorkshopSession":     {desired: map[string]string{"s": session}},
		"a Workshop of the tenant":           {desired: map[string]string{"w": objectJSON("Object", id+"-s", `{"apiVersion":"training.educates.dev/v1beta1","kind":"Workshop","metadata":{"name":"`+id+`-s"}}`)}},
		"a Fatal result without a field":     {fatal: "something went wrong", want: "names no field path"},
		"a Fatal result with resources":      {fatal: "invalid Datalab: spec.x: bad", desired: map[string]string{"s": `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}`}, want: "added or changed"},
		"a storage key in a ConfigMap":       {desired: map[string]string{"c": `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"k":"` + MarkerStorageSecret + `"}}`}, want: "outside Secret data"},
		"a base64 storage key in an Object":  {desired: map[string]string{"c": objectJSON("Object", "x", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"binaryData":{"k":"`+b64("ab"+MarkerStorageAccess)+`"}}`)}, want: "outside Secret data"},
		"a storage key in Secret metadata":   {desired: map[string]string{"s": `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x","annotations":{"a":"` + MarkerStorageAccess + `"}}}`}, want: "outside Secret data"},
		"the login elsewhere in a session":   {desired: map[string]string{"s": strings.Replace(session, `"password"`, `"username"`, 1)}, want: "outside Secret data"},
		"the foreign decoy even in a Secret": {desired: map[string]string{"s": `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"},"data":{"k":"` + b64(MarkerForeign) + `"}}`}, want: "decoy"},
		"an invalid name":                    {desired: map[string]string{"c": `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}`}, want: "DNS-1123 subdomain"},
		"an invalid manifest name":           {desired: map[string]string{"c": objectJSON("Object", "x", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a b"}}`)}, want: "DNS-1123 subdomain"},
		"another namespace":                  {desired: map[string]string{"c": `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"other"}}`}, want: "not the Datalab's"},
		"a cluster-scoped kind":              {desired: map[string]string{"c": `{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"x"}}`}, want: "cluster-scoped"},
		"another tenant's Workshop":          {desired: map[string]string{"w": objectJSON("Object", "x", `{"apiVersion":"training.educates.dev/v1beta1","kind":"Workshop","metadata":{"name":"lab-0000000000000000-s"}}`)}, want: "tenant ID"},
		"a Namespace of another tenant":      {desired: map[string]string{"n": objectJSON("Object", "x", `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kube-system"}}`)}, want: "tenant ID"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := Request{Spec: `{}`, Env: `{}`, Desired: map[string]string{}}.Build(t)
			rsp := &fnv1.RunFunctionResponse{Desired: &fnv1.State{Resources: map[string]*fnv1.Resource{}}}
			for k, v := range tc.desired {
				rsp.Desired.Resources[k] = &fnv1.Resource{Resource: resource.MustStructJSON(v)}
			}
			if tc.fatal != "" {
				rsp.Results = []*fnv1.Result{{Severity: fnv1.Severity_SEVERITY_FATAL, Message: tc.fatal}}
			}
			r := &recorder{TB: t}
			CheckProperties(r, req, rsp, Markers)
			got := strings.Join(r.errs, "\n")
			switch {
			case tc.want == "" && got != "":
				t.Errorf("unexpected: %s", got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("want an error with %q, got %q", tc.want, got)
			}
		})
	}
}

// TestCheckPropertiesPassThrough: what earlier steps composed, unchanged,
// is not the step's; CheckBoundary checks it all the same.
func TestCheckPropertiesPassThrough(t *testing.T) {
	leak := `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"other"},"data":{"k":"` + MarkerStorageSecret + `"}}`
	req := Request{Spec: `{}`, Env: `{}`, Desired: map[string]string{"c": leak}}.Build(t)
	rsp := &fnv1.RunFunctionResponse{Desired: &fnv1.State{Resources: map[string]*fnv1.Resource{"c": {Resource: resource.MustStructJSON(leak)}}}}
	r := &recorder{TB: t}
	CheckProperties(r, req, rsp, Markers)
	if len(r.errs) != 0 {
		t.Errorf("pass-through flagged: %v", r.errs)
	}
	CheckBoundary(r, req, rsp, Markers)
	if got := strings.Join(r.errs, "\n"); !strings.Contains(got, "not the Datalab's") || !strings.Contains(got, "outside Secret data") {
		t.Errorf("CheckBoundary: %v", r.errs)
	}
}

// echo renders one ConfigMap per requirement it was given, after asking
// for the storage Secret.
type echo struct {
	fnv1.UnimplementedFunctionRunnerServiceServer
}

func (echo) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	rsp := &fnv1.RunFunctionResponse{Requirements: &fnv1.Requirements{Resources: map[string]*fnv1.ResourceSelector{
		"storage": {ApiVersion: "v1", Kind: "Secret", Namespace: ptr("team"), Match: &fnv1.ResourceSelector_MatchName{MatchName: "lab"}},
	}}}
	if items := req.GetRequiredResources()["storage"].GetItems(); len(items) > 0 {
		rsp.Desired = &fnv1.State{Resources: map[string]*fnv1.Resource{"x": {Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"found"}}`)}}}
	}
	return rsp, nil
}

// TestRunResolvesRequirements: Run answers requirements from the world
// and calls again; a pending generation does not.
func TestRunResolvesRequirements(t *testing.T) {
	g := Generate(nil)
	req := g.Build(t)
	rsp := g.Run(t, echo{}, req)
	if _, ok := rsp.GetDesired().GetResources()["x"]; !ok || len(req.GetRequiredResources()["storage"].GetItems()) != 1 {
		t.Fatalf("not resolved: %v", rsp)
	}
	g.Pending = true
	req = g.Build(t)
	if rsp := g.Run(t, echo{}, req); len(rsp.GetDesired().GetResources()) != 0 {
		t.Fatal("a pending generation resolved its requirements")
	}
}
