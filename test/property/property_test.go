package property

import (
	"flag"
	"maps"
	"slices"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

var (
	sequences = flag.Int("sequences", 50, "random sequences of reconciles")
	length    = flag.Int("length", 200, "reconciles per sequence")
)

// TestNoSequenceLosesData runs the whole pipeline in-process over random
// sequences of reconciles: the claim is edited (sessions added, stopped,
// removed, renamed, restarted; services added and removed; the registry
// switched), the environment changes (retention, authentication mode,
// Keycloak) or disappears, the ingress protection and the tenant's Secrets
// vanish and come back, observed resources vanish and come back, and bad
// input makes a step fail. Each outcome is applied and fed back as
// observed state. On every reconcile: no stateful object leaves the
// desired state unless the tenant removed it and retention allows (or a
// restart keeps its volumes); generated credentials never change while
// their Secret exists; no session is emitted before its authentication is
// resolved; a Fatal result never changes the desired state.
// go test ./test/property -sequences 500 runs ten times as many.
func TestNoSequenceLosesData(t *testing.T) {
	total, fatals, calls := 0, 0, 0
	reasons := map[string]int{}
	for seq := range *sequences {
		s := newScenario(uint64(seq) + 1)
		w := world{}
		observed := state{resources: map[string]*fnv1.Resource{}, maps: map[string]map[string]any{}}
		hidden := map[string]*fnv1.Resource{}
		asked := map[string]map[string]*fnv1.ResourceSelector{}
		var history []string
		for step := range *length {
			history = append(history, s.edit(w))
			s.sync(w)
			// A composed Secret someone deleted is no longer observed.
			for key, r := range observed.resources {
				o := r.GetResource()
				if field(o, "kind") == "Secret" && w.get("v1", "Secret", namespace, field(o, "metadata", "name")) == nil {
					observed.drop(key)
				}
			}
			// Observed resources vanish for a while, then come back.
			for _, key := range slices.Sorted(maps.Keys(hidden)) {
				if _, ok := observed.resources[key]; !ok && s.r.IntN(3) == 0 {
					observed.put(key, hidden[key])
					delete(hidden, key)
				}
			}
			if len(observed.resources) > 0 && s.r.IntN(10) == 0 {
				keys := slices.Sorted(maps.Keys(observed.resources))
				key := keys[s.r.IntN(len(keys))]
				hidden[key] = observed.resources[key]
				observed.drop(key)
				history[len(history)-1] += " (" + key + " not observed)"
			}
			fail := func(what string, problems ...string) {
				t.Helper()
				if len(problems) == 0 {
					return
				}
				last := history
				if len(last) > 8 {
					last = last[len(last)-8:]
				}
				t.Fatalf("sequence %d, reconcile %d: %s:\n  %s\nlast edits: %s", seq, step, what, strings.Join(problems, "\n  "), strings.Join(last, "; "))
			}
			out := reconcile(t, s.xr(), observed.resources, w, asked, func(name string, given []string, rsp *fnv1.RunFunctionResponse) {
				if p := fatalShrinks(given, rsp); p != "" {
					fail(name, p)
				}
			})
			calls += out.calls
			total++
			if out.fatal != "" {
				fatals++
				reasons[out.step+": "+firstLine(out.fatal)]++
				continue // nothing applied
			}
			fail("data lost", s.lostData(observed, out.desired)...)
			fail("credentials changed", changedCredentials(observed, out.desired)...)
			fail("session without authentication", s.unauthenticated(w, observed, out.desired)...)
			observed = apply(out.desired, w, namespace)
		}
	}
	for r, n := range reasons {
		t.Logf("%5d %s", n, r)
	}
	t.Logf("%d reconciles (%d stopped by a Fatal result, %d function calls) kept every invariant", total, fatals, calls)
	if total < 10000 && *sequences*(*length) >= 10000 {
		t.Fatalf("only %d reconciles ran", total)
	}
}

func firstLine(s string) string {
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}
