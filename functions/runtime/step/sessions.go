package step

import (
	"fmt"
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// sessionPlan is what happens to one session this reconcile.
type sessionPlan struct {
	session api.Session
	// declared is false for a session removed from the spec whose data the
	// retention policy keeps.
	declared bool
	// render: a new WorkshopSession is rendered from the spec.
	render bool
	// keep: the existing WorkshopSession stays exactly as it was created
	// (Educates reads it only then; see frozen.go).
	keep bool
	// waiting says why a started session is not running yet.
	waiting string
	// restart is the session's restart in progress (restart.go).
	restart restart
	// expiry is where the session's lifetime stands (lifetime.go).
	expiry expiry
}

type plan struct {
	sessions []sessionPlan
	auth     sessionAuth
	// kept says, per volume, what an existing volume keeps although the
	// spec asks otherwise (filled by build).
	kept *[]string
}

// volume makes a volume's manifest keep what its existing claim cannot
// change, and notes it for the RuntimeUpToDate condition.
func (p plan) volume(in *pipeline.Input, key resource.Name, what, session string, m map[string]any) map[string]any {
	existing := health.Manifest(in.Observed, key)
	if existing == nil {
		existing = health.AppliedManifest(in.Observed, key)
	}
	for _, k := range compose.KeepVolumeShape(m, existing) {
		*p.kept = append(*p.kept, fmt.Sprintf("session %s: the %s volume keeps its %s", session, what, k))
	}
	return m
}

// planSessions decides, per session, what to render.
func planSessions(in *pipeline.Input, auth sessionAuth) plan {
	p := plan{auth: auth, kept: new([]string)}
	declared := map[string]bool{}
	for _, s := range in.Datalab.Spec.Sessions {
		declared[s.Name] = true
		sp := sessionPlan{session: s, declared: true, restart: planRestart(in, s)}
		if s.Started() {
			sp.expiry = planExpiry(in, s)
		}
		if s.Started() && !sp.restart.active() && !sp.expiry.expired {
			switch {
			case frozen(in, compose.SessionKey(s.Name)) != nil:
				sp.keep = true
			case auth.resolved:
				sp.render = true
			default:
				sp.waiting = "waiting for authentication: " + auth.reason
			}
		}
		p.sessions = append(p.sessions, sp)
	}
	if in.Settings.Retention == environment.RetentionDelete {
		return p
	}
	for _, name := range removedWithData(in.Observed, declared) {
		p.sessions = append(p.sessions, sessionPlan{session: api.Session{Name: name, State: api.StateStopped}})
	}
	return p
}

// removedWithData lists sessions gone from the spec of which a stateful
// object still exists (the environment, whose namespace holds the
// volumes, or a volume): the default retention keeps their data, even
// when one of them is no longer observed.
func removedWithData(obs *observed.Resources, declared map[string]bool) []string {
	seen := map[string]bool{}
	for _, key := range obs.Keys() {
		for _, kind := range []func(string) resource.Name{compose.EnvironmentKey, compose.WorkspaceKey, compose.RegistryKey} {
			if name, ok := compose.SessionOf(key, kind); ok && !declared[name] {
				seen[name] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// build renders the desired composed resources of every planned session.
func (p plan) build(in *pipeline.Input) map[resource.Name]*resource.DesiredComposed {
	desired := map[resource.Name]*resource.DesiredComposed{}
	st := in.Settings
	opts := func(stateful bool, readiness, query string) compose.ObjectOptions {
		return compose.ObjectOptions{ProviderConfig: st.ProviderConfig, Stateful: stateful, Retention: st.Retention, ReadinessPolicy: readiness, CELQuery: query}
	}
	put := func(key resource.Name, obj map[string]any) {
		desired[key] = &resource.DesiredComposed{Resource: &unstructured.Unstructured{Object: obj}}
	}
	for _, sp := range p.sessions {
		s := sp.session
		keys := []resource.Name{compose.WorkshopKey(s.Name), compose.EnvironmentKey(s.Name), compose.WorkspaceKey(s.Name), compose.RegistryKey(s.Name)}
		if !sp.declared {
			// Retained: the environment (whose namespace holds the volume)
			// with its record, its Workshop until the environment is ready,
			// and the volumes stay as observed, under the current
			// retention policy.
			if obj := compose.FromObserved(in.Observed, keys[0]); obj != nil && !environmentReady(in, s.Name) {
				put(keys[0], obj)
			}
			for _, k := range keys[1:] {
				if obj := compose.KeepStateful(in.Observed, k, st.Retention); obj != nil {
					put(k, obj)
				}
			}
			if env := desired[keys[1]]; env != nil {
				keepRecord(in, s.Name, env.Resource.Object)
			}
			continue
		}
		for k, m := range sp.restart.keepers {
			put(k, compose.Object("keep-"+str(m, "metadata", "name"), m, compose.ObjectOptions{ProviderConfig: st.ProviderConfig, UpdateOnly: true}))
		}
		if sp.restart.dropEnvironment {
			// A requested restart, with every volume retained: the
			// environment goes, to come back from the current spec.
			continue
		}
		// The environment is stateful: deleting it deletes its namespace
		// and with it the session's workspace volume.
		env := compose.Object("env-"+in.Tenant.Environment(s.Name), workshopEnvironment(in, s), opts(true, compose.ReadyCEL, runningQuery))
		annotateGeneration(in, s, env)
		// The Workshop only until Educates has its copy, and the record
		// of it from then on (record.go).
		if ready := environmentReady(in, s.Name); !ready || !keepRecord(in, s.Name, env) {
			w := p.workshop(in, s)
			if !ready {
				put(keys[0], compose.Object(in.Tenant.Environment(s.Name), w, opts(false, "", "")))
			}
			recordWorkshop(env, w)
		}
		markExpired(sp.expiry, env)
		put(keys[1], env)
		put(keys[2], compose.Object("vol-"+in.Tenant.WorkspaceVolume(s.Name), p.volume(in, keys[2], "workspace", s.Name, sp.restart.bind(keys[2], workspaceVolume(in, s))), opts(true, "", "")))
		if in.Datalab.Spec.RegistryEnabled() {
			put(keys[3], compose.Object("vol-"+in.Tenant.RegistryVolume(s.Name), p.volume(in, keys[3], "registry", s.Name, sp.restart.bind(keys[3], registryVolume(in, s))), opts(true, "", "")))
		} else if st.Retention != environment.RetentionDelete {
			// Registry turned off: its images stay, as observed, unless the
			// operator's retention deletes what a tenant removes.
			if obj := compose.KeepStateful(in.Observed, keys[3], st.Retention); obj != nil {
				put(keys[3], obj)
			}
		}
		switch {
		case sp.render:
			put(compose.SessionKey(s.Name), compose.Object(in.Tenant.Session(s.Name), workshopSession(in, s, p.auth), opts(false, compose.ReadyCEL, runningQuery)))
		case sp.keep:
			put(compose.SessionKey(s.Name), compose.Object(in.Tenant.Session(s.Name), frozen(in, compose.SessionKey(s.Name)), opts(false, compose.ReadyCEL, runningQuery)))
		}
		if sp.render || sp.keep {
			put(sessionRoleObject(in, s.Name, opts(false, "", "")))
		}
	}
	return desired
}

// plural says "1 session" or "2 sessions".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
