package step

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

const testEnv = `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}},"ingress":{"domain":"datalab.example.com"},
	"storageClasses":{"allowed":["standard"]},"retention":{"policy":"Retain"}}`

// fn is the runtime step as the tests call it.
var fn = &pipeline.Function{Log: logging.NewNopLogger(), Step: Run}

// TestRemovedSessionUnderRetention: a session gone from the spec keeps its
// volume (and the environment holding it) exactly as observed; under the
// Delete policy it goes.
func TestRemovedSessionUnderRetention(t *testing.T) {
	observedPVC := `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"vol-x"},
		"spec":{"forProvider":{"manifest":{"kind":"PersistentVolumeClaim","metadata":{"name":"x"}}},"managementPolicies":["Observe","Create","Update","LateInitialize"]}}`
	obs := map[string]string{string(compose.WorkspaceKey("old")): observedPVC}
	spec := `{"sessions":[{"name":"new"}]}`

	rsp := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: testEnv, Observed: obs}.Build(t))
	got, ok := rsp.GetDesired().GetResources()[string(compose.WorkspaceKey("old"))]
	if !ok {
		t.Fatal("the removed session's volume left the desired state under Retain")
	}
	if name := got.GetResource().GetFields()["metadata"].GetStructValue().GetFields()["name"].GetStringValue(); name != "vol-x" {
		t.Fatalf("retained volume changed: %s", name)
	}

	del := strings.Replace(testEnv, "Retain", "Delete", 1)
	rsp = fntest.Run(t, fn, fntest.Request{Spec: spec, Env: del, Observed: obs}.Build(t))
	if _, ok := rsp.GetDesired().GetResources()[string(compose.WorkspaceKey("old"))]; ok {
		t.Fatal("the removed session's volume stayed under Delete")
	}
}

// TestBadInputRendersNothing: a Fatal result carries no desired resources of
// this step, so Crossplane neither applies nor deletes anything.
func TestBadInputRendersNothing(t *testing.T) {
	rsp := fntest.Run(t, fn, fntest.Request{Spec: `{"sessions":[{"name":"Bad_Name"}]}`, Env: testEnv}.Build(t))
	if fntest.Fatal(rsp) == "" {
		t.Fatal("no Fatal result for a bad session name")
	}
	if n := len(rsp.GetDesired().GetResources()); n != 0 {
		t.Fatalf("%d resources rendered with a Fatal result", n)
	}
}

// TestNoSecretsInStatus: the login of credentials mode never reaches the
// XR status or conditions.
func TestNoSecretsInStatus(t *testing.T) {
	env := strings.Replace(testEnv, "delegated", "credentials", 1)
	req := fntest.Request{Spec: `{"sessions":[{"name":"default"}]}`, Env: env, Observed: map[string]string{string(compose.LoginSecretKey): `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-session-login","namespace":"team"},"data":{"username":"YWxpY2U=","password":"czNjcjN0LXZhbHVl"}}`}}.Build(t)
	rsp := fntest.Run(t, fn, req)
	if _, ok := rsp.GetDesired().GetResources()[string(compose.SessionKey("default"))]; !ok {
		t.Fatal("no session although its login exists")
	}
	status, _ := json.Marshal(rsp.GetDesired().GetComposite())
	conds, _ := json.Marshal(rsp.GetConditions())
	if strings.Contains(string(status)+string(conds), "s3cr3t-value") {
		t.Fatal("the session password leaked into status or conditions")
	}
}

// FuzzRunFunction: see fntest.Fuzz.
func FuzzRunFunction(f *testing.F) { fntest.Fuzz(f, fn) }

// TestFuzzCorpusRenders: the generator reaches the code: many generated
// inputs render, and all keep the fuzz properties.
func TestFuzzCorpusRenders(t *testing.T) {
	fntest.CorpusRenders(t, fn, 1000, 0.3)
}

// BenchmarkRunFunction measures one call for a Datalab with three sessions,
// wire encoding included.
func BenchmarkRunFunction(b *testing.B) {
	req := fntest.Request{Spec: `{"users":["alice","bob"],"sessions":[{"name":"a","vcluster":true},{"name":"b"},{"name":"c","state":"stopped"}],
		"files":[{"git":{"url":"https://example.com/x"}}]}`, Env: testEnv}.Build(b)
	fntest.Benchmark(b, fn, req)
}
