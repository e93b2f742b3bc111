package step

import (
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// volumeKeeper checks the one cluster-scoped object a Datalab may touch: a
// session volume's PersistentVolume while a restart recreates its
// environment (the runtime's keeper). It may only be updated, never
// created or deleted, under a keeper key of one of the Datalab's session
// volumes; it may only set the reclaim policy to Retain and point the
// volume's claim at that session's workspace namespace.
func (b boundary) volumeKeeper(key resource.Name, obj, m map[string]any) field.ErrorList {
	p := composedPath(key)
	session, ok := "", false
	for _, volume := range []func(string) resource.Name{compose.WorkspaceKey, compose.RegistryKey} {
		if s, found := compose.SessionOf(key, func(s string) resource.Name { return compose.VolumeKeeperKey(volume(s)) }); found {
			session, ok = s, true
		}
	}
	if !ok || !b.environments[b.in.Tenant.Environment(session)] {
		return field.ErrorList{field.Forbidden(p, "a PersistentVolume is cluster-scoped; a Datalab may only keep one of its session volumes' while a restart recreates the environment (keys keeper-workspace-<session>, keeper-registry-<session>)")}
	}
	var errs field.ErrorList
	policies, _ := valueAt(obj, path{"spec", "managementPolicies"})
	if got := fmt.Sprint(policies); !slices.Equal(compose.StringList(policies), []string{"Observe", "Update"}) {
		errs = append(errs, field.Invalid(p.Child("spec", "managementPolicies"), got, "a volume keeper may only observe and update its volume: [Observe, Update]"))
	}
	spec, _ := m["spec"].(map[string]any)
	for k, v := range spec {
		switch k {
		case "persistentVolumeReclaimPolicy":
			if v != "Retain" {
				errs = append(errs, field.NotSupported(p.Child("spec", "forProvider", "manifest", "spec", k), v, []string{"Retain"}))
			}
		case "claimRef":
			if ns := str(asMap(v), "namespace"); ns != b.in.Tenant.Environment(session) {
				errs = append(errs, field.Forbidden(p.Child("spec", "forProvider", "manifest", "spec", k, "namespace"), fmt.Sprintf("%q is not session %s's workshop namespace", ns, session)))
			}
		default:
			errs = append(errs, field.Forbidden(p.Child("spec", "forProvider", "manifest", "spec", k), "a volume keeper sets only persistentVolumeReclaimPolicy and claimRef"))
		}
	}
	return errs
}
