package step

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Educates reads a Workshop only when it creates the environment: it
// stores a copy in the WorkshopEnvironment's status, in the same update
// that sets phase Running (the environment Object's readiness), and
// creates every later session from that copy. So a session's Workshop is
// composed only until its environment is ready, then deleted: it would
// otherwise travel in every request three times (desired, and observed
// with provider-kubernetes' copy). A Workshop that exists is always the
// whole one, boundary templates included; an environment recreated out of
// band finds none and waits (Educates retries) until the next reconcile
// composes it again.
//
// What the runtime and the policy step need of it later is recorded on
// the environment's Object when the environment is created, and kept as
// the Object carries it from then on: a digest per field of the Workshop
// (drift.go names the fields that differ from the current spec) and
// whether it enables vcluster (compose.AnnotationVCluster).

// AnnotationWorkshopFields records, on an environment's Object, a digest
// of each field of the Workshop the environment was created from.
const AnnotationWorkshopFields = "datalabs.pkg.internal/workshop-fields"

// digestLength is the hex digits kept of a field's SHA-256: a collision
// only hides one changed field from the drift report.
const digestLength = 8

// environmentReady reports whether Educates has created a session's
// environment (and so taken its copy of the Workshop).
func environmentReady(in *pipeline.Input, session string) bool {
	return health.Ready(in.Observed, compose.EnvironmentKey(session)) == resource.ReadyTrue
}

// recordWorkshop puts the record of the Workshop w on the environment's
// Object env: as the existing Object carries it once the environment is
// ready, else from w (the Workshop Educates reads when it creates it).
func recordWorkshop(in *pipeline.Input, session string, env, w map[string]any) {
	fields, vcluster := workshopRecord(w)
	if environmentReady(in, session) {
		obs := in.Observed.Annotations(compose.EnvironmentKey(session))
		if f, ok := obs[AnnotationWorkshopFields]; ok {
			fields, vcluster = f, obs[compose.AnnotationVCluster]
		}
	}
	_ = unstructured.SetNestedField(env, fields, "metadata", annotationsField, AnnotationWorkshopFields)
	_ = unstructured.SetNestedField(env, vcluster, "metadata", annotationsField, compose.AnnotationVCluster)
}

// keepRecord puts what the runtime recorded on an existing environment's
// Object back on the environment kept as observed (compose.KeepStateful
// keeps no annotations): the Workshop's record and the restart generation.
func keepRecord(in *pipeline.Input, session string, env map[string]any) {
	obs := in.Observed.Annotations(compose.EnvironmentKey(session))
	for _, a := range []string{AnnotationWorkshopFields, compose.AnnotationVCluster, AnnotationRestartGeneration} {
		if v, ok := obs[a]; ok {
			_ = unstructured.SetNestedField(env, v, "metadata", annotationsField, a)
		}
	}
}

// workshopRecord is the record of a Workshop manifest: its field digests
// (JSON) and its vcluster choice.
func workshopRecord(w map[string]any) (fields, vcluster string) {
	b, _ := json.Marshal(fieldDigests(w))
	enabled, _, _ := unstructured.NestedBool(w, "spec", "session", "applications", "vcluster", "enabled")
	return string(b), strconv.FormatBool(enabled)
}

// createdFields returns the field digests of the Workshop an existing
// environment was created from: its record, or the Workshop itself while
// it is still composed; nil when neither is known.
func createdFields(in *pipeline.Input, session string) map[string]string {
	if f, ok := in.Observed.Annotations(compose.EnvironmentKey(session))[AnnotationWorkshopFields]; ok {
		var out map[string]string
		if json.Unmarshal([]byte(f), &out) == nil {
			return out
		}
	}
	if w := frozen(in, compose.WorkshopKey(session)); w != nil {
		return fieldDigests(w)
	}
	return nil
}

// fieldDigests maps each field of a Workshop's spec (maps walked, any
// other value one field, as drift compares them) to a digest of its
// value, leaving out what boundary Objects keep current.
func fieldDigests(w map[string]any) map[string]string {
	out := map[string]string{}
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				walk(x, append(path, k))
			}
			return
		}
		b, _ := json.Marshal(v)
		sum := sha256.Sum256(b)
		out[strings.Join(path, ".")] = hex.EncodeToString(sum[:])[:digestLength]
	}
	walk(compose.WithoutKeptCurrent(w)["spec"], []string{"spec"})
	return out
}

// changedDigests lists the fields whose digests differ, or that only one
// side has, sorted.
func changedDigests(created, now map[string]string) []string {
	changed := map[string]bool{}
	for k, v := range created {
		if now[k] != v {
			changed[k] = true
		}
	}
	for k := range now {
		if _, ok := created[k]; !ok {
			changed[k] = true
		}
	}
	return slices.Sorted(maps.Keys(changed))
}
