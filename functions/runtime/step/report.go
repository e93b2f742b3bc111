package step

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// part is one of a session's composed resources, named for messages.
type part struct {
	key  func(string) resource.Name
	what string
}

var sessionParts = []part{
	{compose.WorkshopKey, "Workshop"},
	{compose.EnvironmentKey, "environment"},
	{compose.WorkspaceKey, "workspace volume"},
	{compose.RegistryKey, "registry volume"},
	{compose.SessionKey, "session"},
}

// problems finds, per session, the first of its composed resources that
// the API server, an admission controller or Educates refused or failed
// (health.Failure), as "<what>: <message>". The session login never
// reaches a message.
func (p plan) problems(in *pipeline.Input) map[string]health.Problem {
	out := map[string]health.Problem{}
	role := compose.SessionRole(in.Settings.KubernetesRole)
	parts := append(slices.Clip(sessionParts), part{func(s string) resource.Name { return compose.SessionRoleBindingKey(role, s) }, "session RoleBinding"})
	for _, sp := range p.sessions {
		for _, pt := range parts {
			if f, ok := health.Failure(in.Observed, pt.key(sp.session.Name)); ok {
				out[sp.session.Name] = health.Problem{Reason: f.Reason, Message: pt.what + ": " + health.Shorten(f.Message, p.auth.password)}
				break
			}
		}
	}
	return out
}

// status reports every session in status.sessions and how many of the
// declared ones run. It never carries credentials.
func (p plan) status(in *pipeline.Input, problems map[string]health.Problem) map[string]any {
	sessions := map[string]any{}
	running, declared := 0, 0
	for _, sp := range p.sessions {
		s := sp.session
		st := map[string]any{"state": s.State}
		if sp.declared {
			declared++
		}
		switch {
		case !sp.declared:
			st["message"] = "removed from spec; workspace volume " + in.Tenant.WorkspaceVolume(s.Name) + " is retained by the operator's retention policy"
		case sp.expiry.expired:
			st["phase"] = phaseExpired
			st["message"] = "expired at " + sp.expiry.at.Format(time.RFC3339) + ", the end of its lifetime; the environment and the workspace volume are kept: change sessions[].lifetime, or stop and start the session, to start it again"
		case sp.restart.active():
			st["phase"] = sp.restart.phase
			st["message"] = fmt.Sprintf("restarting to generation %d: %s", s.RestartGeneration, sp.restart.message)
		case sp.waiting != "":
			st["phase"] = "Pending"
			st["message"] = sp.waiting
		case s.Started():
			if m := health.Manifest(in.Observed, compose.SessionKey(s.Name)); m != nil {
				phase := str(m, "status", "educates", "phase")
				if phase != "" {
					st["phase"] = phase
				}
				if phase == "Running" {
					running++
				}
				if msg := str(m, "status", "educates", "message"); msg != "" {
					st["message"] = health.Shorten(msg, p.auth.password)
				}
				if url := str(m, "status", "educates", "url"); url != "" && phase == "Running" {
					st["url"] = url
				}
			}
		}
		if f, ok := problems[s.Name]; ok {
			st["message"] = f.Reason + ": " + f.Message
		}
		sessions[s.Name] = st
	}
	return map[string]any{"sessions": sessions, pipeline.StatusSessions: fmt.Sprintf("%d/%d", running, declared)}
}

// report sets the runtime conditions: readiness (what failed, what is
// awaited, what is missing) and whether running environments still match
// the spec.
func (p plan) report(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, desired map[resource.Name]*resource.DesiredComposed, drift []string, problems map[string]health.Problem) {
	var waiting, unready, failed, restarting []string
	declared := 0
	for _, sp := range p.sessions {
		if sp.declared {
			declared++
		}
		if sp.waiting != "" {
			waiting = append(waiting, sp.session.Name)
		}
		if sp.restart.active() {
			restarting = append(restarting, fmt.Sprintf("session %s: %s: %s", sp.session.Name, sp.restart.phase, sp.restart.message))
		}
	}
	for k, dc := range desired {
		if dc.Ready != resource.ReadyTrue {
			unready = append(unready, string(k))
		}
	}
	slices.Sort(unready)
	reason := ""
	for _, s := range slices.Sorted(maps.Keys(problems)) {
		if reason == "" {
			reason = problems[s].Reason
		}
		failed = append(failed, "session "+s+": "+problems[s].Message)
	}
	switch {
	case len(failed) > 0:
		pipeline.Blocked(in.Request, rsp, ConditionType, reason, strings.Join(failed, "; "))
	case len(restarting) > 0:
		pipeline.Blocked(in.Request, rsp, ConditionType, reasonRestarting, strings.Join(restarting, "; "))
	case len(waiting) > 0:
		pipeline.Blocked(in.Request, rsp, ConditionType, p.auth.awaiting(),
			fmt.Sprintf("sessions not started (%s): %s", strings.Join(waiting, ", "), p.auth.reason))
	case len(unready) > 0:
		pipeline.Blocked(in.Request, rsp, ConditionType, "Creating", "waiting for "+strings.Join(unready, ", "))
	default:
		pipeline.Condition(rsp, ConditionType, true, "Available", plural(declared, "session")+" declared, all resources ready")
	}
	if len(drift) > 0 {
		pipeline.Condition(rsp, ConditionDrift, false, "Drifted", strings.Join(drift, "; "))
		return
	}
	pipeline.Condition(rsp, ConditionDrift, true, "InSync", "running environments and sessions match the spec")
}
