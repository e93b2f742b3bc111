package step

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

const (
	credentialsEnv = `{"auth":{"type":"credentials"},"ingress":{"domain":"datalab.example.com"}}`
	delegatedEnv   = `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}},"ingress":{"domain":"datalab.example.com"}}`
	keycloakEnv    = `{"auth":{"type":"delegated","protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}},"ingress":{"domain":"datalab.example.com"},
		"iam":{"realm":"datalab","extraAudiences":["workspace-api","Data API"]}}`
)

type input struct {
	spec     string
	env      string
	observed map[string]string
	required map[string][]string
	desired  map[string]string
}

func newRequest(t testing.TB, r input) *fnv1.RunFunctionRequest {
	t.Helper()
	// Keycloak mode asks for the client's connection Secret: resolved (and
	// absent) unless the test says otherwise.
	required := map[string][]string{connectionRequirement: nil}
	for k, items := range r.required {
		required[k] = items
	}
	desired := r.desired
	if desired == nil {
		desired = map[string]string{}
	}
	return fntest.Request{Spec: r.spec, Env: r.env, Observed: r.observed, Desired: desired, Required: required}.Build(t)
}

// fn is the identity step as the tests call it.
var fn = &pipeline.Function{Log: logging.NewNopLogger(), Step: Run}

func keys(rsp *fnv1.RunFunctionResponse) []string {
	var out []string
	for k := range rsp.GetDesired().GetResources() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func object(t testing.TB, rsp *fnv1.RunFunctionResponse, key resource.Name) map[string]any {
	t.Helper()
	r, ok := rsp.GetDesired().GetResources()[string(key)]
	if !ok {
		t.Fatalf("%s not rendered (rendered: %v)", key, keys(rsp))
	}
	return r.GetResource().AsMap()
}

func secretValue(t testing.TB, obj map[string]any, key string) string {
	t.Helper()
	data, _ := obj["data"].(map[string]any)
	s, _ := data[key].(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("data.%s is not base64: %v", key, err)
	}
	return string(b)
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestModes: each mode composes exactly its objects; nothing of Keycloak
// without Keycloak (the predecessor emitted it always).
func TestModes(t *testing.T) {
	off := strings.Replace(keycloakEnv, `"realm":"datalab"`, `"realm":"datalab","enabled":"false"`, 1)
	keycloakKeys := []string{
		"ingress-auth", "keycloak-audience-data-api", "keycloak-audience-workspace-api", "keycloak-client",
		"keycloak-group-admins", "keycloak-group-roles-admins", "keycloak-group-roles-users", "keycloak-group-users",
		"keycloak-mapper-groups", "keycloak-members-admins", "keycloak-members-users", "keycloak-role-access",
		"keycloak-role-admin", "keycloak-role-api", "keycloak-scope-access", "keycloak-scope-admin", "keycloak-scope-api",
		"keycloak-service-account-role",
	}
	cases := map[string]struct {
		env  string
		want []string
	}{
		"credentials":            {credentialsEnv, []string{"login-secret"}},
		"delegated":              {delegatedEnv, []string{"ingress-auth"}},
		"keycloak turned off":    {off, []string{"ingress-auth"}},
		"keycloak and delegated": {keycloakEnv, keycloakKeys},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rsp := fntest.Run(t, fn, newRequest(t, input{spec: `{"users":["alice"],"sessions":[{"name":"default"}]}`, env: tc.env}))
			if m := fntest.Fatal(rsp); m != "" {
				t.Fatal(m)
			}
			if got := keys(rsp); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("rendered %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLoginCreatedOnceAndReused: the first reconcile makes a random
// password; every later one reuses the observed login exactly, even when
// the users change.
func TestLoginCreatedOnceAndReused(t *testing.T) {
	spec := `{"users":["alice"],"sessions":[{"name":"default"}]}`
	first := object(t, fntest.Run(t, fn, newRequest(t, input{spec: spec, env: credentialsEnv})), compose.LoginSecretKey)
	if u := secretValue(t, first, "username"); u != "alice" {
		t.Fatalf("username %q, want the first user", u)
	}
	p := secretValue(t, first, "password")
	if len(p) < 24 || strings.ContainsAny(p, "+/= ") {
		t.Fatalf("password %q is not >= 24 URL-safe characters", p)
	}
	again := object(t, fntest.Run(t, fn, newRequest(t, input{spec: spec, env: credentialsEnv})), compose.LoginSecretKey)
	if secretValue(t, again, "password") == p {
		t.Fatal("two first reconciles made the same password")
	}

	observed := toJSON(first)
	later := object(t, fntest.Run(t, fn, newRequest(t, input{
		spec: `{"users":["bob","alice"],"sessions":[{"name":"default"}]}`, env: credentialsEnv,
		observed: map[string]string{string(compose.LoginSecretKey): observed},
	})), compose.LoginSecretKey)
	if secretValue(t, later, "password") != p || secretValue(t, later, "username") != "alice" {
		t.Fatal("the observed login was not reused exactly")
	}

	none := object(t, fntest.Run(t, fn, newRequest(t, input{spec: `{}`, env: credentialsEnv})), compose.LoginSecretKey)
	if u := secretValue(t, none, "username"); u != defaultLoginUser {
		t.Fatalf("username without users %q, want %q", u, defaultLoginUser)
	}
}

// TestAdmins: the first user is always an admin; overrides add admins.
func TestAdmins(t *testing.T) {
	spec := `{"users":["carol","alice","bob"],"userOverrides":{"bob":{"role":"admin"},"carol":{"role":"user"}}}`
	rsp := fntest.Run(t, fn, newRequest(t, input{spec: spec, env: keycloakEnv}))
	members := func(key resource.Name) string {
		fp := object(t, rsp, key)["spec"].(map[string]any)["forProvider"].(map[string]any)
		return toJSON(fp["members"])
	}
	if got := members(compose.KeycloakAdminMembersKey); got != `["bob","carol"]` {
		t.Errorf("admins %s", got)
	}
	if got := members(compose.KeycloakUserMembersKey); got != `["alice","bob","carol"]` {
		t.Errorf("users %s", got)
	}

	rsp = fntest.Run(t, fn, newRequest(t, input{spec: `{"sessions":[{"name":"default"}]}`, env: keycloakEnv}))
	for _, k := range []resource.Name{compose.KeycloakAdminMembersKey, compose.KeycloakUserMembersKey} {
		if _, ok := rsp.GetDesired().GetResources()[string(k)]; ok {
			t.Errorf("%s rendered without users", k)
		}
	}
}

// TestClientURLs: redirect URIs are https with a path wildcard; web origins
// are origins (scheme and host only); no localhost, every declared
// session's hosts (stopped ones included).
func TestClientURLs(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, input{spec: `{"sessions":[{"name":"a"},{"name":"b","state":"stopped"}]}`, env: keycloakEnv}))
	fp := object(t, rsp, compose.KeycloakClientKey)["spec"].(map[string]any)["forProvider"].(map[string]any)
	redirects, origins := fp["validRedirectUris"].([]any), fp["webOrigins"].([]any)
	if len(redirects) != 10 || len(origins) != 10 {
		t.Fatalf("%d redirect URIs and %d origins, want 5 hosts x 2 sessions", len(redirects), len(origins))
	}
	for _, r := range redirects {
		s := r.(string)
		if !strings.HasPrefix(s, "https://") || !strings.HasSuffix(s, "/*") || strings.Contains(s, "localhost") {
			t.Errorf("redirect URI %q", s)
		}
	}
	for _, o := range origins {
		s := o.(string)
		if !strings.HasPrefix(s, "https://") || strings.Contains(strings.TrimPrefix(s, "https://"), "/") || strings.Contains(s, "localhost") {
			t.Errorf("web origin %q is not an origin", s)
		}
	}
	if !strings.Contains(toJSON(origins), "-b-ws.datalab.example.com") {
		t.Error("the stopped session's hosts are missing")
	}
}

func connectionSecret(value string) string {
	return `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-oauth-client","namespace":"team"},"data":{"attribute.client_secret":"` +
		base64.StdEncoding.EncodeToString([]byte(value)) + `"}}`
}

// TestOAuthSecret: composed from the connection Secret; kept exactly as
// observed while the connection Secret is missing; absent before either.
func TestOAuthSecret(t *testing.T) {
	spec := `{"users":["alice"]}`
	rsp := fntest.Run(t, fn, newRequest(t, input{spec: spec, env: keycloakEnv}))
	if _, ok := rsp.GetDesired().GetResources()[string(compose.OAuthSecretKey)]; ok {
		t.Fatal("OAuth Secret composed before the client secret exists")
	}
	if c := fntest.Condition(rsp, ConditionType); c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || !strings.Contains(c.GetMessage(), "lab-oauth-client") {
		t.Fatalf("condition does not say what is missing: %v", c)
	}

	rsp = fntest.Run(t, fn, newRequest(t, input{spec: spec, env: keycloakEnv, required: map[string][]string{connectionRequirement: {connectionSecret("s3cr3t-client")}}}))
	obj := object(t, rsp, compose.OAuthSecretKey)
	if secretValue(t, obj, "client_secret") != "s3cr3t-client" || !strings.HasPrefix(secretValue(t, obj, "client_id"), "lab-") {
		t.Fatalf("OAuth Secret %v", obj["data"])
	}
	if got := toJSON(rsp.GetDesired().GetComposite()) + toJSON(rsp.GetConditions()) + toJSON(rsp.GetResults()); strings.Contains(got, "s3cr3t-client") {
		t.Fatal("the client secret leaked into status, conditions or results")
	}

	// The connection Secret is gone (transiently): the OAuth Secret stays.
	observed := `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-oauth2-client","labels":{"a":"b"}},"type":"Opaque",
		"data":{"client_id":"bGFi","client_secret":"a2VwdA=="},"status":{}}`
	rsp = fntest.Run(t, fn, newRequest(t, input{spec: spec, env: keycloakEnv, observed: map[string]string{string(compose.OAuthSecretKey): observed}}))
	kept := object(t, rsp, compose.OAuthSecretKey)
	if secretValue(t, kept, "client_secret") != "kept" {
		t.Fatalf("OAuth Secret not kept as observed: %v", kept)
	}
}

// TestConnectionPending: before Crossplane resolved the connection Secret,
// only the requirement is returned.
func TestConnectionPending(t *testing.T) {
	req := newRequest(t, input{spec: `{"users":["alice"]}`, env: keycloakEnv})
	delete(req.RequiredResources, connectionRequirement)
	rsp := fntest.Run(t, fn, req)
	if fntest.Fatal(rsp) != "" || len(rsp.GetDesired().GetResources()) != 0 {
		t.Fatalf("rendered %v before the requirement resolved", keys(rsp))
	}
	sel := rsp.GetRequirements().GetResources()[connectionRequirement]
	if sel.GetMatchName() != "lab-oauth-client" || sel.GetNamespace() != "team" || sel.GetKind() != "Secret" {
		t.Fatalf("requirement %v", sel)
	}
}

// session is a runtime WorkshopSession Object with the given login.
func session(user, password string) string {
	return `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"s"},"spec":{"forProvider":{"manifest":
		{"apiVersion":"training.educates.dev/v1beta1","kind":"WorkshopSession","spec":{"session":{"username":"` + user + `","password":"` + password + `"}}}}}}`
}

// TestNoUnauthenticatedSession: in credentials mode a new session without a
// login stops the pipeline; an existing one is never touched, and delegated
// sessions are the ingress layer's.
func TestNoUnauthenticatedSession(t *testing.T) {
	key := string(compose.SessionKey("default"))
	cases := map[string]struct {
		env      string
		session  string
		existing bool
		fatal    bool
	}{
		"credentials, login off":            {credentialsEnv, session("*", ""), false, true},
		"credentials, no password":          {credentialsEnv, session("alice", ""), false, true},
		"credentials, no user":              {credentialsEnv, session("", "pw"), false, true},
		"credentials, login":                {credentialsEnv, session("alice", "pw"), false, false},
		"credentials, existing session":     {credentialsEnv, session("*", ""), true, false},
		"delegated, ingress authenticates":  {delegatedEnv, session("*", ""), false, false},
		"credentials, not a session object": {credentialsEnv, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}`, false, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := input{spec: `{"users":["alice"],"sessions":[{"name":"default"}]}`, env: tc.env, desired: map[string]string{key: tc.session}}
			if tc.existing {
				r.observed = map[string]string{key: tc.session}
			}
			rsp := fntest.Run(t, fn, newRequest(t, r))
			if got := fntest.Fatal(rsp) != ""; got != tc.fatal {
				t.Fatalf("fatal = %v (%q), want %v", got, fntest.Fatal(rsp), tc.fatal)
			}
			if tc.fatal && strings.Contains(fntest.Fatal(rsp), "pw") {
				t.Fatal("the message carries a password")
			}
		})
	}
}

// TestBadInputRendersNothing: a Fatal result carries no desired resources
// of this step, so Crossplane neither applies nor deletes anything.
func TestBadInputRendersNothing(t *testing.T) {
	cases := map[string]input{
		"upper-case user":      {spec: `{"users":["Alice"]}`, env: keycloakEnv},
		"unknown auth type":    {spec: `{}`, env: `{"auth":{"type":"none"}}`},
		"audience collision":   {spec: `{}`, env: strings.Replace(keycloakEnv, `"Data API"`, `"workspace.api"`, 1)},
		"override for nobody":  {spec: `{"users":["alice"],"userOverrides":{"bob":{"role":"admin"}}}`, env: keycloakEnv},
		"duplicate users":      {spec: `{"users":["alice","alice"]}`, env: credentialsEnv},
		"user with whitespace": {spec: `{"users":["a b"]}`, env: credentialsEnv},
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			rsp := fntest.Run(t, fn, newRequest(t, r))
			if fntest.Fatal(rsp) == "" {
				t.Fatal("no Fatal result")
			}
			if n := len(rsp.GetDesired().GetResources()); n != 0 {
				t.Fatalf("%d resources rendered with a Fatal result", n)
			}
		})
	}
}

// TestNoSecretsInStatus: the session password never reaches status,
// conditions or results.
func TestNoSecretsInStatus(t *testing.T) {
	login := `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-session-login"},"data":{"username":"YWxpY2U=","password":"czNjcjN0LXZhbHVl"}}`
	rsp := fntest.Run(t, fn, newRequest(t, input{spec: `{"users":["alice"]}`, env: credentialsEnv, observed: map[string]string{string(compose.LoginSecretKey): login}}))
	if c := fntest.Condition(rsp, ConditionType); c.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE {
		t.Fatalf("IdentityReady %v with the login observed", c)
	}
	if got := toJSON(rsp.GetDesired().GetComposite()) + toJSON(rsp.GetConditions()) + toJSON(rsp.GetResults()); strings.Contains(got, "s3cr3t-value") {
		t.Fatal("the session password leaked into status, conditions or results")
	}
}

// FuzzRunFunction: see fntest.Fuzz.
func FuzzRunFunction(f *testing.F) { fntest.Fuzz(f, fn) }

// TestFuzzCorpusRenders: the generator reaches the code: many generated
// inputs render, and all keep the fuzz properties.
func TestFuzzCorpusRenders(t *testing.T) {
	fntest.CorpusRenders(t, fn, 1000, 0.3)
}

// BenchmarkRunFunction measures one call for a Keycloak-managed Datalab with
// three users and three sessions whose runtime output is in the desired
// state, wire encoding included.
func BenchmarkRunFunction(b *testing.B) {
	desired := map[string]string{}
	for _, s := range []string{"a", "b", "c"} {
		desired[string(compose.SessionKey(s))] = session("*", "")
		desired[string(compose.WorkshopKey(s))] = `{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"w"}}`
	}
	req := newRequest(b, input{
		spec: `{"users":["alice","bob","carol"],"userOverrides":{"bob":{"role":"admin"}},"sessions":[{"name":"a"},{"name":"b"},{"name":"c","state":"stopped"}]}`,
		env:  keycloakEnv, desired: desired,
		required: map[string][]string{connectionRequirement: {connectionSecret("s3cr3t")}},
	})
	fntest.Benchmark(b, fn, req)
}
