package step

import (
	"strings"
	"testing"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

// TestSessionLifetime: a running session asks to be reconciled when it
// expires; once expired it stops and stays stopped through later
// reconciles (the record is in observed state, not in the function); the
// operator's cap bounds a longer stopAt; changing the lifetime, or
// stopping and starting the session, starts it again.
func TestSessionLifetime(t *testing.T) {
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	defer func() { now = time.Now }()
	sess, env := string(compose.SessionKey("default")), string(compose.EnvironmentKey("default"))
	capped := strings.Replace(testEnv, `"retention"`, `"limits":{"maxSessionDuration":"4h"},"retention"`, 1)
	spec := func(lifetime string) string {
		return `{"sessions":[{"name":"default","lifetime":` + lifetime + `}]}`
	}
	reconcile := func(at time.Time, s, e string, obs map[string]string) *fnv1.RunFunctionResponse {
		t.Helper()
		now = func() time.Time { return at }
		rsp := fntest.Run(t, fn, fntest.Request{Spec: s, Env: e, Observed: obs}.Build(t))
		if f := fntest.Fatal(rsp); f != "" {
			t.Fatal(f)
		}
		return rsp
	}
	applied := func(rsp *fnv1.RunFunctionResponse) map[string]string {
		obs := fntest.Applied(t, rsp, nil)
		if _, ok := obs[sess]; ok {
			live(t, obs, sess, func(m map[string]any) { set(m, start.Format(time.RFC3339), "metadata", "creationTimestamp") })
		}
		return obs
	}

	two := spec(`{"maxDuration":"2h"}`)
	obs := applied(reconcile(start, two, testEnv, nil))
	rsp := reconcile(start.Add(30*time.Minute), two, testEnv, obs)
	if !has(rsp, sess) {
		t.Fatal("the session stopped before its lifetime")
	}
	if ttl := rsp.GetMeta().GetTtl().AsDuration(); ttl < 89*time.Minute || ttl > 91*time.Minute {
		t.Fatalf("TTL %s, want the 90 minutes left", ttl)
	}

	// Expired: stopped, kept, and still stopped a reconcile later.
	rsp = reconcile(start.Add(2*time.Hour), two, testEnv, obs)
	if has(rsp, sess) || !has(rsp, env) || !has(rsp, string(compose.WorkspaceKey("default"))) || sessionPhase(t, rsp) != phaseExpired {
		t.Fatalf("expiry: session %v, environment %v, phase %q", has(rsp, sess), has(rsp, env), sessionPhase(t, rsp))
	}
	obs = applied(rsp)
	if rsp = reconcile(start.Add(3*time.Hour), two, testEnv, obs); has(rsp, sess) || sessionPhase(t, rsp) != phaseExpired {
		t.Fatal("an expired session started again by itself")
	}

	// A new lifetime starts it again.
	if rsp = reconcile(start.Add(3*time.Hour), spec(`{"maxDuration":"3h"}`), testEnv, obs); !has(rsp, sess) {
		t.Fatal("a changed lifetime did not start the session again")
	}
	// So do stop and start.
	stopped := applied(reconcile(start.Add(3*time.Hour), `{"sessions":[{"name":"default","state":"stopped","lifetime":{"maxDuration":"2h"}}]}`, testEnv, obs))
	if rsp = reconcile(start.Add(3*time.Hour), two, testEnv, stopped); !has(rsp, sess) {
		t.Fatal("stop and start did not start the session again")
	}

	// The operator's cap bounds a later stopAt.
	obs = applied(reconcile(start, spec(`{"stopAt":"2026-12-31T00:00:00Z"}`), capped, nil))
	if rsp = reconcile(start.Add(4*time.Hour), spec(`{"stopAt":"2026-12-31T00:00:00Z"}`), capped, obs); has(rsp, sess) {
		t.Fatal("a session outlived the operator's maxSessionDuration")
	}
}
