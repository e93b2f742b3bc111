package compose

import "github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"

// Composition-resource-name keys. Renaming a key deletes and recreates the
// object, so they are defined here once and never derived ad hoc.

// Runtime step keys, per session.
func WorkshopKey(session string) resource.Name    { return resource.Name("workshop-" + session) }
func EnvironmentKey(session string) resource.Name { return resource.Name("environment-" + session) }
func SessionKey(session string) resource.Name     { return resource.Name("session-" + session) }
func WorkspaceKey(session string) resource.Name   { return resource.Name("workspace-" + session) }
func RegistryKey(session string) resource.Name    { return resource.Name("registry-" + session) }

// SessionOf returns the session name of a runtime key with the given
// prefix function, and whether the key is of that kind.
func SessionOf(key resource.Name, kind func(string) resource.Name) (string, bool) {
	prefix := string(kind(""))
	k := string(key)
	if len(k) <= len(prefix) || k[:len(prefix)] != prefix {
		return "", false
	}
	return k[len(prefix):], true
}

// SessionRoleBindingKey keeps the RoleBinding of a session role current
// in a running session's namespace. The role is part of the key: a
// RoleBinding's roleRef cannot change, so another role is another
// RoleBinding, and the one of the former role leaves with its key.
func SessionRoleBindingKey(role, session string) resource.Name {
	return resource.Name("rolebinding-" + role + "-" + session)
}

// VolumeKeeperKey keeps a session volume's PersistentVolume while its
// environment is recreated (volumeKey is WorkspaceKey or RegistryKey).
func VolumeKeeperKey(volumeKey resource.Name) resource.Name {
	return resource.Name("keeper-" + string(volumeKey))
}
