package step

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// PostgreSQL defaults (as the predecessor ran them).
const (
	postgresPort    = 5432
	postgresVersion = 17
	postGISVersion  = "3.5"
	// cnpgImage is the CloudNativePG operand with PostGIS, the same
	// PostgreSQL and PostGIS versions the Crunchy hosts run.
	cnpgImage = "ghcr.io/cloudnative-pg/postgis:17-3.5"
	// externalPort is the Gateway's TLS passthrough port.
	externalPort = 443
)

// postgresEngine is the engine of a host: the one its observed cluster
// runs on, else the environment's. An existing host never moves engine
// because the operator changed database.engine (its data stays where it
// is); the status says so.
func postgresEngine(in *pipeline.Input, host string) string {
	switch str(health.AppliedManifest(in.Observed, compose.PostgresKey(host)), "kind") {
	case cnpgClusterKind:
		return environment.EngineCloudNativePG
	case crunchyKind:
		return environment.EngineCrunchy
	}
	return in.Env.DatabaseEngine()
}

// postgres renders one database host on its engine and its connection
// keys.
func postgres(o *output, svc *service, secret operatorSecret) *result {
	in := o.in
	r := newResult(svc)
	host := names.ServiceHost(in.Datalab.Namespace, names.PostgresService(svc.engine, svc.cr))
	r.endpoint = host + ":" + strconv.Itoa(postgresPort)

	switch svc.engine {
	case environment.EngineCloudNativePG:
		cnpg(o, svc, r)
	default:
		crunchy(o, svc, r)
	}
	if e := in.Env.DatabaseEngine(); e != svc.engine {
		r.notes = append(r.notes, fmt.Sprintf("runs on %s, where it was created; the environment now selects %s for new hosts (move the data yourself to change it)", svc.engine, e))
	}

	gw := in.Env.Database.Gateway
	external := ""
	if gw.Configured() {
		external = in.Tenant.PostgresExternalHost(svc.name, in.Settings.Ingress.Domain)
		route(o, svc, external, names.PostgresService(svc.engine, svc.cr))
	}

	// Connection keys: the application role, never the superuser.
	user := names.PostgresAppRole
	r.set(names.PostgresKey(svc.name, names.KeyHost), host)
	r.set(names.PostgresKey(svc.name, names.KeyPort), strconv.Itoa(postgresPort))
	r.set(names.PostgresKey(svc.name, names.KeyUser), user)
	r.set(names.PostgresKey(svc.name, names.KeyDatabases), strings.Join(svc.db.Names, ","))
	if external != "" {
		r.set(names.PostgresKey(svc.name, names.KeyHostExternal), external)
	}
	password := secret.value("password")
	secretKeys := []string{names.PostgresKey(svc.name, names.KeyPassword)}
	for _, d := range svc.db.Names {
		secretKeys = append(secretKeys, names.PostgresDatabaseKey(svc.name, d, names.KeyURL))
		if external != "" {
			secretKeys = append(secretKeys, names.PostgresDatabaseKey(svc.name, d, names.KeyURLExternal))
		}
	}
	if password == "" {
		r.await(secretKeys, secret.waiting())
		r.keepLast = true
		return r
	}
	r.set(names.PostgresKey(svc.name, names.KeyPassword), password)
	for _, d := range svc.db.Names {
		r.set(names.PostgresDatabaseKey(svc.name, d, names.KeyURL), postgresURL(user, password, host, postgresPort, d, nil))
		if external != "" {
			// libpq direct TLS (PostgreSQL 17 clients): the Gateway routes
			// by SNI without a PostgreSQL-specific handshake.
			q := url.Values{"sslmode": {"require"}, "sslnegotiation": {"direct"}}
			r.set(names.PostgresDatabaseKey(svc.name, d, names.KeyURLExternal), postgresURL(user, password, external, externalPort, d, q))
		}
	}
	return r
}

func postgresURL(user, password, host string, port int, db string, query url.Values) string {
	u := url.URL{
		Scheme: "postgresql",
		User:   url.UserPassword(user, password),
		Host:   host + ":" + strconv.Itoa(port),
		Path:   "/" + db,
	}
	if query != nil {
		u.RawQuery = query.Encode()
	}
	return u.String()
}

// dataVolume is a PersistentVolumeClaim spec.
func dataVolume(size, class string) map[string]any {
	spec := map[string]any{
		"accessModes": []any{"ReadWriteOnce"},
		"resources":   map[string]any{"requests": map[string]any{"storage": size}},
	}
	if class != "" {
		spec["storageClassName"] = class
	}
	return spec
}

// postgresRoles are the tenant's users, each a role in every host (for
// grants a database administrator makes); sessions never log in as them.
func postgresRoles(o *output) []string {
	return append([]string(nil), o.in.Datalab.Spec.Users...)
}

// dataClass and backupClass resolve a host's storage classes.
func dataClass(o *output, svc *service) string {
	return o.in.Env.ServiceClass(svc.db.StorageClassName, o.in.Env.Database.StorageClassName)
}

func backupClass(o *output, svc *service) string {
	return o.in.Env.ServiceClass(svc.db.BackupStorageClassName, o.in.Env.Database.BackupStorageClassName)
}

func str(m map[string]any, path ...string) string {
	v, _, _ := unstructured.NestedString(m, path...)
	return v
}
