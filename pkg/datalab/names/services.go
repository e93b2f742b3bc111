package names

import (
	"sort"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

// Service names (backends step). The services run in the Datalab's own
// namespace, which other Datalabs may share, so every object is named
// <engine prefix>-<service name, at most 21 characters>-<16 hex of SHA-256
// over namespace, Datalab, kind and service name>: unique per Datalab,
// kind and service even when a tenant picks names to collide, and short
// enough for every name the operators derive (Crunchy PGO appends up to 11
// characters for its backup CronJobs, which must stay within 52).

// Service kinds, as reported in status.services.<id>.kind.
const (
	KindPostgreSQL = "postgresql"
	KindMongoDB    = "mongodb"
	KindRedis      = "redis"
	KindQdrant     = "qdrant"
)

// MaxServiceName bounds database host and store names (the XRD enforces it
// too).
const MaxServiceName = 30

// ServiceID keys a service in status.services and labels its objects:
// <kind>-<name>, unique within a Datalab across kinds.
func ServiceID(kind, name string) string { return kind + "-" + name }

// serviceStem is how much of a service name its objects keep; the hash
// covers the whole name.
const serviceStem = 21

func (t Tenant) serviceName(prefix, name string) string {
	stem := name
	if len(stem) > serviceStem {
		stem = strings.TrimRight(stem[:serviceStem], "-")
	}
	return prefix + "-" + stem + "-" + hashOf(t.Namespace + "/" + t.Name + "/" + prefix + "/" + name)[:hashLen]
}

// PostgresCluster is the PostgresCluster (crunchy) or Cluster
// (cloudnative-pg) of a database host.
func (t Tenant) PostgresCluster(host string) string { return t.serviceName("pg", host) }

// MongoDB is the MongoDBCommunity of a document store.
func (t Tenant) MongoDB(store string) string { return t.serviceName("mongo", store) }

// Redis is the Redis of a cache store.
func (t Tenant) Redis(store string) string { return t.serviceName("redis", store) }

// Qdrant is the QdrantCluster of a vector store.
func (t Tenant) Qdrant(store string) string { return t.serviceName("qdrant", store) }

// MongoDBPrerequisite names the Object of one of the namespace
// prerequisites of MongoDB replica sets (what: sa, role, rolebinding).
// The targets are shared by the Datalabs of a namespace; each Datalab's
// Objects are its own.
func (t Tenant) MongoDBPrerequisite(what string) string {
	return "mongodb-appdb-" + what + "-" + t.hash()[:hashLen]
}

// CredentialsSecret holds the credentials the backends step generates for
// a store (MongoDB password, Redis password, Qdrant API keys).
func CredentialsSecret(cr string) string { return cr + "-auth" }

// PostgresAppRole is the role that owns a host's databases; sessions
// connect as it (never as the superuser).
const PostgresAppRole = "app"

// PostgresAppSecret is the Secret the PostgreSQL operator generates with
// the application role's password: <cluster>-pguser-app (Crunchy) or
// <cluster>-app (CloudNativePG).
func PostgresAppSecret(engine, cluster string) string {
	if engine == environment.EngineCloudNativePG {
		return cluster + "-app"
	}
	return cluster + "-pguser-" + PostgresAppRole
}

// PostgresInitSQL is the ConfigMap with the one-time initialisation SQL of
// a Crunchy cluster.
func PostgresInitSQL(cluster string) string { return cluster + "-init-sql" }

// PostgresService is the operator's Service of the current primary.
func PostgresService(engine, cluster string) string {
	if engine == environment.EngineCloudNativePG {
		return cluster + "-rw"
	}
	return cluster + "-primary"
}

// MongoDBService is the ClusterIP Service the backends step adds in front
// of a MongoDB replica set (the operator's own Service is headless, which
// a vcluster cannot replicate).
func MongoDBService(cr string) string { return cr + "-client" }

// RedisService is the operator's Service of a Redis.
func RedisService(cr string) string { return cr }

// QdrantService is the operator's Service of a QdrantCluster (the
// qdrant-operator prefixes "qdrant-").
func QdrantService(cr string) string { return "qdrant-" + cr }

// RedisStatefulSet and QdrantStatefulSet are what the operators run; their
// readiness is the services' readiness (neither CR reports any).
func RedisStatefulSet(cr string) string  { return cr }
func QdrantStatefulSet(cr string) string { return "qdrant-" + cr }

// ServiceHost is the in-cluster DNS name of a Service in the Datalab's
// namespace, resolvable from the workshop namespaces and (through
// HostServices) from inside session vclusters.
func ServiceHost(namespace, service string) string { return service + "." + namespace + ".svc" }

// PostgresExternalHost is the host name of a database host behind the
// operator's Gateway: pg-<host>-<16 hex of SHA-256 over the Datalab and the
// host>.<domain>, unique across the cluster, and never equal to a session
// host (those end in a session suffix, never in hex).
func (t Tenant) PostgresExternalHost(host, domain string) string {
	return "pg-" + host + "-" + hashOf(t.Namespace + "/" + t.Name + "/pg/" + host)[:hashLen] + "." + domain
}

// HostService is a Service in the Datalab's namespace that sessions reach.
type HostService struct {
	Namespace string
	Name      string
}

// HostServices lists the Services of every service the spec declares,
// sorted, so that session vclusters replicate them (vcluster
// services.fromHost) and the connection keys resolve inside a vcluster as
// they do in the workshop namespace. engine is the effective
// database.engine.
func (t Tenant) HostServices(spec api.Spec, engine string) []HostService {
	var out []HostService
	add := func(name string) { out = append(out, HostService{Namespace: t.Namespace, Name: name}) }
	for h := range spec.Databases {
		add(PostgresService(engine, t.PostgresCluster(h)))
	}
	for s := range spec.DocumentStores {
		add(MongoDBService(t.MongoDB(s)))
	}
	for s := range spec.CacheStores {
		add(RedisService(t.Redis(s)))
	}
	for s := range spec.VectorStores {
		add(QdrantService(t.Qdrant(s)))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
