package step

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// Qdrant (qdrant-operator, QdrantCluster v1alpha1).
const (
	qdrantAPIVersion = "qdrant.io/v1alpha1"
	qdrantKind       = "QdrantCluster"
	qdrantRepository = "qdrant/qdrant"
	qdrantTag        = "v1.13.4"
	qdrantPort       = 6333
	qdrantGRPCPort   = 6334
	qdrantStorage    = "1Gi"
	// Keys of the generated Secret: the write (full access) and the
	// read-only API key.
	qdrantAPIKey     = "apiKey"
	qdrantReadAPIKey = "readApiKey"
)

// qdrant renders a vector store: one Qdrant node with a write and a
// read-only API key on a data volume.
func qdrant(o *output, svc *service) (*result, error) {
	in := o.in
	r := newResult(svc)
	credKey := compose.QdrantCredentialsKey(svc.name)
	known, err := storeCredentials(o, svc, credKey, []string{qdrantAPIKey, qdrantReadAPIKey})
	if err != nil {
		return nil, err
	}
	secret := names.CredentialsSecret(svc.cr)
	persistence := map[string]any{"size": first(svc.store.Storage, qdrantStorage)}
	if c := in.Env.ServiceClass(svc.store.StorageClassName, in.Env.Qdrant.StorageClassName); c != "" {
		persistence["storageClassName"] = c
	}
	m := o.manifest(qdrantAPIVersion, qdrantKind, svc.cr, svc)
	m["spec"] = map[string]any{
		"replicas":     int64(1),
		"image":        map[string]any{"repository": qdrantRepository, "tag": qdrantTag, "pullPolicy": "IfNotPresent"},
		"antiAffinity": true,
		"apiKey":       map[string]any{"enabled": true, "secret": map[string]any{"name": secret, "key": qdrantAPIKey}},
		"readApiKey":   map[string]any{"enabled": true, "secret": map[string]any{"name": secret, "key": qdrantReadAPIKey}},
		"persistence":  persistence,
		"podLabels":    qdrantPodLabels(o.podLabels()),
	}
	o.object(compose.QdrantKey(svc.name), svc, m, true, "")
	o.observeStatefulSet(compose.QdrantReadinessKey(svc.name), svc, r, names.QdrantStatefulSet(svc.cr))

	host := names.ServiceHost(in.Datalab.Namespace, names.QdrantService(svc.cr))
	r.endpoint = host + ":" + strconv.Itoa(qdrantPort)
	r.set(names.QdrantKey(svc.name, names.KeyHost), host)
	r.set(names.QdrantKey(svc.name, names.KeyPort), strconv.Itoa(qdrantPort))
	r.set(names.QdrantKey(svc.name, names.KeyGRPCPort), strconv.Itoa(qdrantGRPCPort))
	r.set(names.QdrantKey(svc.name, names.KeyURL), "http://"+host+":"+strconv.Itoa(qdrantPort))
	for _, k := range []struct{ secret, key string }{{qdrantAPIKey, names.KeyAPIKey}, {qdrantReadAPIKey, names.KeyReadAPIKey}} {
		if v := known[k.secret]; v != "" {
			r.set(names.QdrantKey(svc.name, k.key), v)
		} else {
			r.await([]string{names.QdrantKey(svc.name, k.key)}, "")
		}
	}
	if missing(known, qdrantAPIKey, qdrantReadAPIKey) {
		r.waiting = append(r.waiting, fmt.Sprintf("Secret %s (generated API keys; being created)", secret))
	}
	return r, nil
}

// qdrantPodLabels writes pod labels as the qdrant-operator wants them: a
// list of key/value pairs, sorted for stable output.
func qdrantPodLabels(labels map[string]any) []any {
	out := make([]any, 0, len(labels))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		out = append(out, map[string]any{"key": k, "value": labels[k]})
	}
	return out
}
