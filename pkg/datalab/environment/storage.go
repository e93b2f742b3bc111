package environment

import "strings"

// DefaultStorageType is the rclone backend of the credentials: the
// credentials are S3 access keys.
const DefaultStorageType = "s3"

// StorageSecretNamespace is where a Datalab's storage Secret
// (spec.secretName) is read: storage.secretNamespace, else the Datalab's
// own namespace.
func (c *Config) StorageSecretNamespace(datalabNamespace string) string {
	if ns := strings.TrimSpace(c.Storage.SecretNamespace); ns != "" {
		return ns
	}
	return datalabNamespace
}

// StorageType is the rclone backend type (storage.type, default s3).
func (c *Config) StorageType() string {
	return first(strings.ToLower(c.Storage.Type), DefaultStorageType)
}

// StorageForcePathStyle is storage.force_path_style, default true. Unlike
// the predecessor, an explicit false is honoured.
func (c *Config) StorageForcePathStyle() bool {
	if c.Storage.ForcePathStyle == nil {
		return true
	}
	return bool(*c.Storage.ForcePathStyle)
}
