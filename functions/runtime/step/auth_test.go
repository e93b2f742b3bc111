package step

import (
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// TestUnusableLoginNeverLeaks: a login Secret whose password is not valid
// UTF-8 (anyone who may edit Secrets in the namespace can write one) holds
// the session back with a reason that never carries the value; before, the
// wire encoding failed with the password in the Fatal message.
func TestUnusableLoginNeverLeaks(t *testing.T) {
	env := strings.Replace(testEnv, "delegated", "credentials", 1)
	req := fntest.Request{Spec: `{"sessions":[{"name":"s1"}]}`, Env: env, Observed: map[string]string{string(compose.LoginSecretKey): `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-session-login","namespace":"team"},"data":{"username":"YWxpY2U=","password":"U0VDUkVULVZBTFVF/w=="}}`}}.Build(t)
	rsp := fntest.Run(t, fn, req)
	all, _ := protojson.Marshal(rsp)
	if strings.Contains(string(all), "SECRET-VALUE") {
		t.Fatal("the password reached the response")
	}
	if m := fntest.Fatal(rsp); m != "" {
		t.Fatalf("want the session held back, got a Fatal: %s", m)
	}
	if _, ok := rsp.GetDesired().GetResources()[string(compose.SessionKey("s1"))]; ok {
		t.Fatal("a session was rendered with an unusable login")
	}
	if c := fntest.Condition(rsp, ConditionType); c == nil || !strings.Contains(c.GetMessage(), "not one line of valid UTF-8") {
		t.Fatalf("the condition does not say why: %v", c)
	}
}

// TestDelegatedSessionsWaitForProtection: in delegated mode a new session
// is rendered only while the ingress protection the operator named exists
// and is not reported unready; a running one stays; without a named
// protection the EnvironmentConfig is refused.
func TestDelegatedSessionsWaitForProtection(t *testing.T) {
	spec := `{"sessions":[{"name":"s1"}]}`
	policy := func(status string) []string {
		p := `{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"` + fntest.ProtectionName + `"}`
		if status != "" {
			p += `,"status":{"conditions":[{"type":"Ready","status":"` + status + `"}]}`
		}
		return []string{p + `}`}
	}
	for name, tc := range map[string]struct {
		required []string
		session  bool
	}{
		"missing":   {[]string{}, false},
		"not ready": {policy("False"), false},
		"ready":     {policy("True"), true},
		"no status": {policy(""), true},
	} {
		t.Run(name, func(t *testing.T) {
			req := fntest.Request{Spec: spec, Env: testEnv, Required: map[string][]string{environment.ProtectionRequirement: tc.required}}.Build(t)
			rsp := fntest.Run(t, fn, req)
			if _, ok := rsp.GetDesired().GetResources()[string(compose.SessionKey("s1"))]; ok != tc.session {
				t.Fatalf("session rendered %v, want %v", ok, tc.session)
			}
			if c := fntest.Condition(rsp, ConditionType); !tc.session && (c == nil || c.GetReason() != "AwaitingProtection" || !strings.Contains(c.GetMessage(), fntest.ProtectionName)) {
				t.Fatalf("the condition does not name the protection: %v", c)
			}
		})
	}

	// A session that runs is never removed for a missing protection.
	first := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: testEnv}.Build(t))
	req := fntest.Request{Spec: spec, Env: testEnv, Observed: fntest.Applied(t, first, nil), Required: map[string][]string{environment.ProtectionRequirement: {}}}.Build(t)
	if _, ok := fntest.Run(t, fn, req).GetDesired().GetResources()[string(compose.SessionKey("s1"))]; !ok {
		t.Fatal("a running session was removed because the protection went")
	}

	bare := strings.Replace(testEnv, `,"protection":{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","name":"datalab-session-nginx-external-auth"}`, "", 1)
	if f := fntest.Fatal(fntest.Run(t, fn, fntest.Request{Spec: spec, Env: bare}.Build(t))); !strings.Contains(f, "EnvironmentConfig.data.auth.protection: Required value") {
		t.Fatalf("delegated mode without a protection is not refused: %q", f)
	}
}

// TestLoginOnlyFromObservedState: the runtime trusts the session login
// only as this pipeline composed it. A Secret of that name that the
// pipeline did not compose (a tenant wrote it first, or it arrives under
// another composed resource) starts no session.
func TestLoginOnlyFromObservedState(t *testing.T) {
	env := strings.Replace(testEnv, "delegated", "credentials", 1)
	tenants := `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-session-login","namespace":"team"},"data":{"username":"YWxpY2U=","password":"czNjcjN0LXZhbHVl"}}`
	for name, obs := range map[string]map[string]string{
		"only a Secret of that name exists": nil,
		"another Secret under the key":      {string(compose.LoginSecretKey): strings.Replace(tenants, "lab-session-login", "lab-other", 1)},
		"the login under another key":       {"storage-credentials": tenants},
	} {
		t.Run(name, func(t *testing.T) {
			req := fntest.Request{Spec: `{"sessions":[{"name":"s1"}]}`, Env: env, Observed: obs}.Build(t)
			req.RequiredResources["session-login"] = &fnv1.Resources{Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(tenants)}}}
			rsp := fntest.Run(t, fn, req)
			if _, ok := rsp.GetDesired().GetResources()[string(compose.SessionKey("s1"))]; ok {
				t.Fatal("a session started with a login the pipeline did not compose")
			}
			if c := fntest.Condition(rsp, ConditionType); c == nil || !strings.Contains(c.GetMessage(), "does not exist yet") {
				t.Fatalf("the condition does not say the login is missing: %v", c)
			}
		})
	}
}
