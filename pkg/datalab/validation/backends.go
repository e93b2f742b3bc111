package validation

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

var (
	// pgIdentifier is a PostgreSQL identifier that needs no quoting.
	pgIdentifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	// pgRole is a role name both operators accept (Crunchy PGO requires a
	// DNS label, since the role names its password Secret).
	pgRole = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	// serviceName is a database host or store name.
	serviceName = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)
)

// maxPGIdentifier is PostgreSQL's NAMEDATALEN - 1.
const maxPGIdentifier = 63

// ReservedDatabases are databases PostgreSQL itself needs.
var ReservedDatabases = []string{"postgres", "template0", "template1"}

// ReservedRoles are role names a tenant's user may not take: PostgreSQL's
// own (postgres, public, none and the pg_ prefix), the operators' (Crunchy's
// pgbouncer and monitor schemas, CloudNativePG's streaming_replica), the
// application role every session uses, and root.
var ReservedRoles = []string{"postgres", "root", names.PostgresAppRole, "public", "none", "pgbouncer", "monitor", "streaming_replica"}

// Backends validates the services a Datalab requests (spec.databases,
// documentStores, cacheStores, vectorStores) and the EnvironmentConfig keys
// they depend on. Environment keys are checked only when the Datalab uses
// them, so an operator's mistake in database settings does not stop
// Datalabs without databases.
func Backends(d *api.Datalab, cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	spec := d.Spec
	p := field.NewPath("spec")
	for _, h := range keysOf(spec.Databases) {
		errs = append(errs, database(p.Child("databases").Key(h), h, spec.Databases[h], cfg)...)
	}
	for _, s := range []struct {
		field string
		m     map[string]api.Store
		class string
		env   string
	}{
		{"documentStores", spec.DocumentStores, cfg.MongoDB.StorageClassName, "mongodb"},
		{"cacheStores", spec.CacheStores, cfg.Redis.StorageClassName, "redis"},
		{"vectorStores", spec.VectorStores, cfg.Qdrant.StorageClassName, "qdrant"},
	} {
		for _, name := range keysOf(s.m) {
			sp := p.Child(s.field).Key(name)
			errs = append(errs, serviceKey(sp, name, s.field)...)
			errs = append(errs, size(sp.Child("storage"), s.m[name].Storage)...)
			errs = append(errs, AllowedClass(sp.Child("storageClassName"), s.m[name].StorageClassName, cfg)...)
		}
		if len(s.m) > 0 {
			errs = append(errs, AllowedClass(EnvPath.Child(s.env, "storageClassName"), s.class, cfg)...)
		}
	}
	if len(spec.Databases) > 0 {
		errs = append(errs, roles(spec.Users, p.Child("users"))...)
		errs = append(errs, DatabaseEnvironment(cfg, cfg.DatabaseEngine())...)
	}
	errs = append(errs, collisions(spec)...)
	return errs
}

// serviceKey checks a host or store name: it names objects and hosts, and
// is part of connection keys.
func serviceKey(p *field.Path, name, kind string) field.ErrorList {
	if len(name) <= names.MaxServiceName && serviceName.MatchString(name) {
		return nil
	}
	return field.ErrorList{field.Invalid(p, name, fmt.Sprintf("%s names must be lower-case DNS labels of at most %d characters that start with a letter (letters, digits and '-'); rename it", kind, names.MaxServiceName))}
}

func database(p *field.Path, host string, db api.Database, cfg *environment.Config) field.ErrorList {
	errs := serviceKey(p, host, "database host")
	np := p.Child("names")
	if len(db.Names) == 0 {
		errs = append(errs, field.Required(np, "list at least one database to create in this host, for example [analytics]"))
	}
	seen := map[string]bool{}
	for i, n := range db.Names {
		ip := np.Index(i)
		switch {
		case strings.TrimSpace(n) == "":
			errs = append(errs, field.Invalid(ip, n, "a database name must not be empty or blank; write the name (for example analytics) or remove the entry (removing a name never drops the database)"))
			continue
		case n != strings.TrimSpace(n):
			errs = append(errs, field.Invalid(ip, n, "a database name must not carry surrounding spaces; write it without them"))
			continue
		case len(n) > maxPGIdentifier || !pgIdentifier.MatchString(n):
			errs = append(errs, field.Invalid(ip, n, fmt.Sprintf("is not a PostgreSQL identifier; use lower-case letters, digits and '_', not starting with a digit, at most %d characters", maxPGIdentifier)))
		case contains(ReservedDatabases, n):
			errs = append(errs, field.Invalid(ip, n, fmt.Sprintf("is reserved by PostgreSQL (%s); choose another name", strings.Join(ReservedDatabases, ", "))))
		}
		if seen[n] {
			e := field.Duplicate(ip, n)
			e.Detail = "list each database once; remove the repeated entry"
			errs = append(errs, e)
		}
		seen[n] = true
	}
	if strings.TrimSpace(db.Storage) == "" {
		errs = append(errs, field.Required(p.Child("storage"), "give the size of the data volume, for example 1Gi"))
	} else {
		errs = append(errs, size(p.Child("storage"), db.Storage)...)
	}
	if strings.TrimSpace(db.BackupStorage) == "" {
		errs = append(errs, field.Required(p.Child("backupStorage"), "give the size of the backup repository, for example 3Gi (full and differential backups plus the WAL archive; about three times the data volume)"))
	} else {
		errs = append(errs, size(p.Child("backupStorage"), db.BackupStorage)...)
	}
	errs = append(errs, AllowedClass(p.Child("storageClassName"), db.StorageClassName, cfg)...)
	errs = append(errs, AllowedClass(p.Child("backupStorageClassName"), db.BackupStorageClassName, cfg)...)
	return errs
}

// roles checks spec.users as PostgreSQL roles: every user becomes a role in
// each database host.
func roles(users []string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, u := range users {
		ip := p.Index(i)
		switch {
		case contains(ReservedRoles, u) || strings.HasPrefix(u, "pg_"):
			errs = append(errs, field.Invalid(ip, u, fmt.Sprintf("is a reserved PostgreSQL role name (%s, or starting with pg_); every user becomes a role in each database host, so rename the user or remove spec.databases", strings.Join(ReservedRoles, ", "))))
		case strings.TrimSpace(u) == "":
			// Reported by the common user checks.
		case len(u) > maxPGIdentifier || !pgRole.MatchString(u):
			errs = append(errs, field.Invalid(ip, u, fmt.Sprintf("is not a valid PostgreSQL role name for the database operators (lower-case letters, digits and '-', starting and ending with a letter or digit, at most %d characters); every user becomes a role in each database host, so rename the user or remove spec.databases", maxPGIdentifier)))
		}
	}
	return errs
}

// DatabaseEnvironment validates the EnvironmentConfig's database keys for
// a Datalab with databases; engine is the engine new hosts get.
func DatabaseEnvironment(cfg *environment.Config, engine string) field.ErrorList {
	var errs field.ErrorList
	dp := EnvPath.Child("database")
	if e := strings.TrimSpace(cfg.Database.Engine); e != "" {
		errs = append(errs, oneOf(dp.Child("engine"), strings.ToLower(e), environment.Engines)...)
	}
	errs = append(errs, AllowedClass(dp.Child("storageClassName"), cfg.Database.StorageClassName, cfg)...)
	errs = append(errs, AllowedClass(dp.Child("backupStorageClassName"), cfg.Database.BackupStorageClassName, cfg)...)
	if cfg.Database.Gateway.Partial() {
		errs = append(errs, field.Invalid(dp.Child("gateway"), fmt.Sprintf("%+v", cfg.Database.Gateway), "set parentName, parentNamespace and sectionName together (the Gateway listener for TLS passthrough), or none of them"))
	}
	if s := cfg.Database.Backup.S3; s != nil {
		errs = append(errs, s3Backup(dp.Child("backup", "s3"), *s)...)
	} else if engine == environment.EngineCloudNativePG {
		errs = append(errs, field.Required(dp.Child("backup", "s3"), "cloudnative-pg keeps backups only in object storage: configure database.backup.s3 (bucket, endpoint, region, secretName), or use engine crunchy"))
	}
	return errs
}

func s3Backup(p *field.Path, s environment.S3Backup) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct{ name, value, example string }{
		{"bucket", s.Bucket, "datalab-backups"},
		{"region", s.Region, "eu-central-1"},
		{"endpoint", s.Endpoint, "https://s3.example.com"},
		{"secretName", s.SecretName, "datalab-backup-s3"},
	} {
		if strings.TrimSpace(f.value) == "" {
			errs = append(errs, field.Required(p.Child(f.name), "set it, for example "+f.example))
		} else if !SingleToken(f.value) {
			errs = append(errs, field.Invalid(p.Child(f.name), f.value, "must be a single value without spaces, for example "+f.example))
		}
	}
	if e := strings.TrimSpace(s.Endpoint); e != "" {
		if u, err := url.Parse(e); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, field.Invalid(p.Child("endpoint"), e, "write the endpoint as a URL with scheme, for example https://s3.example.com"))
		}
	}
	if n := strings.TrimSpace(s.SecretName); n != "" {
		for _, m := range validation.IsDNS1123Subdomain(n) {
			errs = append(errs, field.Invalid(p.Child("secretName"), n, m+"; name the Secret that holds the backup credentials in each Datalab namespace"))
		}
	}
	if b := strings.TrimSpace(s.Bucket); b != "" {
		for _, m := range validation.IsDNS1123Subdomain(b) {
			errs = append(errs, field.Invalid(p.Child("bucket"), b, m+"; write the bucket name"))
		}
	}
	return errs
}

// collisions rejects two services (or databases) whose connection keys
// normalise to the same environment variable: one would silently
// overwrite the other in the services Secret.
func collisions(spec api.Spec) field.ErrorList {
	var errs field.ErrorList
	first := map[string]*field.Path{}
	reported := map[string]bool{}
	for _, k := range names.ConnectionKeys(spec) {
		prev, ok := first[k.Key]
		if !ok {
			first[k.Key] = k.Field
			continue
		}
		pair := prev.String() + "|" + k.Field.String()
		if prev.String() == k.Field.String() || reported[pair] {
			continue
		}
		reported[pair] = true
		errs = append(errs, field.Invalid(k.Field, k.Key,
			fmt.Sprintf("publishes the connection key %s, which %s publishes too (names are upper-cased and every character other than a letter or digit becomes '_'); rename one of them", k.Key, prev)))
	}
	return errs
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
