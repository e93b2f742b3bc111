package compose

import (
	"slices"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Backends step keys. Each is "<word>-<service name>", with words that are
// never a prefix of another word followed by '-' (so "postgres-x" is never
// mistaken for "postgresinit-..."), and none starts with a runtime prefix.

// PostgresKey is the Object wrapping a host's PostgresCluster (crunchy) or
// Cluster (cloudnative-pg).
func PostgresKey(host string) resource.Name { return resource.Name("postgres-" + host) }

// PostgresInitKey is the ConfigMap with a Crunchy host's initialisation SQL.
func PostgresInitKey(host string) resource.Name { return resource.Name("postgresinit-" + host) }

// PostgresRouteKey is the TLSRoute exposing a host through the gateway.
func PostgresRouteKey(host string) resource.Name { return resource.Name("postgresroute-" + host) }

// PostgresBackupKey is the Object wrapping a CloudNativePG ScheduledBackup.
func PostgresBackupKey(host string) resource.Name { return resource.Name("postgresbackup-" + host) }

// PostgresDatabaseKey is the Object wrapping a CloudNativePG Database.
// Database names never contain '-', host names never contain '_'.
func PostgresDatabaseKey(host, db string) resource.Name {
	return resource.Name("postgresdatabase-" + host + "-" + db)
}

// MongoDBKey is the Object wrapping a store's MongoDBCommunity.
func MongoDBKey(store string) resource.Name { return resource.Name("mongodb-" + store) }

// MongoDBCredentialsKey is a MongoDB store's generated password Secret.
func MongoDBCredentialsKey(store string) resource.Name {
	return resource.Name("mongodbcredentials-" + store)
}

// MongoDBServiceKey is the ClusterIP Service in front of a MongoDB store.
func MongoDBServiceKey(store string) resource.Name { return resource.Name("mongodbservice-" + store) }

// MongoDB namespace prerequisites (one set per Datalab, shared targets).
const (
	MongoDBServiceAccountKey resource.Name = "mongodbprerequisite-serviceaccount"
	MongoDBRoleKey           resource.Name = "mongodbprerequisite-role"
	MongoDBRoleBindingKey    resource.Name = "mongodbprerequisite-rolebinding"
)

// RedisKey is the Object wrapping a store's Redis.
func RedisKey(store string) resource.Name { return resource.Name("redis-" + store) }

// RedisCredentialsKey is a Redis store's generated password Secret.
func RedisCredentialsKey(store string) resource.Name {
	return resource.Name("rediscredentials-" + store)
}

// RedisReadinessKey is the Observe-only Object over a Redis StatefulSet.
func RedisReadinessKey(store string) resource.Name { return resource.Name("redisreadiness-" + store) }

// QdrantKey is the Object wrapping a store's QdrantCluster.
func QdrantKey(store string) resource.Name { return resource.Name("qdrant-" + store) }

// QdrantCredentialsKey is a Qdrant store's generated API keys Secret.
func QdrantCredentialsKey(store string) resource.Name {
	return resource.Name("qdrantcredentials-" + store)
}

// QdrantReadinessKey is the Observe-only Object over a Qdrant StatefulSet.
func QdrantReadinessKey(store string) resource.Name {
	return resource.Name("qdrantreadiness-" + store)
}

// backendsKeyWords are the first words of every backends key.
var backendsKeyWords = []string{"postgres", "postgresinit", "postgresroute", "postgresbackup", "postgresdatabase",
	"mongodb", "mongodbcredentials", "mongodbservice", "mongodbprerequisite", "redis", "rediscredentials",
	"redisreadiness", "qdrant", "qdrantcredentials", "qdrantreadiness", "services"}

// IsBackendsKey tells a key of the backends step from the other steps'
// (so a scan of observed state reads only those).
func IsBackendsKey(key resource.Name) bool {
	word, _, ok := strings.Cut(string(key), "-")
	return ok && slices.Contains(backendsKeyWords, word)
}

// ServicesSecretKey is the services Secret (names.ServicesSecret).
const ServicesSecretKey resource.Name = "services-secret"

// ComponentBackends is the LabelComponent value of what the backends step
// composes.
const ComponentBackends = "backends"

// Labels of what the backends step composes.
const (
	// LabelService names the service (names.ServiceID) an object belongs to.
	// A service removed from the spec is found by it in observed state.
	LabelService = "datalabs.pkg.internal/service"
	// LabelStateful marks objects that hold a service's data or credentials:
	// they stay (exactly as observed) after the service is removed from the
	// spec unless the retention policy is Delete.
	LabelStateful = "datalabs.pkg.internal/stateful"
)

// AnnotationCredentials marks a Secret whose values a step generated once
// (value "generated"): they are reused from observed state on every
// reconcile; deleting the Secret rotates them.
const AnnotationCredentials = "datalabs.pkg.internal/credentials"
