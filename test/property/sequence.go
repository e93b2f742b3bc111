package property

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/test/inprocess"
)

// The Datalab every sequence edits.
const (
	name      = inprocess.ClaimName
	namespace = inprocess.ClaimNamespace
)

var (
	sessionNames = []string{"a", "b", "c", "d"}
	serviceNames = []string{"x", "y"}
	storeKinds   = []string{"documentStores", "cacheStores", "vectorStores"}
)

// scenario is the state a sequence edits between reconciles: the claim,
// the operator's environment and the world around them.
type scenario struct {
	r *rand.Rand
	// Claim.
	sessions map[string]session
	order    []string
	services map[string]map[string]bool // spec field -> names
	registry bool
	badName  bool
	// Environment.
	retention  string
	auth       string
	keycloak   bool
	noEnv      bool
	protection bool
	// The tenant's storage Secret exists.
	storage bool
}

type session struct {
	stopped bool
	restart int
}

func newScenario(seed uint64) *scenario {
	return &scenario{
		r:        rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		sessions: map[string]session{}, services: map[string]map[string]bool{},
		retention: "Retain", auth: "delegated", protection: true, storage: true,
	}
}

// edit changes one or two things, as tenants, operators and the cluster
// do; it returns what it did, for failure messages.
func (s *scenario) edit(w inprocess.World) string {
	// Failures are transient: a missing environment or a bad claim lasts
	// one reconcile (then the operator or tenant fixes it).
	s.noEnv, s.badName = false, false
	var done []string
	for range 1 + s.r.IntN(2) {
		done = append(done, s.editOne(w))
	}
	return fmt.Sprint(done)
}

func (s *scenario) editOne(w inprocess.World) string {
	r := s.r
	switch n := r.IntN(100); {
	case n < 25:
		name := sessionNames[r.IntN(len(sessionNames))]
		if _, ok := s.sessions[name]; ok && r.IntN(2) == 0 {
			delete(s.sessions, name)
			s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == name })
			return "remove session " + name
		}
		if _, ok := s.sessions[name]; !ok {
			s.sessions[name] = session{}
			s.order = append(s.order, name)
			return "add session " + name
		}
		ss := s.sessions[name]
		ss.stopped = !ss.stopped
		s.sessions[name] = ss
		return fmt.Sprintf("session %s stopped=%v", name, ss.stopped)
	case n < 30:
		// A rename: one session goes, another comes.
		if len(s.order) == 0 {
			return "nothing to rename"
		}
		from := s.order[r.IntN(len(s.order))]
		to := sessionNames[r.IntN(len(sessionNames))]
		if _, taken := s.sessions[to]; taken {
			return "rename onto a taken name skipped"
		}
		delete(s.sessions, from)
		s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == from })
		s.sessions[to] = session{}
		s.order = append(s.order, to)
		return "rename session " + from + " to " + to
	case n < 33:
		if len(s.order) == 0 {
			return "nothing to restart"
		}
		name := s.order[r.IntN(len(s.order))]
		ss := s.sessions[name]
		ss.restart++
		s.sessions[name] = ss
		return "restart session " + name
	case n < 50:
		field := append([]string{"databases"}, storeKinds...)[r.IntN(4)]
		svc := serviceNames[r.IntN(len(serviceNames))]
		if s.services[field] == nil {
			s.services[field] = map[string]bool{}
		}
		if s.services[field][svc] {
			delete(s.services[field], svc)
			return "remove " + field + " " + svc
		}
		s.services[field][svc] = true
		return "add " + field + " " + svc
	case n < 54:
		s.registry = !s.registry
		return fmt.Sprintf("registry=%v", s.registry)
	case n < 62:
		s.retention = map[string]string{"Retain": "Delete", "Delete": "Retain"}[s.retention]
		return "retention " + s.retention
	case n < 67:
		s.auth = map[string]string{"delegated": "credentials", "credentials": "delegated"}[s.auth]
		return "auth " + s.auth
	case n < 70:
		s.keycloak = !s.keycloak
		return fmt.Sprintf("keycloak=%v", s.keycloak)
	case n < 73:
		s.noEnv = true
		return "environment missing"
	case n < 77:
		s.protection = !s.protection
		return fmt.Sprintf("protection=%v", s.protection)
	case n < 82:
		s.storage = !s.storage
		return fmt.Sprintf("storage Secret=%v", s.storage)
	case n < 86:
		// Someone deletes the session login Secret.
		w.Remove("v1", "Secret", namespace, names.SessionLoginSecret(name))
		return "login Secret deleted"
	case n < 88:
		s.badName = true
		return "bad session name"
	}
	return "nothing"
}

// xr is the claim.
func (s *scenario) xr() *structpb.Struct {
	var sessions []any
	for _, n := range s.order {
		ss := s.sessions[n]
		m := map[string]any{"name": n}
		if ss.stopped {
			m["state"] = "stopped"
		}
		if ss.restart > 0 {
			m["restartGeneration"] = ss.restart
		}
		sessions = append(sessions, m)
	}
	if s.badName {
		sessions = append(sessions, map[string]any{"name": "Bad_Name"})
	}
	spec := map[string]any{"users": []any{"alice"}, "sessions": sessions}
	if s.registry {
		spec["registry"] = map[string]any{"enabled": true}
	}
	for field, set := range s.services {
		m := map[string]any{}
		for svc := range set {
			if field == "databases" {
				m[svc] = map[string]any{"names": []any{"app"}, "storage": "1Gi", "backupStorage": "1Gi"}
			} else {
				m[svc] = map[string]any{}
			}
		}
		if len(m) > 0 {
			spec[field] = m
		}
	}
	return inprocess.MustStruct(map[string]any{
		"apiVersion": "pkg.internal/v1beta2", "kind": "Datalab",
		"metadata": map[string]any{"name": name, "namespace": namespace, "uid": "uid-lab"},
		"spec":     spec,
	})
}

// environment is the operator's EnvironmentConfig data.
func (s *scenario) environment() map[string]any {
	auth := map[string]any{"type": s.auth}
	if s.auth == "delegated" {
		auth["protection"] = map[string]any{"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "name": fntest.ProtectionName}
	}
	env := map[string]any{
		"auth":           auth,
		"ingress":        map[string]any{"domain": "datalab.example.com", "namespace": "ingress-nginx"},
		"storageClasses": map[string]any{"allowed": []any{"standard"}},
		"storage":        map[string]any{"endpoint": "https://s3.example.com"},
		"retention":      map[string]any{"policy": s.retention},
		"database":       map[string]any{"engine": "crunchy"},
		"network":        map[string]any{"podCIDRs": []any{"10.42.0.0/16"}, "serviceCIDR": "10.43.0.0/16"},
	}
	if s.keycloak {
		env["iam"] = map[string]any{"realm": "datalab"}
	}
	return env
}

// sync puts the operator's and the tenant's objects into the world.
func (s *scenario) sync(w inprocess.World) {
	var env map[string]any
	if !s.noEnv {
		env = s.environment()
	}
	w.SetEnvironment(env)
	w.SetProtection(s.protection)
	w.SetStorageSecret(s.storage)
}
