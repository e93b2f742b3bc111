package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/crossplane/function-sdk-go/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// maxDriftFields bounds how many changed fields one message lists.
const maxDriftFields = 5

// detectDrift finds running environments and sessions that no longer match
// the spec. Educates reads a WorkshopEnvironment's Workshop and a
// WorkshopSession only when it creates them, so a later change is stored
// but never reaches what runs. Messages name fields, never values (a
// session's spec carries its login).
func detectDrift(in *pipeline.Input, p plan, desired map[resource.Name]*resource.DesiredComposed) []string {
	out := append([]string(nil), *p.kept...)
	for _, sp := range p.sessions {
		if !sp.declared {
			continue
		}
		s := sp.session.Name
		envKey, wsKey, sessKey := compose.EnvironmentKey(s), compose.WorkshopKey(s), compose.SessionKey(s)
		if health.Manifest(in.Observed, envKey) != nil {
			// The applied Workshop carries what the policy step injected: compare
			// only what this step renders.
			changed := changedFields(compose.WithoutComponent(health.AppliedManifest(in.Observed, wsKey), compose.ComponentPolicy), desiredManifest(desired, wsKey), "spec")
			if g := workshopGenerationLag(in, envKey, wsKey); g != "" && len(changed) == 0 {
				changed = []string{g}
			}
			if len(changed) > 0 {
				out = append(out, fmt.Sprintf("session %s: environment %s runs an older Workshop (%s); Educates applies Workshop changes only when the environment is recreated, which deletes its namespace and workspace volume unless the StorageClass retains volumes", s, in.Tenant.Environment(s), summary(changed)))
			}
		}
		if sp.render && health.Manifest(in.Observed, sessKey) != nil {
			if changed := changedFields(health.AppliedManifest(in.Observed, sessKey), desiredManifest(desired, sessKey), "spec"); len(changed) > 0 {
				out = append(out, fmt.Sprintf("session %s: the running session was created from an older spec (%s); set state: stopped, then started, to apply", s, summary(changed)))
			}
		}
	}
	return out
}

// workshopGenerationLag compares the Workshop's generation with the one
// the environment snapshotted when Educates created it.
func workshopGenerationLag(in *pipeline.Input, envKey, wsKey resource.Name) string {
	ws := health.Manifest(in.Observed, wsKey)
	env := health.Manifest(in.Observed, envKey)
	if ws == nil || env == nil {
		return ""
	}
	gen, ok1 := number(ws, "metadata", "generation")
	snap, ok2 := number(env, "status", "educates", "workshop", "generation")
	if !ok1 || !ok2 || gen <= snap {
		return ""
	}
	return fmt.Sprintf("Workshop generation %d, environment created from %d", gen, snap)
}

// number reads an integer field of observed state, which arrives as a
// float64 (JSON through structpb); NestedInt64 would refuse it.
func number(m map[string]any, fields ...string) (int64, bool) {
	v, found, _ := unstructured.NestedFieldNoCopy(m, fields...)
	switch n := v.(type) {
	case float64:
		return int64(n), found
	case int64:
		return n, found
	case int:
		return int64(n), found
	}
	return 0, false
}

func desiredManifest(desired map[resource.Name]*resource.DesiredComposed, key resource.Name) map[string]any {
	dc, ok := desired[key]
	if !ok {
		return nil
	}
	// No copy: desired manifests may hold Go ints, which DeepCopyJSON rejects.
	v, _, _ := unstructured.NestedFieldNoCopy(dc.Resource.Object, "spec", "forProvider", "manifest")
	m, _ := v.(map[string]any)
	return m
}

// changedFields lists the leaf paths under root that differ between the
// previously applied and the desired manifest. Nothing applied yet means
// nothing has drifted.
func changedFields(applied, desired map[string]any, root string) []string {
	if applied == nil || desired == nil {
		return nil
	}
	var out []string
	diff(applied[root], desired[root], root, &out)
	sort.Strings(out)
	return out
}

func diff(a, b any, path string, out *[]string) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		seen := map[string]bool{}
		for k := range am {
			seen[k] = true
		}
		for k := range bm {
			seen[k] = true
		}
		for k := range seen {
			diff(am[k], bm[k], path+"."+k, out)
		}
		return
	}
	if !reflect.DeepEqual(normalise(a), normalise(b)) {
		*out = append(*out, path)
	}
}

// normalise makes numbers comparable whatever their Go type (observed
// state decodes as float64, desired may hold ints).
func normalise(v any) any {
	switch t := v.(type) {
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case []any:
		out := make([]any, len(t))
		for i := range t {
			out[i] = normalise(t[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = normalise(x)
		}
		return out
	}
	return v
}

func summary(fields []string) string {
	if len(fields) > maxDriftFields {
		return "changed: " + strings.Join(fields[:maxDriftFields], ", ") + fmt.Sprintf(" and %d more", len(fields)-maxDriftFields)
	}
	return "changed: " + strings.Join(fields, ", ")
}
