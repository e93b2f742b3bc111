package step

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// CloudNativePG (Cluster, Database, ScheduledBackup; postgresql.cnpg.io/v1).
const (
	cnpgAPIVersion  = "postgresql.cnpg.io/v1"
	cnpgClusterKind = "Cluster"
	// cnpgRetention keeps about as much history as four weekly full
	// backups do on crunchy.
	cnpgRetention = "30d"
	// cnpgSchedule is daily at 01:00 (CloudNativePG cron has seconds).
	cnpgSchedule = "0 0 1 * * *"
	// Keys of the operator's backup Secret.
	cnpgAccessKey = "AWS_ACCESS_KEY_ID"
	cnpgSecretKey = "AWS_SECRET_ACCESS_KEY"
)

// cnpgReadyQuery: the cluster is Ready and WAL archiving to the object
// storage works (so backups do).
const cnpgReadyQuery = "has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True') && object.status.conditions.exists(c, c.type == 'ContinuousArchiving' && c.status == 'True')"

// cnpgDatabaseReadyQuery: the operator created the database with its owner.
const cnpgDatabaseReadyQuery = "has(object.status) && has(object.status.applied) && object.status.applied == true"

// cnpg renders a host as a CloudNativePG Cluster, one Database per name
// (owned by the application role) and a daily ScheduledBackup to the
// operator's object storage.
func cnpg(o *output, svc *service, r *result) {
	in := o.in
	s3 := in.Env.Database.Backup.S3
	storage := map[string]any{"size": svc.db.Storage}
	if c := dataClass(o, svc); c != "" {
		storage["storageClass"] = c
	}
	spec := map[string]any{
		"instances":             int64(1),
		"imageName":             first(in.Env.Database.Image, cnpgImage),
		"enableSuperuserAccess": false,
		"bootstrap":             cnpgBootstrap(o, svc),
		"storage":               storage,
		// CloudNativePG puts these labels on every object of the cluster.
		"inheritedMetadata": map[string]any{"labels": o.podLabels()},
	}
	if s3 != nil {
		spec["backup"] = map[string]any{
			"barmanObjectStore": map[string]any{
				"destinationPath": "s3://" + s3.Bucket + "/" + in.Datalab.Namespace,
				"endpointURL":     strings.TrimSpace(s3.Endpoint),
				"s3Credentials": map[string]any{
					"accessKeyId":     map[string]any{"name": s3.SecretName, "key": cnpgAccessKey},
					"secretAccessKey": map[string]any{"name": s3.SecretName, "key": cnpgSecretKey},
				},
				"wal":  map[string]any{"compression": "gzip"},
				"data": map[string]any{"compression": "gzip"},
			},
			"retentionPolicy": cnpgRetention,
		}
	}
	if roles := postgresRoles(o); len(roles) > 0 {
		list := make([]any, 0, len(roles))
		for _, u := range roles {
			list = append(list, map[string]any{"name": u, "ensure": "present", "login": true})
		}
		spec["managed"] = map[string]any{"roles": list}
	}
	m := o.manifest(cnpgAPIVersion, cnpgClusterKind, svc.cr, svc)
	m["spec"] = spec
	o.object(compose.PostgresKey(svc.name), svc, m, true, cnpgReadyQuery)
	r.needs(compose.PostgresKey(svc.name), fmt.Sprintf("Cluster %s (ready and archiving WAL to object storage)", svc.cr))

	for _, d := range svc.db.Names {
		db := o.manifest(cnpgAPIVersion, "Database", cnpgDatabaseName(svc.cr, d), svc)
		db["spec"] = map[string]any{
			"name":    d,
			"owner":   names.PostgresAppRole,
			"cluster": map[string]any{"name": svc.cr},
			"ensure":  "present",
			// Removing a name from the spec never drops the database.
			"databaseReclaimPolicy": "retain",
		}
		key := compose.PostgresDatabaseKey(svc.name, d)
		o.object(key, svc, db, true, cnpgDatabaseReadyQuery)
		r.needs(key, fmt.Sprintf("Database %s (created, owned by %s)", cnpgDatabaseName(svc.cr, d), names.PostgresAppRole))
	}

	if s3 != nil {
		b := o.manifest(cnpgAPIVersion, "ScheduledBackup", svc.cr+"-daily", svc)
		b["spec"] = map[string]any{
			"schedule":             cnpgSchedule,
			"cluster":              map[string]any{"name": svc.cr},
			"method":               "barmanObjectStore",
			"backupOwnerReference": "self",
			"immediate":            true,
		}
		o.object(compose.PostgresBackupKey(svc.name), svc, b, true, "")
	}
}

// cnpgBootstrap creates the first database owned by the application role
// (CloudNativePG then generates <cluster>-app with its password). It is
// read only when the cluster is created, so an existing cluster keeps the
// bootstrap it was created with.
func cnpgBootstrap(o *output, svc *service) map[string]any {
	if have, found, _ := unstructuredNested(health.AppliedManifest(o.in.Observed, compose.PostgresKey(svc.name)), "spec", "bootstrap"); found {
		return have
	}
	return map[string]any{"initdb": map[string]any{"database": svc.db.Names[0], "owner": names.PostgresAppRole}}
}

// cnpgDatabaseName names a Database object: the cluster, the database name
// made DNS-safe, and a short hash of the real name (which keeps names that
// differ only in '_' apart).
func cnpgDatabaseName(cluster, db string) string {
	sum := sha256.Sum256([]byte(db))
	safe := strings.Trim(strings.ReplaceAll(db, "_", "-"), "-")
	if len(safe) > 40 {
		safe = strings.TrimRight(safe[:40], "-")
	}
	if safe != "" {
		safe += "-"
	}
	return cluster + "-" + safe + hex.EncodeToString(sum[:])[:5]
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
