package inprocess

import (
	"maps"
	"path/filepath"
	"slices"
	"testing"
)

// TestFiveCallsPerReconcile: at steady state Crossplane v2.4 calls each of
// the five steps once per reconcile, in both auth modes and at every size:
// no step's requirements change between its calls or between reconciles.
// `crossplane render` remembers no requirements, so a step that requires
// what the Composition does not fetch up front is called twice there:
// storage (the tenant's storage Secret, named by the claim), identity (the
// Keycloak client's connection Secret, written by provider-keycloak),
// backends with a PostgreSQL host (the application Secret its operator
// writes) and, in delegated mode, runtime (the ingress protection the
// EnvironmentConfig names). The EnvironmentConfig and the session login
// cost no second call.
func TestFiveCallsPerReconcile(t *testing.T) {
	env, err := Uncapped(filepath.Join("..", "..", "examples", "environment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	twice := map[string][]string{
		"delegated":   {"identity", "runtime", "storage"},
		"credentials": {"identity", "storage"},
	}
	for _, mode := range []string{"delegated", "credentials"} {
		e := env
		if mode == "credentials" {
			e = WithCredentials(env)
		}
		for _, size := range Sizes {
			t.Run(mode+"/"+size.Name, func(t *testing.T) {
				st, err := Steady(size, e)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range Steps {
					if n := st.Calls[s.Name]; n != 1 {
						t.Errorf("%s is called %d times per steady reconcile, want once", s.Name, n)
					}
				}
				want := twice[mode]
				if size.Services > 0 {
					// The first service of a generated claim is a PostgreSQL host.
					want = append([]string{"backends"}, want...)
				}
				var renderTwice []string
				for name, n := range st.RenderCalls {
					if n > 1 {
						renderTwice = append(renderTwice, name)
					}
				}
				slices.Sort(renderTwice)
				if !slices.Equal(renderTwice, want) {
					t.Errorf("render calls %v, want twice only %v", st.RenderCalls, want)
				}
				if total := sum(st.Calls); total != len(Steps) {
					t.Errorf("%d calls per steady reconcile, want %d", total, len(Steps))
				}
			})
		}
	}
}

func sum(m map[string]int) int {
	n := 0
	for v := range maps.Values(m) {
		n += v
	}
	return n
}
