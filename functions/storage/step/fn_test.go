package step

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

const (
	testEnv = `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}},"ingress":{"domain":"datalab.example.com"},
		"storage":{"endpoint":"https://s3.example.com","region":"eu-central-1","provider":"Other","force_path_style":"true"}}`
	sharedEnv = `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}},"storage":{"secretNamespace":"shared","endpoint":"https://s3.example.com"}}`

	// Fixture credentials, distinctive so a leak is easy to find.
	accessValue = "FIXTURE-ACCESS-KEY-VALUE"
	secretValue = "fixture-secret-key-value"
)

type call struct {
	spec     string
	env      string
	observed map[string]string
	// secret is the source Secret's JSON; "" = not found; "pending" =
	// the requirement is not resolved yet.
	secret string
}

func newRequest(t testing.TB, r call) *fnv1.RunFunctionRequest {
	t.Helper()
	req := fntest.Request{Spec: r.spec, Env: r.env, Observed: r.observed}.Build(t)
	switch r.secret {
	case "pending":
	case "":
		req.RequiredResources[sourceRequirement] = &fnv1.Resources{}
	default:
		ss := &structpb.Struct{}
		if err := ss.UnmarshalJSON([]byte(r.secret)); err != nil {
			t.Skip("not a Kubernetes object (e.g. invalid UTF-8)")
		}
		req.RequiredResources[sourceRequirement] = &fnv1.Resources{Items: []*fnv1.Resource{{Resource: ss}}}
	}
	return req
}

// sourceSecret is a source Secret in namespace ns with optional labels.
func sourceSecret(ns, name string, labels map[string]string, kv ...string) string {
	d := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		d[kv[i]] = base64.StdEncoding.EncodeToString([]byte(kv[i+1]))
	}
	b, _ := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "data": d,
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": labels}})
	return string(b)
}

func goodSecret() string {
	return sourceSecret("team", "lab", nil, "AWS_ACCESS_KEY_ID", accessValue, "AWS_SECRET_ACCESS_KEY", secretValue)
}

// fn is the storage step as the tests call it.
var fn = &pipeline.Function{Log: logging.NewNopLogger(), Step: Run}

func desiredSecret(t *testing.T, rsp *fnv1.RunFunctionResponse) map[string]string {
	t.Helper()
	r, ok := rsp.GetDesired().GetResources()[string(compose.StorageCredentialsKey)]
	if !ok {
		t.Fatal("no credentials Secret in the desired state")
	}
	out := map[string]string{}
	for k, v := range r.GetResource().GetFields()["data"].GetStructValue().GetFields() {
		b, err := base64.StdEncoding.DecodeString(v.GetStringValue())
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = string(b)
	}
	return out
}

// observedSecret is the composed Secret as Crossplane observes it.
func observedSecret(access, secret string) string {
	b, _ := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
		"metadata": map[string]any{"name": "lab-storage", "namespace": "team", "uid": "u1", "resourceVersion": "7",
			"labels":      map[string]any{"crossplane.io/composite": "lab"},
			"annotations": map[string]any{"crossplane.io/composition-resource-name": "storage-credentials"}},
		"data": map[string]any{
			"AWS_ACCESS_KEY_ID":     base64.StdEncoding.EncodeToString([]byte(access)),
			"AWS_SECRET_ACCESS_KEY": base64.StdEncoding.EncodeToString([]byte(secret)),
		}})
	return string(b)
}

func TestPendingRendersNothing(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: testEnv, secret: "pending"}))
	sel := rsp.GetRequirements().GetResources()[sourceRequirement]
	if sel.GetKind() != "Secret" || sel.GetNamespace() != "team" || sel.GetMatchName() != "lab" {
		t.Fatalf("requirement %v", sel)
	}
	if n := len(rsp.GetDesired().GetResources()); n != 0 || fntest.Condition(rsp, ConditionType) != nil {
		t.Fatalf("rendered %d resources / a condition before the Secret was resolved", n)
	}
}

func TestRequirementFollowsSpecAndEnvironment(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{"secretName":"creds"}`, env: sharedEnv, secret: "pending"}))
	sel := rsp.GetRequirements().GetResources()[sourceRequirement]
	if sel.GetNamespace() != "shared" || sel.GetMatchName() != "creds" || sel.GetApiVersion() != "v1" {
		t.Fatalf("requirement %v", sel)
	}
}

func TestPresentComposesSecret(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: testEnv, secret: goodSecret()}))
	if m := fntest.Fatal(rsp); m != "" {
		t.Fatal(m)
	}
	d := desiredSecret(t, rsp)
	if d["AWS_ACCESS_KEY_ID"] != accessValue || d["AWS_SECRET_ACCESS_KEY"] != secretValue || d["AWS_ENDPOINT_URL"] != "https://s3.example.com" {
		t.Errorf("data %v", d)
	}
	if c := fntest.Condition(rsp, ConditionType); c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || c.GetReason() != ReasonCreating {
		t.Errorf("condition %v", c)
	}
	rsp = fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: testEnv, secret: goodSecret(),
		observed: map[string]string{string(compose.StorageCredentialsKey): observedSecret("old", "old")}}))
	if c := fntest.Condition(rsp, ConditionType); c.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE || c.GetReason() != ReasonAvailable {
		t.Errorf("condition %v", c)
	}
	if r := rsp.GetDesired().GetResources()[string(compose.StorageCredentialsKey)]; r.GetReady() != fnv1.Ready_READY_TRUE {
		t.Errorf("existing Secret not ready: %v", r.GetReady())
	}
}

// TestRotation: new values in the source Secret replace the observed ones
// on the next reconcile.
func TestRotation(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: testEnv, secret: goodSecret(),
		observed: map[string]string{string(compose.StorageCredentialsKey): observedSecret("OLD-ACCESS", "old-secret")}}))
	d := desiredSecret(t, rsp)
	if d["AWS_ACCESS_KEY_ID"] != accessValue || d["AWS_SECRET_ACCESS_KEY"] != secretValue || !strings.Contains(d["configData"], secretValue) {
		t.Errorf("rotation did not reach the Secret: %v", d)
	}
	if strings.Contains(strings.Join([]string{d["AWS_ACCESS_KEY_ID"], d["configData"]}, ""), "OLD-ACCESS") {
		t.Error("old access key still in the Secret")
	}
}

// TestUnusableSourceKeepsExistingSecret: a missing, incomplete, unreadable
// or invalid source Secret never deletes or blanks the composed Secret: it
// stays exactly as observed.
func TestUnusableSourceKeepsExistingSecret(t *testing.T) {
	sources := map[string]struct {
		secret string
		reason string
	}{
		"missing":    {"", ReasonMissing},
		"incomplete": {sourceSecret("team", "lab", nil, "accessKey", "x"), ReasonIncomplete},
		"unreadable": {`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab","namespace":"team"},"data":{"accessKey":"!!","secretKey":"c2s="}}`, ReasonUnreadable},
		"invalid":    {sourceSecret("team", "lab", nil, "accessKey", "a\nb", "secretKey", "s"), ReasonInvalid},
	}
	obs := observedSecret("KEPT-ACCESS", "kept-secret")
	for name, s := range sources {
		t.Run(name, func(t *testing.T) {
			rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: testEnv, secret: s.secret,
				observed: map[string]string{string(compose.StorageCredentialsKey): obs}}))
			if m := fntest.Fatal(rsp); m != "" {
				t.Fatal(m)
			}
			got := rsp.GetDesired().GetResources()[string(compose.StorageCredentialsKey)]
			if got == nil {
				t.Fatal("the existing credentials Secret left the desired state")
			}
			want := `{"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"lab-storage","labels":{"crossplane.io/composite":"lab"}},
				"data":{"AWS_ACCESS_KEY_ID":"` + base64.StdEncoding.EncodeToString([]byte("KEPT-ACCESS")) + `","AWS_SECRET_ACCESS_KEY":"` + base64.StdEncoding.EncodeToString([]byte("kept-secret")) + `"}}`
			if !proto.Equal(got.GetResource(), resource.MustStructJSON(want)) {
				t.Errorf("kept Secret changed:\n%s", protojson.Format(got.GetResource()))
			}
			c := fntest.Condition(rsp, ConditionType)
			if c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || c.GetReason() != s.reason || !strings.Contains(c.GetMessage(), "keeps the last credentials") {
				t.Errorf("condition %v", c)
			}
		})
	}
}

// TestFirstReconcileWithoutCredentials: nothing is composed, and the new
// session the runtime rendered is withheld; a running one stays.
func TestFirstReconcileWithoutCredentials(t *testing.T) {
	req := newRequest(t, call{spec: `{"sessions":[{"name":"new"},{"name":"running"}]}`, env: testEnv,
		observed: map[string]string{string(compose.SessionKey("running")): `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"r"}}`}})
	req.Desired = &fnv1.State{Resources: map[string]*fnv1.Resource{
		string(compose.SessionKey("new")):     wrapped("WorkshopSession"),
		string(compose.SessionKey("running")): wrapped("WorkshopSession"),
		string(compose.WorkshopKey("new")):    wrapped("Workshop"),
	}}
	rsp := fntest.Run(t, fn, req)
	res := rsp.GetDesired().GetResources()
	if _, ok := res[string(compose.StorageCredentialsKey)]; ok {
		t.Error("a credentials Secret was composed without credentials")
	}
	if _, ok := res[string(compose.SessionKey("new"))]; ok {
		t.Error("a new session was left to start without credentials")
	}
	for _, k := range []resource.Name{compose.SessionKey("running"), compose.WorkshopKey("new")} {
		if _, ok := res[string(k)]; !ok {
			t.Errorf("%s was removed", k)
		}
	}
	c := fntest.Condition(rsp, ConditionType)
	if c.GetReason() != ReasonMissing || !strings.Contains(c.GetMessage(), "team/lab") || !strings.Contains(c.GetMessage(), "withheld: new") {
		t.Errorf("condition %v", c)
	}
}

// TestCrossTenantSecretIsFatal is the attack: tenant "team" names a
// Secret in the shared namespace bound to another tenant, or not bound at
// all. The result is Fatal and carries no desired resources of this step,
// so Crossplane neither applies nor deletes anything.
func TestCrossTenantSecretIsFatal(t *testing.T) {
	obs := map[string]string{string(compose.StorageCredentialsKey): observedSecret("A", "B")}
	cases := map[string]map[string]string{
		"other tenant":           {compose.LabelNamespace: "victim", compose.LabelDatalab: "lab"},
		"unbound":                nil,
		"other Datalab, same ns": {compose.LabelNamespace: "team", compose.LabelDatalab: "other"},
		"name label only":        {compose.LabelDatalab: "lab"},
	}
	for name, labels := range cases {
		t.Run(name, func(t *testing.T) {
			src := sourceSecret("shared", "lab", labels, "AWS_ACCESS_KEY_ID", accessValue, "AWS_SECRET_ACCESS_KEY", secretValue)
			rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: sharedEnv, secret: src, observed: obs}))
			m := fntest.Fatal(rsp)
			if m == "" || !strings.Contains(m, "spec.secretName") || !strings.Contains(m, compose.LabelNamespace+"=team") {
				t.Fatalf("no Fatal naming spec.secretName and the fix: %q", m)
			}
			if strings.Contains(m, "victim") || strings.Contains(m, accessValue) || strings.Contains(m, secretValue) {
				t.Errorf("the Fatal message reveals the owner or the credentials: %q", m)
			}
			if n := len(rsp.GetDesired().GetResources()); n != 0 {
				t.Errorf("%d resources rendered with a Fatal result", n)
			}
		})
	}
	for name, labels := range map[string]map[string]string{
		"bound to the namespace": {compose.LabelNamespace: "team"},
		"bound to the Datalab":   {compose.LabelNamespace: "team", compose.LabelDatalab: "lab"},
	} {
		src := sourceSecret("shared", "lab", labels, "AWS_ACCESS_KEY_ID", accessValue, "AWS_SECRET_ACCESS_KEY", secretValue)
		rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: sharedEnv, secret: src}))
		if m := fntest.Fatal(rsp); m != "" {
			t.Errorf("%s: %s", name, m)
		}
	}
	// In its own namespace a Datalab needs no binding.
	own := strings.Replace(sharedEnv, `"secretNamespace":"shared"`, `"secretNamespace":"team"`, 1)
	if m := fntest.Fatal(fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: own, secret: goodSecret()}))); m != "" {
		t.Errorf("own namespace: %s", m)
	}
}

func TestBadStorageInputIsFatal(t *testing.T) {
	for name, r := range map[string]call{
		"secretName":      {spec: `{"secretName":"Not_A_Name"}`, env: testEnv},
		"secretNamespace": {spec: `{}`, env: `{"storage":{"secretNamespace":"Bad Namespace"}}`},
		"type":            {spec: `{}`, env: `{"storage":{"type":"azureblob"}}`},
		"endpoint":        {spec: `{}`, env: `{"storage":{"endpoint":"https://x\n[evil]"}}`},
	} {
		r.secret = goodSecret()
		rsp := fntest.Run(t, fn, newRequest(t, r))
		if fntest.Fatal(rsp) == "" {
			t.Errorf("%s: no Fatal result", name)
		}
		if n := len(rsp.GetDesired().GetResources()); n != 0 {
			t.Errorf("%s: %d resources rendered with a Fatal result", name, n)
		}
	}
}

// TestNoSecretsOutsideSecrets: credentials reach only the composed Secret,
// never the XR status, conditions or results, whatever happens.
func TestNoSecretsOutsideSecrets(t *testing.T) {
	for name, src := range map[string]string{
		"present":    goodSecret(),
		"incomplete": sourceSecret("team", "lab", nil, "accessKey", accessValue),
		"invalid":    sourceSecret("team", "lab", nil, "accessKey", accessValue, "secretKey", secretValue+"\nx"),
		"foreign":    sourceSecret("shared", "lab", nil, "accessKey", accessValue, "secretKey", secretValue),
	} {
		env := testEnv
		if name == "foreign" {
			env = sharedEnv
		}
		rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: env, secret: src}))
		var other []string
		other = append(other, protojson.Format(rsp.GetDesired().GetComposite()))
		for _, c := range rsp.GetConditions() {
			other = append(other, protojson.Format(c))
		}
		for _, r := range rsp.GetResults() {
			other = append(other, protojson.Format(r))
		}
		for k, r := range rsp.GetDesired().GetResources() {
			if r.GetResource().GetFields()["kind"].GetStringValue() != "Secret" {
				other = append(other, k+protojson.Format(r))
			}
		}
		all := strings.Join(other, "\n")
		for _, v := range []string{accessValue, secretValue, base64.StdEncoding.EncodeToString([]byte(accessValue)), base64.StdEncoding.EncodeToString([]byte(secretValue))} {
			if strings.Contains(all, v) {
				t.Errorf("%s: a credential leaked outside a Secret: %s", name, all)
			}
		}
	}
}

// FuzzRunFunction: see fntest.Fuzz.
func FuzzRunFunction(f *testing.F) { fntest.Fuzz(f, fn) }

// TestFuzzCorpusRenders: the generator reaches the code: many generated
// inputs render, and all keep the fuzz properties.
func TestFuzzCorpusRenders(t *testing.T) {
	fntest.CorpusRenders(t, fn, 1000, 0.3)
}

// BenchmarkRunFunction measures one call with the source Secret present
// and the composed Secret observed (the steady state), wire encoding
// included.
func BenchmarkRunFunction(b *testing.B) {
	req := newRequest(b, call{spec: `{"users":["alice"],"sessions":[{"name":"a"},{"name":"b"}]}`, env: testEnv, secret: goodSecret(),
		observed: map[string]string{string(compose.StorageCredentialsKey): observedSecret(accessValue, secretValue)}})
	fntest.Benchmark(b, fn, req)
}

// TestOnlyTheNamedSecretIsUsed: whatever the resolver returns, only the
// Secret asked for (kind, namespace and name) is read.
func TestOnlyTheNamedSecretIsUsed(t *testing.T) {
	for name, src := range map[string]string{
		"other namespace": sourceSecret("victim", "lab", nil, "AWS_ACCESS_KEY_ID", accessValue, "AWS_SECRET_ACCESS_KEY", secretValue),
		"other name":      sourceSecret("team", "other", nil, "AWS_ACCESS_KEY_ID", accessValue, "AWS_SECRET_ACCESS_KEY", secretValue),
		"other kind":      strings.Replace(goodSecret(), `"kind":"Secret"`, `"kind":"ConfigMap"`, 1),
	} {
		// Not an answer to the requirement (Crossplane hands a first call the
		// last reconcile's answers): nothing is rendered, the requirement
		// is stated again, and Crossplane calls with the right answer.
		rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{}`, env: testEnv, secret: src}))
		if _, ok := rsp.GetDesired().GetResources()[string(compose.StorageCredentialsKey)]; ok {
			t.Errorf("%s: credentials composed from a Secret that was not asked for", name)
		}
		if sel := rsp.GetRequirements().GetResources()[sourceRequirement]; sel.GetMatchName() != "lab" || sel.GetNamespace() != "team" {
			t.Errorf("%s: the requirement is not stated again: %v", name, sel)
		}
		if m := fntest.Fatal(rsp); m != "" {
			t.Errorf("%s: %s", name, m)
		}
	}
}

// TestComposedSourceIsRefused: a source Secret that another step or
// another Datalab composed (Crossplane's composite label, a Datalab
// component label) is never read as the tenant's credentials, whatever
// its name: the session login would become AWS_SECRET_ACCESS_KEY.
func TestComposedSourceIsRefused(t *testing.T) {
	for name, labels := range map[string]map[string]string{
		"another Datalab's composed Secret": {"crossplane.io/composite": "other"},
		"a step's output":                   {compose.LabelComponent: compose.ComponentStorage},
	} {
		t.Run(name, func(t *testing.T) {
			src := sourceSecret("team", "creds", labels, "AWS_ACCESS_KEY_ID", accessValue, "AWS_SECRET_ACCESS_KEY", secretValue)
			rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{"secretName":"creds"}`, env: testEnv, secret: src}))
			m := fntest.Fatal(rsp)
			if !strings.Contains(m, "spec.secretName") || !strings.Contains(m, "composed by a Datalab") {
				t.Fatalf("want a Fatal naming spec.secretName, got %q", m)
			}
			if strings.Contains(m, secretValue) {
				t.Fatal("the message carries the credentials")
			}
		})
	}
	// Named like a composed Secret: refused before it is read.
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{"secretName":"lab-session-login"}`, env: testEnv, secret: "pending"}))
	if m := fntest.Fatal(rsp); !strings.Contains(m, "spec.secretName") || !strings.Contains(m, "session login Secret") {
		t.Fatalf("want a Fatal naming spec.secretName, got %q", m)
	}
}
