package names

import (
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
)

// Connection keys of the services Secret (ServicesSecret), which sessions
// import as environment variables. They keep the predecessor's names:
// POSTGRES_<H>_*, POSTGRES_<H>_<D>_URL(_EXTERNAL), MONGO_<S>_*, REDIS_<S>_*
// and QDRANT_<S>_*, where <H>, <S> and <D> are the host, store and database
// names with every character other than a letter or digit replaced by '_',
// upper-cased.

// Key suffixes.
const (
	KeyHost         = "HOST"
	KeyHostExternal = "HOST_EXTERNAL"
	KeyPort         = "PORT"
	KeyGRPCPort     = "GRPC_PORT"
	KeyUser         = "USER"
	KeyPassword     = "PASSWORD"
	KeyDatabase     = "DATABASE"
	KeyDatabases    = "DATABASES"
	KeyAuthSource   = "AUTH_SOURCE"
	KeyURL          = "URL"
	KeyURLExternal  = "URL_EXTERNAL"
	KeyURI          = "URI"
	KeyAPIKey       = "API_KEY"
	KeyReadAPIKey   = "READ_API_KEY"
)

// Key prefixes per service kind.
const (
	prefixPostgres = "POSTGRES"
	prefixMongo    = "MONGO"
	prefixRedis    = "REDIS"
	prefixQdrant   = "QDRANT"
)

// Suffixes each kind publishes per service (PostgreSQL adds KeyURL and
// KeyURLExternal per database).
var (
	PostgresKeys = []string{KeyHost, KeyPort, KeyUser, KeyPassword, KeyDatabases, KeyHostExternal}
	MongoKeys    = []string{KeyHost, KeyPort, KeyDatabase, KeyAuthSource, KeyUser, KeyPassword, KeyURI}
	RedisKeys    = []string{KeyHost, KeyPort, KeyUser, KeyDatabase, KeyPassword, KeyURL}
	QdrantKeys   = []string{KeyHost, KeyPort, KeyGRPCPort, KeyURL, KeyAPIKey, KeyReadAPIKey}
	DatabaseKeys = []string{KeyURL, KeyURLExternal}
)

// EnvKey joins parts with '_' and normalises the result: every character
// other than an ASCII letter or digit becomes '_', letters are upper-cased.
func EnvKey(parts ...string) string {
	s := strings.Join(parts, "_")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// PostgresKey is POSTGRES_<H>_<suffix>.
func PostgresKey(host, suffix string) string { return EnvKey(prefixPostgres, host, suffix) }

// PostgresDatabaseKey is POSTGRES_<H>_<D>_<suffix>.
func PostgresDatabaseKey(host, db, suffix string) string {
	return EnvKey(prefixPostgres, host, db, suffix)
}

// MongoKey is MONGO_<S>_<suffix>.
func MongoKey(store, suffix string) string { return EnvKey(prefixMongo, store, suffix) }

// RedisKey is REDIS_<S>_<suffix>.
func RedisKey(store, suffix string) string { return EnvKey(prefixRedis, store, suffix) }

// QdrantKey is QDRANT_<S>_<suffix>.
func QdrantKey(store, suffix string) string { return EnvKey(prefixQdrant, store, suffix) }

// ConnectionKey is one key a spec may publish and the field that makes it.
type ConnectionKey struct {
	Key   string
	Field *field.Path
}

// ConnectionKeys lists every key the spec may publish (including the
// external ones, so that configuring a gateway later cannot introduce a
// collision), sorted by field and key. Two entries with the same key and
// different fields are a collision that validation rejects.
func ConnectionKeys(spec api.Spec) []ConnectionKey {
	var out []ConnectionKey
	p := field.NewPath("spec")
	for h, db := range spec.Databases {
		hp := p.Child("databases").Key(h)
		for _, k := range PostgresKeys {
			out = append(out, ConnectionKey{Key: PostgresKey(h, k), Field: hp})
		}
		for i, d := range db.Names {
			for _, k := range DatabaseKeys {
				out = append(out, ConnectionKey{Key: PostgresDatabaseKey(h, d, k), Field: hp.Child("names").Index(i)})
			}
		}
	}
	stores := []struct {
		field string
		m     map[string]api.Store
		keys  []string
		key   func(string, string) string
	}{
		{"documentStores", spec.DocumentStores, MongoKeys, MongoKey},
		{"cacheStores", spec.CacheStores, RedisKeys, RedisKey},
		{"vectorStores", spec.VectorStores, QdrantKeys, QdrantKey},
	}
	for _, s := range stores {
		for name := range s.m {
			for _, k := range s.keys {
				out = append(out, ConnectionKey{Key: s.key(name, k), Field: p.Child(s.field).Key(name)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := out[i].Field.String(), out[j].Field.String(); a != b {
			return a < b
		}
		return out[i].Key < out[j].Key
	})
	return out
}
