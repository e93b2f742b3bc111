package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// runningQuery is the readiness of Educates objects: the operator reports
// phase Running once the environment or session is usable.
const runningQuery = "has(object.status) && has(object.status.educates) && object.status.educates.phase == 'Running'"

// workshopEnvironment is the Educates environment of one session. Its name
// is the workshop namespace, which holds the session's workspace volume.
func workshopEnvironment(in *pipeline.Input, s api.Session) map[string]any {
	env := in.Tenant.Environment(s.Name)
	m := compose.Manifest(educatesAPIVersion, "WorkshopEnvironment", "", env, compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, s.Name))
	m["spec"] = map[string]any{
		"workshop": map[string]any{"name": env},
		"request":  map[string]any{"enabled": false},
		"session":  map[string]any{"ingress": sessionIngress(in)},
		"theme":    map[string]any{"name": "default-website-theme"},
	}
	return m
}

// sessionIngress is how Educates exposes a session: the operator's domain,
// TLS Secret and ingress class.
func sessionIngress(in *pipeline.Input) map[string]any {
	ing := in.Settings.Ingress
	out := map[string]any{"domain": ing.Domain, "secret": ing.Secret}
	if ing.Class != "" {
		out["class"] = ing.Class
	}
	return out
}

// workshopSession is the running session. Educates reads its login only at
// creation, which is why it is rendered only once authentication is
// resolved.
func workshopSession(in *pipeline.Input, s api.Session, auth sessionAuth) map[string]any {
	env := []any{
		map[string]any{"name": "SESSION_NAME", "value": in.Tenant.Session(s.Name)},
		map[string]any{"name": "FRAME_ANCESTORS", "value": ""},
	}
	if in.Datalab.Spec.SessionVCluster(s) {
		env = append(env, map[string]any{"name": "KUBECONFIG", "value": vclusterKubeconfig})
	}
	m := compose.Manifest(educatesAPIVersion, "WorkshopSession", "", in.Tenant.Session(s.Name), compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, s.Name))
	m["spec"] = map[string]any{
		"environment": map[string]any{"name": in.Tenant.Environment(s.Name)},
		"session": map[string]any{
			"id":       names.SessionID(),
			"username": auth.username,
			"password": auth.password,
			"ingress":  sessionIngress(in),
			"env":      env,
		},
	}
	return m
}

// workspaceVolume is the session's durable home directory. It exists for
// every declared session, started or stopped.
func workspaceVolume(in *pipeline.Input, s api.Session) map[string]any {
	m := compose.Manifest("v1", "PersistentVolumeClaim", in.Tenant.Environment(s.Name), in.Tenant.WorkspaceVolume(s.Name),
		compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, s.Name))
	spec := map[string]any{
		"accessModes": []any{"ReadWriteOnce"},
		"resources":   map[string]any{"requests": map[string]any{"storage": in.Settings.Storage}},
	}
	if c := in.Settings.StorageClassName; c != "" {
		spec["storageClassName"] = c
	}
	m["spec"] = spec
	return m
}

// registryVolume holds a session's registry images. Like the workspace it is
// composed (stateful, so retained), in the environment namespace, with the
// session's storage class and the requested registry size.
func registryVolume(in *pipeline.Input, s api.Session) map[string]any {
	m := compose.Manifest("v1", "PersistentVolumeClaim", in.Tenant.Environment(s.Name), in.Tenant.RegistryVolume(s.Name),
		compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, s.Name))
	spec := map[string]any{
		"accessModes": []any{"ReadWriteOnce"},
		"resources":   map[string]any{"requests": map[string]any{"storage": in.Settings.RegistryStorage}},
	}
	if c := in.Settings.StorageClassName; c != "" {
		spec["storageClassName"] = c
	}
	m["spec"] = spec
	return m
}
