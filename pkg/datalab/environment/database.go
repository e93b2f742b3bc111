package environment

import "strings"

// PostgreSQL engines the operator can select with database.engine.
const (
	// EngineCrunchy is Crunchy Data PGO (PostgresCluster, v1): the default,
	// as the predecessor ran it.
	EngineCrunchy = "crunchy"
	// EngineCloudNativePG is CloudNativePG (Cluster, Database,
	// ScheduledBackup).
	EngineCloudNativePG = "cloudnative-pg"
)

// Engines lists the supported database.engine values.
var Engines = []string{EngineCrunchy, EngineCloudNativePG}

// DatabaseGateway is the Gateway API listener that exposes PostgreSQL hosts
// outside the cluster with a TLSRoute (TLS passthrough). All three fields
// are needed; none means no external access.
type DatabaseGateway struct {
	ParentName      string `json:"parentName,omitempty"`
	ParentNamespace string `json:"parentNamespace,omitempty"`
	SectionName     string `json:"sectionName,omitempty"`
}

// Configured reports whether all three gateway fields are set.
func (g DatabaseGateway) Configured() bool {
	return strings.TrimSpace(g.ParentName) != "" && strings.TrimSpace(g.ParentNamespace) != "" && strings.TrimSpace(g.SectionName) != ""
}

// Partial reports whether some but not all gateway fields are set.
func (g DatabaseGateway) Partial() bool {
	set := strings.TrimSpace(g.ParentName) != "" || strings.TrimSpace(g.ParentNamespace) != "" || strings.TrimSpace(g.SectionName) != ""
	return set && !g.Configured()
}

// DatabaseBackup says where PostgreSQL backups go. Without S3 they go to a
// backup volume in the Datalab's namespace (engine crunchy only), which dies
// with the namespace.
type DatabaseBackup struct {
	S3 *S3Backup `json:"s3,omitempty"`
}

// S3Backup is the operator's object storage for PostgreSQL backups. Each
// cluster writes under /<datalab namespace>/<cluster name> of the bucket,
// so backups outlive the namespace. The Secret named SecretName must exist
// in every namespace that holds Datalabs with databases (the operators read
// it from the cluster's namespace): key s3.conf (a pgBackRest INI with
// repo1-s3-key and repo1-s3-key-secret) for crunchy, keys AWS_ACCESS_KEY_ID
// and AWS_SECRET_ACCESS_KEY for cloudnative-pg. Give each namespace
// credentials limited to its own prefix.
type S3Backup struct {
	Bucket         string   `json:"bucket,omitempty"`
	Endpoint       string   `json:"endpoint,omitempty"`
	Region         string   `json:"region,omitempty"`
	SecretName     string   `json:"secretName,omitempty"`
	ForcePathStyle *Boolish `json:"forcePathStyle,omitempty"`
}

// PathStyle reports whether bucket addressing is path-style (default true,
// as most S3-compatible stores need).
func (s S3Backup) PathStyle() bool {
	return s.ForcePathStyle == nil || bool(*s.ForcePathStyle)
}

// DatabaseEngine is database.engine, lower-cased, default crunchy. It is
// not validated here (validation.Backends does).
func (c *Config) DatabaseEngine() string {
	return first(strings.ToLower(c.Database.Engine), EngineCrunchy)
}

// ServiceClass is the storage class of a service volume: the spec's, else
// the engine's EnvironmentConfig class, else the allowlist default.
func (c *Config) ServiceClass(spec, engine string) string {
	return first(spec, engine, c.DefaultClass())
}
