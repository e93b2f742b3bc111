package property

import (
	"flag"
	"maps"
	"slices"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/test/inprocess"
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
// observed inprocess.State. On every reconcile: no stateful object leaves the
// desired state unless the tenant removed it and retention allows (or a
// restart keeps its volumes); generated credentials never change while
// their Secret exists; no session is emitted before its authentication is
// resolved; a Fatal result never changes the desired state.
// go test ./test/property -sequences 500 runs ten times as many.
func TestNoSequenceLosesData(t *testing.T) {
	total, fatals, calls := 0, 0, 0
	reasons := map[string]int{}
	defer func(wire bool) { inprocess.OverTheWire = wire }(inprocess.OverTheWire)
	for seq := range *sequences {
		s := newScenario(uint64(seq) + 1)
		// One sequence in ten goes over the wire (observed resources
		// decoded as read, frozen objects re-emitted as observed); the
		// rest skip the encoding, which costs more than the steps.
		inprocess.OverTheWire = seq%10 == 0
		w := inprocess.World{}
		observed := inprocess.NewState()
		hidden := map[string]*fnv1.Resource{}
		asked := map[string]map[string]*fnv1.ResourceSelector{}
		var history []string
		for step := range *length {
			history = append(history, s.edit(w))
			s.sync(w)
			// A composed Secret someone deleted is no longer observed.
			for key, r := range observed.Resources {
				o := r.GetResource()
				if inprocess.Field(o, "kind") == "Secret" && w.Get("v1", "Secret", namespace, inprocess.Field(o, "metadata", "name")) == nil {
					observed.Drop(key)
				}
			}
			// Observed resources vanish for a while, then come back as
			// the cluster holds them then (unless they are gone).
			for _, key := range slices.Sorted(maps.Keys(hidden)) {
				if _, ok := observed.Resources[key]; !ok && s.r.IntN(3) == 0 {
					if now := current(w, hidden[key]); now != nil {
						observed.Put(key, now)
					}
					delete(hidden, key)
				}
			}
			if len(observed.Resources) > 0 && s.r.IntN(10) == 0 {
				keys := slices.Sorted(maps.Keys(observed.Resources))
				key := keys[s.r.IntN(len(keys))]
				hidden[key] = observed.Resources[key]
				observed.Drop(key)
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
			out, err := inprocess.Reconcile(s.xr(), observed.Resources, w, asked, func(name string, given []string, rsp *fnv1.RunFunctionResponse) {
				if p := fatalShrinks(given, rsp); p != "" {
					fail(name, p)
				}
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			calls += out.Calls
			total++
			if out.Fatal != "" {
				fatals++
				reasons[out.Step+": "+firstLine(out.Fatal)]++
				continue // nothing applied
			}
			fail("data lost", s.lostData(observed, out.Desired)...)
			fail("credentials changed", changedCredentials(observed, out.Desired)...)
			fail("session without authentication", s.unauthenticated(w, observed, out.Desired)...)
			observed = inprocess.Apply(out.Desired, w, namespace, name)
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

// current is an observed resource as the world holds it now, nil when it
// is gone.
func current(w inprocess.World, r *fnv1.Resource) *fnv1.Resource {
	o := r.GetResource()
	now := w.Get(inprocess.Field(o, "apiVersion"), inprocess.Field(o, "kind"), inprocess.Field(o, "metadata", "namespace"), inprocess.Field(o, "metadata", "name"))
	if now == nil {
		return nil
	}
	return &fnv1.Resource{Resource: now, ConnectionDetails: r.GetConnectionDetails(), Ready: r.GetReady()}
}
