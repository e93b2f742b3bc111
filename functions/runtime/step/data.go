package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// The storage browser ("data"): a file browser on the tenant's bucket,
// mounted through the csi-rclone driver (a platform prerequisite), shown as
// a dashboard tab and reached through the Educates session proxy, so it is
// behind the session's authentication.
const (
	dataPort         = 8888
	bucketClass      = "csi-rclone"
	bucketVolumeSize = "1Mi"
)

func dataDashboard() map[string]any {
	return map[string]any{"name": "Data", "url": "$(ingress_protocol)://data-$(session_name).$(ingress_domain)/"}
}

func dataIngress() map[string]any {
	return map[string]any{
		"name":     "data",
		"protocol": "http",
		"host":     "data-$(session_name).$(workshop_namespace).svc.$(cluster_domain)",
		"port":     dataPort,
	}
}

// bucketVolume is the csi-rclone PVC of the bucket. csi-rclone reads the
// rclone remote from the Secret named like the PVC, which is the storage
// Secret Educates copies into the workshop namespace.
func bucketVolume(in *pipeline.Input) map[string]any {
	mode := "ReadWriteMany"
	if in.Datalab.Spec.DataReadOnly() {
		mode = "ReadOnlyMany"
	}
	return map[string]any{
		"apiVersion": "v1",
		"kind":       "PersistentVolumeClaim",
		"metadata":   map[string]any{"name": names.BucketVolume(in.Datalab.Name), "namespace": names.VarWorkshopNamespace},
		"spec": map[string]any{
			"accessModes":      []any{mode},
			"resources":        map[string]any{"requests": map[string]any{"storage": bucketVolumeSize}},
			"storageClassName": bucketClass,
		},
	}
}

// dataObjects are the per-session Deployment and Service of the browser.
// Unlike the predecessor's, the pod runs without any service account token:
// a file browser needs no Kubernetes rights.
func dataObjects(in *pipeline.Input) []any {
	readOnly := in.Datalab.Spec.DataReadOnly()
	mapper, changing := "writer-noshare", "true"
	if readOnly {
		mapper, changing = "reader-noshare", "false"
	}
	secret := names.StorageSecret(in.Datalab.Name)
	labels := map[string]any{"app.kubernetes.io/name": "data", "app.kubernetes.io/instance": "data-" + names.VarSessionName}
	storageEnv := func(name, key string) map[string]any {
		return map[string]any{"name": name, "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": secret, "key": key, "optional": true}}}
	}
	plain := func(name, value string) map[string]any { return map[string]any{"name": name, "value": value} }
	fromNamespace := func(name string) map[string]any {
		return map[string]any{"name": name, "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "metadata.namespace"}}}
	}
	container := map[string]any{
		"name":            "data",
		"image":           in.Settings.DataImage,
		"imagePullPolicy": "IfNotPresent",
		"ports":           []any{map[string]any{"name": "http", "containerPort": dataPort}},
		"env": []any{
			plain("FB_AUTH_MAPPER", mapper),
			plain("FB_ALLOW_CHANGING", changing),
			plain("FB_ALLOW_SHARING", "false"),
			plain("FB_CREATE_USER_DIR", "false"),
			plain("FB_DATABASE", "/db/bolt.db"),
			plain("FB_SERVER_PORT", "8888"),
			plain("FB_ROOT", "/workspace"),
			plain("FB_AUTH_HEADER", "Accept"),
			fromNamespace("WORKSPACE"),
			fromNamespace("FB_BRANDING_NAME"),
			storageEnv("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
			storageEnv("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
			storageEnv("AWS_REGION", "AWS_REGION"),
			storageEnv("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL"),
			storageEnv("AWS_S3_FORCE_PATH_STYLE", "AWS_S3_FORCE_PATH_STYLE"),
		},
		"resources": map[string]any{
			"requests": map[string]any{"cpu": "100m", "memory": "128Mi"},
			"limits":   map[string]any{"cpu": "1", "memory": "512Mi"},
		},
		"securityContext": map[string]any{
			"allowPrivilegeEscalation": false,
			"capabilities":             map[string]any{"drop": []any{"ALL"}},
		},
		"readinessProbe": map[string]any{
			"exec":          map[string]any{"command": []any{"stat", "/workspace"}},
			"periodSeconds": 10,
		},
		// Fails only when the FUSE mount died, so a slow bucket does not
		// restart the pod.
		"livenessProbe": map[string]any{
			"exec": map[string]any{"command": []any{"sh", "-c",
				"! ls /workspace 2>&1 | grep -q 'Transport endpoint is not connected'"}},
			"periodSeconds": 20,
		},
		"volumeMounts": []any{
			map[string]any{"name": "data", "mountPath": "/workspace", "readOnly": readOnly},
			map[string]any{"name": "db", "mountPath": "/db"},
		},
	}
	deployment := map[string]any{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata":   map[string]any{"name": "data-" + names.VarSessionName, "namespace": names.VarWorkshopNamespace, "labels": labels},
		"spec": map[string]any{
			"replicas": 1,
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{
					"automountServiceAccountToken": false,
					"securityContext": map[string]any{
						"runAsNonRoot":        true,
						"runAsUser":           1000,
						"runAsGroup":          100,
						"fsGroup":             100,
						"fsGroupChangePolicy": "OnRootMismatch",
						"seccompProfile":      map[string]any{"type": "RuntimeDefault"},
					},
					"containers": []any{container},
					"volumes": []any{
						map[string]any{"name": "data", "persistentVolumeClaim": map[string]any{"claimName": names.BucketVolume(in.Datalab.Name), "readOnly": readOnly}},
						map[string]any{"name": "db", "emptyDir": map[string]any{}},
					},
				},
			},
		},
	}
	service := map[string]any{
		"apiVersion": "v1",
		"kind":       "Service",
		"metadata":   map[string]any{"name": "data-" + names.VarSessionName, "namespace": names.VarWorkshopNamespace, "labels": labels},
		"spec": map[string]any{
			"type":     "ClusterIP",
			"selector": labels,
			"ports":    []any{map[string]any{"name": "http", "port": dataPort, "targetPort": "http"}},
		},
	}
	return []any{deployment, service}
}
