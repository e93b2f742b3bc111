package step

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// Crunchy Data PGO (PostgresCluster v1).
const (
	crunchyAPIVersion = "postgres-operator.crunchydata.com/v1"
	crunchyKind       = "PostgresCluster"
	// crunchyInstanceSet is the instance set's name. It is short on
	// purpose: PGO names the StatefulSet <cluster>-<set>-<4 random>, which
	// must stay within 52 characters.
	crunchyInstanceSet = "db"
	// crunchyRepo is the pgBackRest repository.
	crunchyRepo = "repo1"
	// crunchyInitKey is the init SQL's key in its ConfigMap.
	crunchyInitKey = "init.sql"
	// crunchyS3Conf is the pgBackRest configuration file in the operator's
	// backup Secret.
	crunchyS3Conf = "s3.conf"
)

// Backup schedule and retention (as the predecessor): a full backup every
// Sunday, a differential one on the other days, four full backups kept.
var crunchySchedules = map[string]any{"full": "0 1 * * 0", "differential": "0 1 * * 1-6"}

// crunchyReadyQuery: the instance set has a ready primary and pgBackRest
// created the stanza of the repository (so backups work).
var crunchyReadyQuery = "has(object.status) && has(object.status.instances) && object.status.instances.exists(i, i.name == '" + crunchyInstanceSet +
	"' && has(i.readyReplicas) && i.readyReplicas >= 1) && has(object.status.pgbackrest) && has(object.status.pgbackrest.repos) && object.status.pgbackrest.repos.exists(r, r.name == '" +
	crunchyRepo + "' && has(r.stanzaCreated) && r.stanzaCreated)"

// crunchy renders a host as a Crunchy PostgresCluster with the one-time
// SQL that makes the application role the owner of its databases.
func crunchy(o *output, svc *service, r *result) {
	in := o.in
	init := names.PostgresInitSQL(svc.cr)
	initSQL, initNote := crunchyInit(o, svc)
	if initSQL != nil {
		o.put(compose.PostgresInitKey(svc.name), svc, initSQL, true, healthExists)
	}
	if initNote != "" {
		r.notes = append(r.notes, initNote)
	}

	users := []any{map[string]any{
		"name":      names.PostgresAppRole,
		"databases": toAnyList(svc.db.Names),
		// Alphanumeric passwords need no escaping in connection URLs.
		"password": map[string]any{"type": "AlphaNumeric"},
	}}
	for _, u := range postgresRoles(o) {
		users = append(users, map[string]any{"name": u})
	}
	instance := map[string]any{
		"name":                crunchyInstanceSet,
		"replicas":            int64(1),
		"dataVolumeClaimSpec": dataVolume(svc.db.Storage, dataClass(o, svc)),
	}
	backups, backupNote := crunchyBackups(o, svc)
	if backupNote != "" {
		r.notes = append(r.notes, backupNote)
	}
	spec := map[string]any{
		"postgresVersion": int64(postgresVersion),
		"postGISVersion":  postGISVersion,
		"instances":       []any{instance},
		"users":           users,
		"databaseInitSQL": map[string]any{"name": init, "key": crunchyInitKey},
		"backups":         backups,
		// PGO puts these labels on every object it creates, pods included.
		"metadata": map[string]any{"labels": o.podLabels()},
	}
	if img := strings.TrimSpace(in.Env.Database.Image); img != "" {
		spec["image"] = img
	}
	m := o.manifest(crunchyAPIVersion, crunchyKind, svc.cr, svc)
	m["spec"] = spec
	o.object(compose.PostgresKey(svc.name), svc, m, true, crunchyReadyQuery)
	r.needs(compose.PostgresKey(svc.name), fmt.Sprintf("PostgresCluster %s (a ready primary and a backup stanza)", svc.cr))
}

// crunchyInit is the ConfigMap with the SQL PGO runs once, after it has
// created the databases: it hands them to the application role, so that
// the role may create objects in their public schema (PostgreSQL 15 and
// later grant that to the database owner only). PGO never runs it again,
// so once observed the ConfigMap stays as it is, and databases added later
// are reported: the role has all privileges on them but does not own them.
func crunchyInit(o *output, svc *service) (map[string]any, string) {
	key := compose.PostgresInitKey(svc.name)
	if observed := compose.FromObserved(o.in.Observed, key); observed != nil {
		data, _ := observed["data"].(map[string]any)
		sql, _ := data[crunchyInitKey].(string)
		var later []string
		for _, d := range svc.db.Names {
			if !strings.Contains(sql, quoteIdent(d)+" OWNER TO") {
				later = append(later, d)
			}
		}
		note := ""
		if len(later) > 0 {
			note = fmt.Sprintf("databases added after the host was created (%s) are granted to role %s but owned by postgres (PGO runs its initialisation SQL once); the role can create its own schemas there", strings.Join(later, ", "), names.PostgresAppRole)
		}
		return observed, note
	}
	var b strings.Builder
	b.WriteString("\\set ON_ERROR_STOP on\n")
	for _, d := range svc.db.Names {
		fmt.Fprintf(&b, "ALTER DATABASE %s OWNER TO %s;\n", quoteIdent(d), quoteIdent(names.PostgresAppRole))
	}
	m := o.manifest("v1", "ConfigMap", names.PostgresInitSQL(svc.cr), svc)
	m["data"] = map[string]any{crunchyInitKey: b.String()}
	return m, ""
}

// crunchyBackups is the pgBackRest configuration: the operator's object
// storage when the environment configures it (the backups outlive the
// namespace), a backup volume otherwise. An existing host keeps the kind
// of repository it was created with; the status says when the environment
// now asks for the other kind.
func crunchyBackups(o *output, svc *service) (map[string]any, string) {
	want := crunchyBackupsFromEnv(o, svc)
	have, _, _ := unstructuredNested(health.AppliedManifest(o.in.Observed, compose.PostgresKey(svc.name)), "spec", "backups")
	if have == nil || repoKind(have) == repoKind(want) {
		return want, ""
	}
	note := fmt.Sprintf("backups stay in the %s repository the host was created with; the environment now configures %s backups (migrate the repository yourself)", repoKind(have), repoKind(want))
	return have, note
}

func crunchyBackupsFromEnv(o *output, svc *service) map[string]any {
	global := map[string]any{
		crunchyRepo + "-retention-full":      "4",
		crunchyRepo + "-retention-full-type": "count",
	}
	repo := map[string]any{"name": crunchyRepo, "schedules": crunchySchedules}
	pgbackrest := map[string]any{"global": global, "repos": []any{repo}}
	if s3 := o.in.Env.Database.Backup.S3; s3 != nil {
		global[crunchyRepo+"-path"] = "/" + o.in.Datalab.Namespace + "/" + svc.cr
		if s3.PathStyle() {
			global[crunchyRepo+"-s3-uri-style"] = "path"
		}
		repo["s3"] = map[string]any{"bucket": s3.Bucket, "endpoint": endpointHost(s3.Endpoint), "region": s3.Region}
		pgbackrest["configuration"] = []any{map[string]any{"secret": map[string]any{
			"name":  s3.SecretName,
			"items": []any{map[string]any{"key": crunchyS3Conf, "path": crunchyS3Conf}},
		}}}
	} else {
		global[crunchyRepo+"-path"] = "/pgbackrest/" + crunchyRepo
		repo["volume"] = map[string]any{"volumeClaimSpec": dataVolume(svc.db.BackupStorage, backupClass(o, svc))}
	}
	return map[string]any{"pgbackrest": pgbackrest}
}

// repoKind is "object storage" or "volume" for a backups section.
func repoKind(backups map[string]any) string {
	repos, _, _ := unstructuredSlice(backups, "pgbackrest", "repos")
	for _, r := range repos {
		if m, ok := r.(map[string]any); ok {
			if _, ok := m["s3"]; ok {
				return "object storage"
			}
		}
	}
	return "volume"
}

// endpointHost is the host[:port] of an endpoint URL (pgBackRest wants no
// scheme).
func endpointHost(endpoint string) string {
	if u, err := url.Parse(strings.TrimSpace(endpoint)); err == nil && u.Host != "" {
		return u.Host
	}
	return strings.TrimSpace(endpoint)
}

// quoteIdent quotes a PostgreSQL identifier (validation allows only
// [a-z0-9_], so no escaping is ever needed).
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func toAnyList(in []string) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}
