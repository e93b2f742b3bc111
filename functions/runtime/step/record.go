package step

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"

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

// recordWorkshop puts the record of the Workshop w (the one Educates reads
// when it creates the environment) on the environment's Object env.
func recordWorkshop(env, w map[string]any) {
	b, _ := json.Marshal(fieldDigests(w))
	enabled, _, _ := unstructured.NestedBool(w, "spec", "session", "applications", "vcluster", "enabled")
	_ = unstructured.SetNestedField(env, string(b), "metadata", annotationsField, AnnotationWorkshopFields)
	_ = unstructured.SetNestedField(env, strconv.FormatBool(enabled), "metadata", annotationsField, compose.AnnotationVCluster)
}

// keepRecord puts what the runtime recorded on an existing environment's
// Object on env, the environment as it is rendered now or kept as
// observed (compose.KeepStateful keeps no annotations), and reports
// whether there was a record of its Workshop.
func keepRecord(in *pipeline.Input, session string, env map[string]any) bool {
	obs := in.Observed.Annotations(compose.EnvironmentKey(session))
	for _, a := range []string{AnnotationWorkshopFields, compose.AnnotationVCluster, AnnotationRestartGeneration} {
		if v, ok := obs[a]; ok {
			_ = unstructured.SetNestedField(env, v, "metadata", annotationsField, a)
		}
	}
	_, ok := obs[AnnotationWorkshopFields]
	return ok
}

// createdFields returns the field digests of the Workshop an existing
// environment was created from: its record, or the Workshop itself while
// it is still composed; nil when neither is known.
func createdFields(in *pipeline.Input, session string) map[string]any {
	if f, ok := in.Observed.Annotations(compose.EnvironmentKey(session))[AnnotationWorkshopFields]; ok {
		var out map[string]any
		if json.Unmarshal([]byte(f), &out) == nil {
			return out
		}
	}
	if w := frozen(in, compose.WorkshopKey(session)); w != nil {
		return fieldDigests(w)
	}
	return nil
}

// fieldDigests is a Workshop's spec with the value of each field (maps
// walked, any other value one field, as drift compares them) replaced by
// a digest of it, leaving out what boundary Objects keep current.
func fieldDigests(w map[string]any) map[string]any {
	var digests func(v any) any
	digests = func(v any) any {
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for k, x := range m {
				out[k] = digests(x)
			}
			return out
		}
		b, _ := json.Marshal(v)
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])[:digestLength]
	}
	out, _ := digests(compose.WithoutKeptCurrent(w)["spec"]).(map[string]any)
	return out
}
