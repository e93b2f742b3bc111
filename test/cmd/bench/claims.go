package main

import (
	"fmt"
	"os"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/test/inprocess"
)

// size is one claim: users, sessions and services (spread over the four
// kinds), and the registry.
type size struct {
	name                      string
	users, sessions, services int
	registry                  bool
}

var sizes = []size{
	{"small", 1, 1, 0, false},
	{"medium", 10, 5, 4, false},
	{"large", 100, 50, 40, true},
}

const (
	benchName      = "lab"
	benchNamespace = "team"
)

// claim is the Datalab of a size.
func (s size) claim() map[string]any {
	var users, sessions []any
	for i := range s.users {
		users = append(users, fmt.Sprintf("user%03d", i))
	}
	for i := range s.sessions {
		sessions = append(sessions, map[string]any{"name": fmt.Sprintf("s%02d", i)})
	}
	spec := map[string]any{"users": users, "sessions": sessions}
	if s.registry {
		spec["registry"] = map[string]any{"enabled": true, "storage": "5Gi"}
	}
	kinds := []string{"databases", "documentStores", "cacheStores", "vectorStores"}
	for i := range s.services {
		field := kinds[i%len(kinds)]
		m, _ := spec[field].(map[string]any)
		if m == nil {
			m = map[string]any{}
			spec[field] = m
		}
		svc := map[string]any{"storage": "1Gi"}
		if field == "databases" {
			svc["names"] = []any{"app"}
			svc["backupStorage"] = "1Gi"
		}
		m[fmt.Sprintf("svc%02d", i)] = svc
	}
	return map[string]any{
		"apiVersion": "pkg.internal/v1beta2", "kind": "Datalab",
		"metadata": map[string]any{"name": benchName, "namespace": benchNamespace, "uid": "uid-lab"},
		"spec":     spec,
	}
}

// benchEnvironment is the example EnvironmentConfig without the caps on
// sessions and services (the sizes go up to the XRD's own limits).
func benchEnvironment(path string) (map[string]any, error) {
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

// world is the cluster a claim reconciles in: the environment, the
// ingress protection and the tenant's storage Secret.
func world(env map[string]any) inprocess.World {
	w := inprocess.World{}
	w.PutMap(map[string]any{"apiVersion": "apiextensions.crossplane.io/v1beta1", "kind": "EnvironmentConfig", "metadata": map[string]any{"name": "datalab"}, "data": env})
	w.PutMap(map[string]any{"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "metadata": map[string]any{"name": fntest.ProtectionName}})
	w.PutMap(map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": benchName, "namespace": benchNamespace},
		"data": map[string]any{"AWS_ACCESS_KEY_ID": "QUtJQQ==", "AWS_SECRET_ACCESS_KEY": "c2VjcmV0LWtleS12YWx1ZQ=="}})
	return w
}
