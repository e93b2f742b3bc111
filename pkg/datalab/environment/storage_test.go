package environment

import "testing"

func TestStorageSettings(t *testing.T) {
	var empty Config
	if got := empty.StorageSecretNamespace("team"); got != "team" {
		t.Errorf("default secret namespace %q", got)
	}
	if empty.StorageType() != "s3" || !empty.StorageForcePathStyle() {
		t.Errorf("defaults: type %q, force_path_style %v", empty.StorageType(), empty.StorageForcePathStyle())
	}
	f := Boolish(false)
	c := Config{Storage: Storage{SecretNamespace: " shared ", Type: "S3", ForcePathStyle: &f}}
	if got := c.StorageSecretNamespace("team"); got != "shared" {
		t.Errorf("secret namespace %q", got)
	}
	if c.StorageType() != "s3" || c.StorageForcePathStyle() {
		t.Errorf("type %q, force_path_style %v", c.StorageType(), c.StorageForcePathStyle())
	}
}
