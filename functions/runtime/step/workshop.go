package step

import (
	"fmt"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

const educatesAPIVersion = "training.educates.dev/v1beta1"

// workshop is the Educates Workshop of one session: the IDE applications,
// the session's resources and namespace security, the Secrets it imports,
// and its files and packages. Educates reads it only when the environment
// is created (see drift.go).
func workshop(in *pipeline.Input, s api.Session) map[string]any {
	env := in.Tenant.Environment(s.Name)
	spec := in.Datalab.Spec
	st := in.Settings
	vcluster := spec.SessionVCluster(s)

	apps := map[string]any{
		"console":  map[string]any{"enabled": false},
		"editor":   map[string]any{"enabled": true},
		"slides":   map[string]any{"enabled": false},
		"terminal": map[string]any{"enabled": true},
		"workshop": map[string]any{"enabled": len(spec.Files) > 0},
	}
	if vcluster {
		apps["vcluster"] = vclusterApplication(in)
	}
	if st.Docker {
		apps["docker"] = map[string]any{"enabled": true, "storage": environment.DefaultDockerStorage}
	}
	if spec.RegistryEnabled() {
		// The registry keeps its images on a composed volume (see
		// registryVolume), not on a disk Educates would delete with the session.
		apps["registry"] = map[string]any{"enabled": true, "volume": map[string]any{"name": names.VarRegistryVolume}}
	}

	session := map[string]any{
		"applications": apps,
		"resources": map[string]any{
			"memory": st.Memory,
			// The home volume is the composed workspace PVC, so it outlives
			// the session (Educates resolves $(session_name)).
			"volume": map[string]any{"name": names.VarWorkspaceVolume},
		},
		"namespaces": map[string]any{
			"budget": compose.EducatesCustomBudget,
			"role":   compose.EducatesCustomRole,
			"security": map[string]any{
				"policy": st.Policy,
				"token":  map[string]any{"enabled": st.KubernetesAccess},
			},
		},
		"envFrom":      importedSecrets(in.Datalab.Name),
		"volumes":      append(secretVolumes(in.Datalab.Name), agentVolumes(in, s.Name)...),
		"volumeMounts": append(secretMounts(), agentMounts(in, s.Name)...),
	}
	var objects []any
	if spec.DataEnabled() {
		session["dashboards"] = []any{dataDashboard()}
		session["ingresses"] = []any{dataIngress()}
		objects = append(objects, dataObjects(in)...)
	}
	if vcluster {
		objects = append(objects, vclusterObjects(in)...)
	}
	if len(objects) > 0 {
		session["objects"] = objects
	}

	ws := map[string]any{}
	if len(spec.Files) > 0 {
		files := make([]any, 0, len(spec.Files))
		for _, f := range spec.Files {
			files = append(files, f.Raw)
		}
		ws["files"] = files
	}
	if pkgs := in.Env.SessionPackages(); len(pkgs) > 0 {
		ws["packages"] = pkgs
	}

	envSpec := map[string]any{"secrets": append(environmentSecrets(in.Datalab), agentEnvironmentSecrets(in, s.Name)...)}
	if spec.DataEnabled() {
		envSpec["objects"] = []any{bucketVolume(in)}
	}

	m := compose.Manifest(educatesAPIVersion, "Workshop", "", env, compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, s.Name))
	spec2 := map[string]any{
		"title":       fmt.Sprintf("Datalab %s", in.Datalab.Name),
		"description": fmt.Sprintf("Session %s of Datalab %s/%s", s.Name, in.Datalab.Namespace, in.Datalab.Name),
		"session":     session,
		"environment": envSpec,
	}
	if len(ws) > 0 {
		spec2["workshop"] = ws
	}
	m["spec"] = spec2
	return m
}

// importedSecrets are the Secrets every session imports as environment
// variables. They are optional: a pipeline without the storage or backends
// step, or a Datalab without services, must not keep sessions from starting.
func importedSecrets(datalab string) []any {
	return []any{
		map[string]any{"secretRef": map[string]any{"name": names.StorageSecret(datalab), "optional": true}},
		map[string]any{"secretRef": map[string]any{"name": names.ServicesSecret(datalab), "optional": true}},
	}
}

// secretVolumes mounts the same Secrets as files. Environment variables are
// fixed when a session starts; files follow later changes, such as service
// passwords that exist only once a database is up, or rotated keys.
func secretVolumes(datalab string) []any {
	vol := func(name, secret string) map[string]any {
		return map[string]any{"name": name, "secret": map[string]any{"secretName": secret, "optional": true}}
	}
	return []any{
		vol("datalab-storage", names.StorageSecret(datalab)),
		vol("datalab-services", names.ServicesSecret(datalab)),
	}
}

func secretMounts() []any {
	return []any{
		map[string]any{"name": "datalab-storage", "mountPath": names.StorageMountPath, "readOnly": true},
		map[string]any{"name": "datalab-services", "mountPath": names.ServicesMountPath, "readOnly": true},
	}
}

// environmentSecrets asks Educates to copy the imported Secrets from the
// Datalab's namespace into the workshop namespace.
func environmentSecrets(d *api.Datalab) []any {
	return []any{
		map[string]any{"name": names.StorageSecret(d.Name), "namespace": d.Namespace},
		map[string]any{"name": names.ServicesSecret(d.Name), "namespace": d.Namespace},
	}
}
