package step

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/types/known/durationpb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// A session's lifetime (sessions[].lifetime, the operator's
// defaults.session.maxDuration, never beyond limits.maxSessionDuration)
// counts from the creation of its WorkshopSession, as the API server
// reports it in observed state. When it is reached the session stops as
// `state: stopped` does (the WorkshopSession goes; the environment and the
// workspace volume stay), and the environment's Object records that it
// expired, and under which lifetime field: so the session stays stopped
// through function restarts until the tenant changes the field (or stops
// and starts the session). Before that, the step asks Crossplane to come
// back when the session expires (the response TTL) instead of waiting for
// the next poll. Educates' WorkshopSession reports no activity, so there
// is no idle timeout.

// AnnotationExpired records on an environment's Object that its session
// expired: "<lifetime fingerprint> <RFC 3339 time>".
const AnnotationExpired = "datalabs.pkg.internal/expired"

// phaseExpired is the status phase of an expired session.
const phaseExpired = "Expired"

// now is the clock (tests set it).
var now = time.Now

// expiry is where a session's lifetime stands.
type expiry struct {
	// expired: the session stays stopped; at says since when.
	expired bool
	at      time.Time
	// marker is the annotation that records the expiry.
	marker string
}

// fingerprint identifies the lifetime a tenant wrote, so a changed field
// starts an expired session again.
func fingerprint(l *api.Lifetime) string {
	b, _ := json.Marshal(l)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// planExpiry decides whether started session s has expired, and when it
// will.
func planExpiry(in *pipeline.Input, s api.Session) expiry {
	fp := fingerprint(s.Lifetime)
	if in.Observed.Has(compose.EnvironmentKey(s.Name)) {
		recorded, at, _ := strings.Cut(in.Observed.Annotations(compose.EnvironmentKey(s.Name))[AnnotationExpired], " ")
		if t, err := time.Parse(time.RFC3339, at); err == nil && recorded == fp {
			return expiry{expired: true, at: t, marker: fp + " " + at}
		}
	}
	l := in.Env.SessionLifetime(s)
	if !l.Bounded() {
		return expiry{}
	}
	var start time.Time
	if m := health.Manifest(in.Observed, compose.SessionKey(s.Name)); m != nil {
		start, _ = time.Parse(time.RFC3339, str(m, "metadata", "creationTimestamp"))
	}
	at := l.ExpiresAt(start)
	if at.IsZero() {
		return expiry{}
	}
	e := expiry{at: at.UTC(), marker: fp + " " + at.UTC().Format(time.RFC3339)}
	e.expired = !now().Before(at)
	return e
}

// markExpired records the expiry on the environment's Object.
func markExpired(e expiry, env map[string]any) {
	if e.expired {
		_ = unstructured.SetNestedField(env, e.marker, "metadata", annotationsField, AnnotationExpired)
	}
}

// requeueAtExpiry asks Crossplane to reconcile when the next running
// session expires, if that is sooner than the response's TTL.
func (p plan) requeueAtExpiry(rsp *fnv1.RunFunctionResponse) {
	var next time.Duration
	for _, sp := range p.sessions {
		if sp.expiry.expired || sp.expiry.at.IsZero() || !(sp.render || sp.keep) {
			continue
		}
		if d := sp.expiry.at.Sub(now()); d > 0 && (next == 0 || d < next) {
			next = d
		}
	}
	if next == 0 {
		return
	}
	if rsp.Meta == nil {
		rsp.Meta = &fnv1.ResponseMeta{}
	}
	if ttl := rsp.Meta.GetTtl().AsDuration(); ttl <= 0 || next < ttl {
		rsp.Meta.Ttl = durationpb.New(next.Round(time.Second) + time.Second)
	}
}
