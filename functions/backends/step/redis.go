package step

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// Redis (OT-Container-Kit redis-operator, Redis v1beta2, standalone).
const (
	redisAPIVersion = "redis.redis.opstreelabs.in/v1beta2"
	redisKind       = "Redis"
	redisImage      = "quay.io/opstree/redis:v7.0.15"
	redisPort       = 6379
	redisStorage    = "1Gi"
	redisPassword   = "password"
	// redisUser is the user requirepass protects.
	redisUser = "default"
	// redisUID is the redis user of the image; the data volume is made
	// writable for it through fsGroup, with no root init container.
	redisUID = 1000
)

// statefulSetReadyQuery: the operator's StatefulSet has a ready Pod. The
// Redis and QdrantCluster resources report no readiness of their own.
const statefulSetReadyQuery = "has(object.status) && has(object.status.readyReplicas) && object.status.readyReplicas >= 1"

// redis renders a cache store: a password-protected standalone Redis on a
// data volume, running as non-root.
func redis(o *output, svc *service) (*result, error) {
	in := o.in
	r := newResult(svc)
	credKey := compose.RedisCredentialsKey(svc.name)
	known, err := storeCredentials(o, svc, credKey, []string{redisPassword})
	if err != nil {
		return nil, err
	}
	size := first(svc.store.Storage, redisStorage)
	m := o.manifest(redisAPIVersion, redisKind, svc.cr, svc)
	m["spec"] = map[string]any{
		"kubernetesConfig": map[string]any{
			"image":           redisImage,
			"imagePullPolicy": "IfNotPresent",
			"redisSecret":     map[string]any{"name": names.CredentialsSecret(svc.cr), "key": redisPassword},
		},
		"podSecurityContext": map[string]any{
			"runAsNonRoot":   true,
			"runAsUser":      int64(redisUID),
			"runAsGroup":     int64(redisUID),
			"fsGroup":        int64(redisUID),
			"seccompProfile": map[string]any{"type": "RuntimeDefault"},
		},
		"securityContext": map[string]any{
			"allowPrivilegeEscalation": false,
			"capabilities":             map[string]any{"drop": []any{"ALL"}},
		},
		"storage": map[string]any{
			"volumeClaimTemplate": map[string]any{"spec": dataVolume(size, in.Env.ServiceClass(svc.store.StorageClassName, in.Env.Redis.StorageClassName))},
			// The operator keeps the volume when the Redis is deleted,
			// unless the retention policy lets data go.
			"keepAfterDelete": !o.retentionDelete(),
		},
	}
	o.object(compose.RedisKey(svc.name), svc, m, true, "")
	o.observeStatefulSet(compose.RedisReadinessKey(svc.name), svc, r, names.RedisStatefulSet(svc.cr))

	host := names.ServiceHost(in.Datalab.Namespace, names.RedisService(svc.cr))
	r.endpoint = host + ":" + strconv.Itoa(redisPort)
	r.set(names.RedisKey(svc.name, names.KeyHost), host)
	r.set(names.RedisKey(svc.name, names.KeyPort), strconv.Itoa(redisPort))
	r.set(names.RedisKey(svc.name, names.KeyUser), redisUser)
	r.set(names.RedisKey(svc.name, names.KeyDatabase), "0")
	secretKeys := []string{names.RedisKey(svc.name, names.KeyPassword), names.RedisKey(svc.name, names.KeyURL)}
	if missing(known, redisPassword) {
		r.await(secretKeys, fmt.Sprintf("Secret %s (generated password; being created)", names.CredentialsSecret(svc.cr)))
		return r, nil
	}
	pw := known[redisPassword]
	r.set(names.RedisKey(svc.name, names.KeyPassword), pw)
	u := url.URL{Scheme: "redis", User: url.UserPassword(redisUser, pw), Host: host + ":" + strconv.Itoa(redisPort), Path: "/0"}
	r.set(names.RedisKey(svc.name, names.KeyURL), u.String())
	return r, nil
}
