package inprocess

import (
	"fmt"
	"maps"
	"os"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

// Size is a generated claim: users, sessions and services (spread over
// the four kinds), the registry, agents that each reach every session,
// and files every session loads.
type Size struct {
	Name                      string
	Users, Sessions, Services int
	Registry                  bool
	Agents, Files             int
	// DatabaseNames is the number of databases per PostgreSQL host.
	DatabaseNames int
}

// Sizes are the benchmark's claims, and Largest the largest claim the XRD
// allows (every list and map at its maximum).
var (
	Sizes = []Size{
		{Name: "small", Users: 1, Sessions: 1},
		{Name: "medium", Users: 10, Sessions: 5, Services: 4},
		{Name: "large", Users: 100, Sessions: 50, Services: 40, Registry: true},
	}
	Largest = Size{Name: "largest", Users: 256, Sessions: 50, Services: 80, Registry: true, Agents: 20, Files: 20, DatabaseNames: 20}
)

// The Datalab every generated claim is.
const (
	ClaimName      = "lab"
	ClaimNamespace = "team"
)

// Claim is the Datalab of a size.
func (s Size) Claim() map[string]any {
	var users, sessions []any
	for i := range s.Users {
		users = append(users, fmt.Sprintf("user%03d", i))
	}
	var names []any
	for i := range s.Sessions {
		sessions = append(sessions, map[string]any{"name": fmt.Sprintf("s%02d", i)})
		names = append(names, fmt.Sprintf("s%02d", i))
	}
	spec := map[string]any{"users": users, "sessions": sessions}
	var agents, files []any
	for i := range s.Agents {
		agents = append(agents, map[string]any{"name": fmt.Sprintf("agent%02d", i), "sessions": names})
	}
	for i := range s.Files {
		files = append(files, map[string]any{"git": map[string]any{"url": fmt.Sprintf("https://git.example.com/team/repo%02d", i)}})
	}
	if len(agents) > 0 {
		spec["agents"] = agents
	}
	if len(files) > 0 {
		spec["files"] = files
	}
	if s.Registry {
		spec["registry"] = map[string]any{"enabled": true, "storage": "5Gi"}
	}
	kinds := []string{"databases", "documentStores", "cacheStores", "vectorStores"}
	for i := range s.Services {
		field := kinds[i%len(kinds)]
		m, _ := spec[field].(map[string]any)
		if m == nil {
			m = map[string]any{}
			spec[field] = m
		}
		svc := map[string]any{"storage": "1Gi"}
		if field == "databases" {
			dbs := []any{"app"}
			for j := 1; j < s.DatabaseNames; j++ {
				dbs = append(dbs, fmt.Sprintf("db%02d", j))
			}
			svc["names"] = dbs
			svc["backupStorage"] = "1Gi"
		}
		m[fmt.Sprintf("svc%02d", i)] = svc
	}
	return map[string]any{
		"apiVersion": "pkg.internal/v1beta2", "kind": "Datalab",
		"metadata": map[string]any{"name": ClaimName, "namespace": ClaimNamespace, "uid": "uid-lab"},
		"spec":     spec,
	}
}

// Uncapped is the example EnvironmentConfig without its caps on sessions
// and services (the sizes go up to the XRD's own limits).
func Uncapped(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	data, _ := m["data"].(map[string]any)
	if lim, ok := data["limits"].(map[string]any); ok {
		delete(lim, "maxSessions")
		delete(lim, "maxServices")
	}
	return data, nil
}

// NewWorld is the cluster a generated claim reconciles in: the session
// ClusterRoles of the install set, the environment, the ingress protection
// and the tenant's storage Secret.
func NewWorld(env map[string]any) World {
	w := World{}
	for _, r := range compose.SessionClusterRoles() {
		w.PutMap(r)
	}
	w.SetEnvironment(env)
	w.SetProtection(true)
	w.SetStorageSecret(true)
	return w
}

// SetEnvironment puts the EnvironmentConfig "datalab" with this data into
// the world, or takes it out (nil).
func (w World) SetEnvironment(data map[string]any) {
	w.Remove("apiextensions.crossplane.io/v1beta1", "EnvironmentConfig", "", "datalab")
	if data != nil {
		w.PutMap(map[string]any{"apiVersion": "apiextensions.crossplane.io/v1beta1", "kind": "EnvironmentConfig", "metadata": map[string]any{"name": "datalab"}, "data": data})
	}
}

// SetProtection installs or removes the ingress protection of delegated
// mode.
func (w World) SetProtection(on bool) {
	w.Remove("kyverno.io/v1", "ClusterPolicy", "", fntest.ProtectionName)
	if on {
		w.PutMap(map[string]any{"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "metadata": map[string]any{"name": fntest.ProtectionName}})
	}
}

// SetStorageSecret creates or deletes the tenant's storage Secret.
func (w World) SetStorageSecret(on bool) {
	w.Remove("v1", "Secret", ClaimNamespace, ClaimName)
	if on {
		w.PutMap(map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": ClaimName, "namespace": ClaimNamespace},
			"data": map[string]any{"AWS_ACCESS_KEY_ID": "QUtJQQ==", "AWS_SECRET_ACCESS_KEY": "c2VjcmV0LWtleS12YWx1ZQ=="}})
	}
}

// WithCredentials is an environment in credentials mode (sessions log in
// with the login Secret the identity step composes) instead of its own.
func WithCredentials(env map[string]any) map[string]any {
	out := maps.Clone(env)
	auth, _ := env["auth"].(map[string]any)
	auth = maps.Clone(auth)
	if auth == nil {
		auth = map[string]any{}
	}
	auth["type"] = "credentials"
	delete(auth, "protection")
	out["auth"] = auth
	return out
}
