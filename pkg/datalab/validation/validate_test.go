package validation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func valid() *api.Datalab {
	return &api.Datalab{Name: "team-wonderland", Namespace: "default", Spec: api.Spec{
		Users:    []string{"alice"},
		Sessions: []api.Session{{Name: "default", State: api.StateStarted}},
	}}
}

// TestBadInput: each bad input is reported at its field path with a fix.
func TestBadInput(t *testing.T) {
	env := &environment.Config{StorageClasses: environment.StorageClasses{Allowed: []string{"standard", "fast"}}}
	cases := map[string]struct {
		mutate func(d *api.Datalab, c *environment.Config)
		path   string
		fix    string
	}{
		"session name invalid": {func(d *api.Datalab, _ *environment.Config) { d.Spec.Sessions[0].Name = "My_Session" }, "spec.sessions[0].name", "use lower-case"},
		"session name too long for host names": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Sessions[0].Name = strings.Repeat("a", 21)
		}, "spec.sessions[0].name", "shorten it"},
		"duplicate session": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Sessions = append(d.Spec.Sessions, api.Session{Name: "default", State: api.StateStarted})
		}, "spec.sessions[1].name", "Duplicate"},
		"unknown state": {func(d *api.Datalab, _ *environment.Config) { d.Spec.Sessions[0].State = "hibernating" }, "spec.sessions[0].state", "supported values"},
		"class outside allowlist": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Persistence = &api.Persistence{StorageClassName: "premium"}
		}, "spec.persistence.storageClassName", "use one of standard, fast"},
		"quantity does not parse": {func(d *api.Datalab, _ *environment.Config) { d.Spec.Quota = &api.Quota{Storage: "lots"} }, "spec.quota.storage", "write it like"},
		"quantity not positive":   {func(d *api.Datalab, _ *environment.Config) { d.Spec.Quota = &api.Quota{Memory: "0"} }, "spec.quota.memory", "greater than zero"},
		"registry size does not parse": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Registry = &api.Registry{Enabled: true, Storage: "5 GB"}
		}, "spec.registry.storage", "write it like"},
		"files secretRef into another namespace": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Files = []api.File{{Git: &api.FileSource{URL: "https://x", SecretRef: &api.SecretRef{Name: "k", Namespace: "other"}}}}
		}, "spec.files[0].git.secretRef.namespace", "copy the Secret into"},
		"files secretRefs into another namespace": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Files = []api.File{{Image: &api.FileSource{URL: "oci://x", SecretRefs: []api.SecretRef{{Name: "a"}, {Name: "k", Namespace: "other"}}}}}
		}, "spec.files[0].image.secretRefs[1].namespace", "own namespace"},
		"files with two sources": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Files = []api.File{{Git: &api.FileSource{URL: "a"}, HTTP: &api.FileSource{URL: "b"}}}
		}, "spec.files[0]", "exactly one"},
		"override for a non-user": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.UserOverrides = map[string]api.UserOverride{"mallory": {Role: "admin"}}
		}, "spec.userOverrides[mallory]", "add the user to spec.users"},
		"duplicate user":                   {func(d *api.Datalab, _ *environment.Config) { d.Spec.Users = []string{"alice", "alice"} }, "spec.users[1]", "Duplicate"},
		"name with a reserved host prefix": {func(d *api.Datalab, _ *environment.Config) { d.Name = "data-team" }, "metadata.name", "session host names use"},
		"name too long to label objects":   {func(d *api.Datalab, _ *environment.Config) { d.Name = strings.Repeat("x", 64) }, "metadata.name", "at most 63"},
		"derived names clash": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Sessions = []api.Session{{Name: "x", State: api.StateStarted}, {Name: "x-ws", State: api.StateStarted}}
		}, "spec.sessions[1].name", "also the session namespace of session \"x\""},
		"derived vcluster namespace clash": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Sessions = []api.Session{{Name: "x-ws-vc", State: api.StateStarted}, {Name: "x", State: api.StateStarted}}
		}, "spec.sessions[1].name", "rename one of the sessions"},
		"more sessions than the hard ceiling": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Sessions = nil
			for i := range 200 {
				d.Spec.Sessions = append(d.Spec.Sessions, api.Session{Name: fmt.Sprintf("s%d", i), State: api.StateStarted})
			}
		}, "spec.sessions", "at most 50 sessions"},
		"more users than the hard ceiling": {func(d *api.Datalab, _ *environment.Config) {
			for i := range 300 {
				d.Spec.Users = append(d.Spec.Users, fmt.Sprintf("u%d", i))
			}
		}, "spec.users", "at most 256 users"},
		"files path escapes": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Files = []api.File{{Raw: map[string]any{"path": "data/../../etc", "http": map[string]any{"url": "https://x"}}, HTTP: &api.FileSource{URL: "https://x"}}}
		}, "spec.files[0].path", "must not contain '..'"},
		"files path absolute": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Files = []api.File{{Raw: map[string]any{"path": "/etc", "http": map[string]any{"url": "https://x"}}, HTTP: &api.FileSource{URL: "https://x"}}}
		}, "spec.files[0].path", "must be relative"},
		"nested public keys Secret in another namespace": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Files = []api.File{{Git: &api.FileSource{URL: "https://x"}, Raw: map[string]any{"git": map[string]any{"url": "https://x",
				"verification": map[string]any{"publicKeysSecretRef": map[string]any{"name": "keys", "namespace": "kube-system"}}}}}}
		}, "spec.files[0].git.verification.publicKeysSecretRef.namespace", "own namespace"},
		"storage source is a composed Secret": {func(d *api.Datalab, _ *environment.Config) { d.Spec.SecretName = "team-rabbit-hole-storage" }, "spec.secretName", "storage Secret a Datalab composes"},
		"storage source is the session login": {func(d *api.Datalab, _ *environment.Config) { d.Spec.SecretName = d.Name + "-session-login" }, "spec.secretName", "session login Secret"},
		"files source is a service credential": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Files = []api.File{{Git: &api.FileSource{URL: "https://x", SecretRef: &api.SecretRef{Name: "pg-main-0123456789abcdef-pguser-app"}}}}
		}, "spec.files[0].git.secretRef.name", "service credentials Secret"},
		"memory positive but absurd":   {func(d *api.Datalab, _ *environment.Config) { d.Spec.Quota = &api.Quota{Memory: "0.0000001"} }, "spec.quota.memory", "smaller than 1Mi"},
		"storage positive but absurd":  {func(d *api.Datalab, _ *environment.Config) { d.Spec.Quota = &api.Quota{Storage: "99999Ei"} }, "spec.quota.storage", "larger than 1Pi"},
		"environment budget":           {func(_ *api.Datalab, c *environment.Config) { c.Defaults.Quota.Budget = "huge" }, "EnvironmentConfig.data.defaults.quota.budget", "supported values"},
		"environment auth type":        {func(_ *api.Datalab, c *environment.Config) { c.Auth.Type = "none" }, "EnvironmentConfig.data.auth.type", "credentials"},
		"environment retention":        {func(_ *api.Datalab, c *environment.Config) { c.Retention.Policy = "Keep" }, "EnvironmentConfig.data.retention.policy", "Retain"},
		"delegated without protection": {func(_ *api.Datalab, c *environment.Config) { c.Auth = environment.Auth{Type: "delegated"} }, "EnvironmentConfig.data.auth.protection", "name the object"},
		"session lifetime": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Sessions[0].Lifetime = &api.Lifetime{MaxDuration: "-1h"}
		}, "spec.sessions[0].lifetime.maxDuration", "positive duration"},
		"session stop time": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Sessions[0].Lifetime = &api.Lifetime{StopAt: "tomorrow"}
		}, "spec.sessions[0].lifetime.stopAt", "RFC 3339"},
		"agent reaching an undeclared session": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Agents = []api.Agent{{Name: "crawler", Sessions: []string{"someone-elses"}}}
		}, "spec.agents[0].sessions[0]", "not a session of this Datalab"},
		"agent role": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Agents = []api.Agent{{Name: "crawler", Role: "cluster-admin"}}
		}, "spec.agents[0].role", "supported values"},
		"agent twice": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Agents = []api.Agent{{Name: "crawler"}, {Name: "crawler"}}
		}, "spec.agents[1].name", "Duplicate"},
		"agent name": {func(d *api.Datalab, _ *environment.Config) {
			d.Spec.Agents = []api.Agent{{Name: "Crawler_1"}}
		}, "spec.agents[0].name", "RFC 1123"},
		"environment session cap": {func(_ *api.Datalab, c *environment.Config) { c.Limits.MaxSessionDuration = "a day" }, "EnvironmentConfig.data.limits.maxSessionDuration", "positive duration"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d, c := valid(), *env
			tc.mutate(d, &c)
			errs := Datalab(d, &c)
			if len(errs) == 0 {
				t.Fatal("accepted")
			}
			msg := Message(errs)
			if !strings.Contains(msg, tc.path+":") || !strings.Contains(msg, tc.fix) {
				t.Fatalf("message %q does not name %s and %q", msg, tc.path, tc.fix)
			}
		})
	}
}

func TestValidInputPasses(t *testing.T) {
	d := valid()
	d.Spec.Files = []api.File{{Git: &api.FileSource{URL: "https://x", SecretRef: &api.SecretRef{Name: "k", Namespace: "default"}}}}
	d.Spec.Persistence = &api.Persistence{StorageClassName: "fast"}
	if errs := Datalab(d, &environment.Config{StorageClasses: environment.StorageClasses{Allowed: []string{"fast"}}}); len(errs) > 0 {
		t.Fatal(Message(errs))
	}
}
