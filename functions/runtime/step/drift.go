package step

import (
	"fmt"
	"sort"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// maxDriftFields bounds how many changed fields one message lists.
const maxDriftFields = 5

// detectDrift compares every existing environment and session with what
// the current spec renders (frozen.go keeps them as they were created).
// Messages name fields, never values (a session's spec carries its login).
func detectDrift(in *pipeline.Input, p plan) []string {
	out := append([]string(nil), *p.kept...)
	for _, sp := range p.sessions {
		if !sp.declared {
			continue
		}
		s := sp.session
		if in.Observed.Has(compose.EnvironmentKey(s.Name)) {
			// The environment's record of its Workshop (record.go), without
			// what boundary Objects keep current in running namespaces.
			created := createdFields(in, s.Name)
			now := fieldDigests(workshop(in, s))
			if changed := changedFields(map[string]any{"spec": created}, map[string]any{"spec": now}, "spec"); created != nil && len(changed) > 0 {
				g, _ := recordedGeneration(in, s.Name)
				out = append(out, fmt.Sprintf("session %s: environment %s was created from an older Workshop (%s); set sessions[].restartGeneration above %d to recreate the environment, keeping the workspace volume", s.Name, in.Tenant.Environment(s.Name), summary(changed), g))
			}
		}
		if sp.keep && p.auth.resolved {
			if changed := changedFields(frozen(in, compose.SessionKey(s.Name)), workshopSession(in, s, p.auth), "spec"); len(changed) > 0 {
				out = append(out, fmt.Sprintf("session %s: the running session was created from an older spec (%s); set state: stopped, then started, to apply", s.Name, summary(changed)))
			}
		}
	}
	return out
}

// changedFields lists the leaf paths under root that differ between the
// previously applied and the desired manifest. Nothing applied yet means
// nothing has drifted.
func changedFields(applied, desired map[string]any, root string) []string {
	if applied == nil || desired == nil {
		return nil
	}
	var out []string
	diff(applied[root], desired[root], []string{root}, &out)
	sort.Strings(out)
	return out
}

// diff walks both values in place: it copies nothing and builds a path
// only for a field that differs.
func diff(a, b any, path []string, out *[]string) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		if !compose.Equal(a, b) {
			*out = append(*out, strings.Join(path, "."))
		}
		return
	}
	for k, av := range am {
		diff(av, bm[k], append(path, k), out)
	}
	for k, bv := range bm {
		if _, ok := am[k]; !ok {
			diff(nil, bv, append(path, k), out)
		}
	}
}

func summary(fields []string) string {
	if len(fields) > maxDriftFields {
		return "changed: " + strings.Join(fields[:maxDriftFields], ", ") + fmt.Sprintf(" and %d more", len(fields)-maxDriftFields)
	}
	return "changed: " + strings.Join(fields, ", ")
}
