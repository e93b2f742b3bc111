package step

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// call is one request to the function.
type call struct {
	spec string // JSON of spec
	// env is the EnvironmentConfig data as JSON; "" = examples/environment.yaml.
	env string
	// observed are composed resources by key, as YAML documents.
	observed []map[string]any
	// secrets are required resources by requirement key; a key absent
	// from the map is resolved as "not found" unless pending lists it.
	secrets map[string]map[string]any
	pending []string
}

const allServices = `{"users":["alice"],
	"databases":{"pg0":{"names":["analytics","raw_events"],"storage":"1Gi","backupStorage":"3Gi"}},
	"documentStores":{"prod":{"storage":"1Gi"}},"cacheStores":{"prod":{"storage":"1Gi"}},"vectorStores":{"prod":{"storage":"1Gi"}}}`

func exampleEnv(t testing.TB) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "environment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var ec map[string]any
	if err := yaml.Unmarshal(b, &ec); err != nil {
		t.Fatal(err)
	}
	return ec["data"].(map[string]any)
}

// fixture reads the YAML documents of a testdata file.
func fixture(t testing.TB, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, d := range strings.Split(string(b), "\n---\n") {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(d), &m); err != nil {
			t.Fatal(err)
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

func toJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newRequest(t testing.TB, c call) *fnv1.RunFunctionRequest {
	t.Helper()
	env := c.env
	if env == "" {
		env = toJSON(t, exampleEnv(t))
	}
	observed := map[string]string{}
	for _, o := range c.observed {
		md, _ := o["metadata"].(map[string]any)
		ann, _ := md["annotations"].(map[string]any)
		key, _ := ann["crossplane.io/composition-resource-name"].(string)
		observed[key] = toJSON(t, o)
	}
	// Every host's operator Secret requirement resolves (found or not).
	required := map[string][]string{}
	var spec api.Spec
	_ = json.Unmarshal([]byte(c.spec), &spec)
	for h := range spec.Databases {
		required[requirementKey(h)] = nil
	}
	for k, s := range c.secrets {
		required[k] = []string{toJSON(t, s)}
	}
	req := fntest.Request{Name: "team-wonderland", Namespace: "default", Spec: c.spec, Env: env, Observed: observed, Required: required}.Build(t)
	for _, k := range c.pending {
		delete(req.RequiredResources, k)
	}
	return req
}

// fn is the backends step as the tests call it.
var fn = &pipeline.Function{Log: logging.NewNopLogger(), Step: Run}

func desired(rsp *fnv1.RunFunctionResponse, key resource.Name) map[string]any {
	r, ok := rsp.GetDesired().GetResources()[string(key)]
	if !ok {
		return nil
	}
	return r.GetResource().AsMap()
}

func secretData(t *testing.T, obj map[string]any) map[string]string {
	t.Helper()
	out := map[string]string{}
	data, _ := obj["data"].(map[string]any)
	for k, v := range data {
		b, err := base64.StdEncoding.DecodeString(v.(string))
		if err != nil {
			t.Fatalf("%s is not base64: %v", k, err)
		}
		out[k] = string(b)
	}
	return out
}

func status(rsp *fnv1.RunFunctionResponse) map[string]any {
	st, _ := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	svcs, _ := st["services"].(map[string]any)
	return svcs
}

func pgSecret(data map[string]string) map[string]any {
	enc := map[string]any{}
	for k, v := range data {
		enc[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	return map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "pg-pg0-c086fdc9d7b8f738-pguser-app", "namespace": "default"}, "data": enc}
}

func TestCredentialsAreRandomCreatedOnceAndReused(t *testing.T) {
	spec := `{"users":["alice"],"documentStores":{"prod":{}}}`
	a := secretData(t, desired(fntest.Run(t, fn, newRequest(t, call{spec: spec})), compose.MongoDBCredentialsKey("prod")))["password"]
	b := secretData(t, desired(fntest.Run(t, fn, newRequest(t, call{spec: spec})), compose.MongoDBCredentialsKey("prod")))["password"]
	if len(a) < 32 || a == b {
		t.Fatalf("passwords must be random and long: %q, %q", a, b)
	}
	if strings.Contains(a, "prod") || strings.Contains(a, "wonderland") {
		t.Fatalf("password %q looks derived from names", a)
	}

	// Not observed yet: the services Secret does not publish it.
	first := fntest.Run(t, fn, newRequest(t, call{spec: spec}))
	svc := secretData(t, desired(first, compose.ServicesSecretKey))
	if _, ok := svc["MONGO_PROD_PASSWORD"]; ok {
		t.Fatal("a password was published before its Secret exists")
	}
	if svc["MONGO_PROD_HOST"] == "" {
		t.Fatal("host keys are known at once and must be published")
	}

	// Observed: reused exactly, and published.
	observed := desired(first, compose.MongoDBCredentialsKey("prod"))
	observed["metadata"].(map[string]any)["annotations"] = map[string]any{"crossplane.io/composition-resource-name": "mongodbcredentials-prod"}
	observed["data"] = map[string]any{"password": base64.StdEncoding.EncodeToString([]byte("kept-password"))}
	second := fntest.Run(t, fn, newRequest(t, call{spec: spec, observed: []map[string]any{observed}}))
	if got := secretData(t, desired(second, compose.MongoDBCredentialsKey("prod")))["password"]; got != "kept-password" {
		t.Fatalf("observed password not reused: %q", got)
	}
	svc = secretData(t, desired(second, compose.ServicesSecretKey))
	if svc["MONGO_PROD_PASSWORD"] != "kept-password" || !strings.Contains(svc["MONGO_PROD_URI"], "kept-password") {
		t.Fatalf("observed password not published: %v", svc)
	}
}

func TestNoSecretOutsideSecrets(t *testing.T) {
	steady := fixture(t, "transient-missing-input/observed.yaml")
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: allServices, observed: steady,
		secrets: map[string]map[string]any{requirementKey("pg0"): pgSecret(map[string]string{"user": "app", "password": "Operator0Generated0Password"})}}))
	if msg := fntest.Fatal(rsp); msg != "" {
		t.Fatal(msg)
	}
	secrets := []string{"Operator0Generated0Password", "observed-redis-password", "observed-qdrant-write-key", "observed-qdrant-read-key"}
	b, _ := json.Marshal(rsp.GetDesired().GetComposite().GetResource().AsMap())
	var results []string
	for _, r := range rsp.GetResults() {
		results = append(results, r.GetMessage())
	}
	for _, c := range rsp.GetConditions() {
		results = append(results, c.GetMessage())
	}
	for key, r := range rsp.GetDesired().GetResources() {
		if kind := r.GetResource().AsMap()["kind"]; kind == "Secret" {
			continue
		}
		ob, _ := json.Marshal(r.GetResource().AsMap())
		for _, s := range secrets {
			if strings.Contains(string(ob), s) {
				t.Fatalf("%s (not a Secret) carries a credential", key)
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(string(b), s) || strings.Contains(strings.Join(results, " "), s) {
			t.Fatalf("credential %q leaked into status, conditions or results", s)
		}
	}
}

func TestRetention(t *testing.T) {
	steady := fixture(t, "removed-service-retain/observed.yaml")
	spec := `{"users":["alice"],"databases":{"pg0":{"names":["analytics","raw_events"],"storage":"1Gi","backupStorage":"3Gi"}}}`
	tests := map[string]struct {
		policy string
		kept   bool
	}{"Retain": {"Retain", true}, "Delete": {"Delete", false}}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			env := exampleEnv(t)
			env["retention"] = map[string]any{"policy": tc.policy}
			b, _ := json.Marshal(env)
			rsp := fntest.Run(t, fn, newRequest(t, call{spec: spec, env: string(b), observed: steady}))
			for _, k := range []resource.Name{compose.MongoDBKey("prod"), compose.MongoDBCredentialsKey("prod"), compose.RedisKey("prod"), compose.RedisCredentialsKey("prod"), compose.QdrantKey("prod"), compose.QdrantCredentialsKey("prod")} {
				got := desired(rsp, k)
				if (got != nil) != tc.kept {
					t.Errorf("%s: kept=%v, want %v", k, got != nil, tc.kept)
				}
				if got != nil && got["kind"] == "Object" {
					if pol, _ := got["spec"].(map[string]any)["managementPolicies"].([]any); contains(pol, "*") {
						t.Errorf("%s: retained Object may delete its target: %v", k, pol)
					}
				}
			}
			for _, k := range []resource.Name{compose.MongoDBServiceKey("prod"), compose.RedisReadinessKey("prod")} {
				if desired(rsp, k) != nil {
					t.Errorf("%s is no state and must go with its service", k)
				}
			}
			svc := secretData(t, desired(rsp, compose.ServicesSecretKey))
			for k := range svc {
				if !strings.HasPrefix(k, "POSTGRES_") {
					t.Errorf("removed service still published: %s", k)
				}
			}
			if _, ok := status(rsp)["redis-prod"]; ok != tc.kept {
				t.Errorf("status of the retained service: present=%v, want %v", ok, tc.kept)
			}
		})
	}
}

func contains(list []any, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestTransientOperatorSecretKeepsPublishedKeys(t *testing.T) {
	steady := fixture(t, "transient-missing-input/observed.yaml")
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: allServices, observed: steady}))
	svc := secretData(t, desired(rsp, compose.ServicesSecretKey))
	if svc["POSTGRES_PG0_PASSWORD"] != "Operator0Generated0Password" {
		t.Fatalf("the last published password must stay while the operator Secret is unreadable: %v", svc)
	}
	st := status(rsp)["postgresql-pg0"].(map[string]any)
	if st["ready"] != false || !strings.Contains(st["message"].(string), "not found") {
		t.Fatalf("status must say what is missing: %v", st)
	}
	// The stateful objects are exactly as observed.
	for _, o := range steady {
		key := o["metadata"].(map[string]any)["annotations"].(map[string]any)["crossplane.io/composition-resource-name"].(string)
		if o["kind"] != "Object" {
			continue
		}
		got := desired(rsp, resource.Name(key))
		want, _ := json.Marshal(o["spec"].(map[string]any)["forProvider"])
		have, _ := json.Marshal(got["spec"].(map[string]any)["forProvider"])
		if string(want) != string(have) {
			t.Errorf("%s changed:\n%s\n%s", key, want, have)
		}
	}
}

func TestPendingRequirementRendersNothing(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: allServices, pending: []string{requirementKey("pg0")}}))
	if n := len(rsp.GetDesired().GetResources()); n != 0 {
		t.Fatalf("rendered %d resources before the requirement resolved", n)
	}
	sel := rsp.GetRequirements().GetResources()[requirementKey("pg0")]
	if sel.GetMatchName() != "pg-pg0-c086fdc9d7b8f738-pguser-app" || sel.GetNamespace() != "default" || sel.GetKind() != "Secret" {
		t.Fatalf("wrong requirement: %v", sel)
	}
}

func TestStatusKeepsOtherSteps(t *testing.T) {
	req := newRequest(t, call{spec: `{"users":["alice"],"cacheStores":{"c":{}}}`})
	req.Desired = &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(toJSON(t, map[string]any{
		"apiVersion": "pkg.internal/v1beta2", "kind": "Datalab", "metadata": map[string]any{"name": "team-wonderland", "namespace": "default"},
		"status": map[string]any{"services": map[string]any{"registry-default": map[string]any{"kind": "registry", "ready": true}}},
	}))}}
	st := status(fntest.Run(t, fn, req))
	if _, ok := st["registry-default"]; !ok {
		t.Fatalf("another step's service entry was dropped: %v", st)
	}
	if _, ok := st["redis-c"]; !ok {
		t.Fatalf("own entry missing: %v", st)
	}
}

func TestBadInputIsFatal(t *testing.T) {
	for name, spec := range map[string]string{
		"blank name":     `{"users":["a"],"databases":{"pg":{"names":[" "],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"no names":       `{"users":["a"],"databases":{"pg":{"names":[],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"identifier":     `{"users":["a"],"databases":{"pg":{"names":["a-b"],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"reserved db":    `{"users":["a"],"databases":{"pg":{"names":["postgres"],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"reserved user":  `{"users":["app"],"databases":{"pg":{"names":["x"],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"pg_ user":       `{"users":["pg_monitor"],"databases":{"pg":{"names":["x"],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"size":           `{"users":["a"],"vectorStores":{"v":{"storage":"lots"}}}`,
		"zero size":      `{"users":["a"],"documentStores":{"d":{"storage":"0"}}}`,
		"backup missing": `{"users":["a"],"databases":{"pg":{"names":["x"],"storage":"1Gi"}}}`,
		"storage miss":   `{"users":["a"],"databases":{"pg":{"names":["x"],"backupStorage":"1Gi"}}}`,
		"host name":      `{"users":["a"],"databases":{"Pg_0":{"names":["x"],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"store name":     `{"users":["a"],"cacheStores":{"0cache":{}}}`,
		"class":          `{"users":["a"],"cacheStores":{"c":{"storageClassName":"gold"}}}`,
		"collision":      `{"users":["a"],"databases":{"pg":{"names":["a_url"],"storage":"1Gi","backupStorage":"1Gi"},"pg-a":{"names":["url"],"storage":"1Gi","backupStorage":"1Gi"}}}`,
		"duplicate":      `{"users":["a"],"databases":{"pg":{"names":["x","x"],"storage":"1Gi","backupStorage":"1Gi"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			rsp := fntest.Run(t, fn, newRequest(t, call{spec: spec}))
			if fntest.Fatal(rsp) == "" {
				t.Fatal("no Fatal result")
			}
			if len(rsp.GetDesired().GetResources()) != 0 {
				t.Fatal("a Fatal response must not carry resources")
			}
		})
	}
	env := exampleEnv(t)
	env["database"].(map[string]any)["engine"] = "oracle"
	b, _ := json.Marshal(env)
	if fntest.Fatal(fntest.Run(t, fn, newRequest(t, call{spec: `{"users":["a"],"databases":{"pg":{"names":["x"],"storage":"1Gi","backupStorage":"1Gi"}}}`, env: string(b)}))) == "" {
		t.Fatal("unknown engine must be Fatal")
	}
	// The same environment mistake does not stop Datalabs without databases.
	if msg := fntest.Fatal(fntest.Run(t, fn, newRequest(t, call{spec: `{"users":["a"],"cacheStores":{"c":{}}}`, env: string(b)}))); msg != "" {
		t.Fatalf("a database setting stopped a Datalab without databases: %s", msg)
	}
}

func TestEnginePinnedByObservedCluster(t *testing.T) {
	steady := fixture(t, "postgres-engine-pinned/observed.yaml")
	spec := `{"users":["alice"],"databases":{"pg0":{"names":["analytics"],"storage":"2Gi","backupStorage":"3Gi"}}}`
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: spec, observed: steady}))
	m := desired(rsp, compose.PostgresKey("pg0"))["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	if m["kind"] != cnpgClusterKind {
		t.Fatalf("an existing CloudNativePG host moved to %v", m["kind"])
	}
	warned := false
	for _, r := range rsp.GetResults() {
		warned = warned || r.GetSeverity() == fnv1.Severity_SEVERITY_WARNING
	}
	if !warned {
		t.Fatal("no Warning about the pinned engine")
	}
	if sel := rsp.GetRequirements().GetResources()[requirementKey("pg0")]; sel.GetMatchName() != "pg-pg0-c086fdc9d7b8f738-app" {
		t.Fatalf("CloudNativePG's Secret is <cluster>-app, got %q", sel.GetMatchName())
	}
}

func TestNoServicesIsReady(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, call{spec: `{"users":["alice"]}`}))
	for _, c := range rsp.GetConditions() {
		if c.GetType() == ConditionType && c.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE {
			t.Fatalf("BackendsReady without services: %v", c)
		}
	}
	if desired(rsp, compose.ServicesSecretKey) == nil {
		t.Fatal("the services Secret sessions import must exist even when empty")
	}
}

func TestCNPGDatabaseNames(t *testing.T) {
	seen := map[string]string{}
	for _, db := range []string{"a_b", "a__b", "_a", "a_", "analytics", strings.Repeat("x", 63)} {
		n := cnpgDatabaseName("pg-pg0-c086fdc9d7b8f738", db)
		if prev, ok := seen[n]; ok {
			t.Fatalf("%q and %q share %s", prev, db, n)
		}
		seen[n] = db
		if strings.HasSuffix(n, "-") || strings.Contains(n, "_") || len(n) > 253 {
			t.Fatalf("%q -> %q is not a DNS subdomain", db, n)
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

// BenchmarkRunFunction is the wire cost of one call for a Datalab with
// every service kind in its steady state.
func BenchmarkRunFunction(b *testing.B) {
	steady := fixture(b, "transient-missing-input/observed.yaml")
	req := newRequest(b, call{spec: allServices, observed: steady,
		secrets: map[string]map[string]any{requirementKey("pg0"): pgSecret(map[string]string{"user": "app", "password": "pw"})}})
	fntest.Benchmark(b, fn, req)
}
