package step

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// Remote is the name of the rclone remote in the composed Secret, for
// csi-rclone (`remote`, and the one section of `configData`) and for the
// rclone CLI in sessions (`datalab:`). The predecessor named the remote
// after the access key, which put the key into the plain `remote`
// variable of every session, the mount's remote name and the driver's
// logs, and renamed the remote (breaking scripts) on every rotation. A
// fixed, non-secret name does neither.
const Remote = "datalab"

// remotePath mounts the whole bucket namespace the credentials can see.
const remotePath = "/"

// settings are the effective storage settings: the Secret's endpoint and
// region override the operator's.
type settings struct {
	storageType    string
	provider       string
	endpoint       string
	region         string
	forcePathStyle bool
}

func effective(env *environment.Config, c credentials) settings {
	s := settings{
		storageType:    env.StorageType(),
		provider:       strings.TrimSpace(env.Storage.Provider),
		endpoint:       strings.TrimSpace(env.Storage.Endpoint),
		region:         strings.TrimSpace(env.Storage.Region),
		forcePathStyle: env.StorageForcePathStyle(),
	}
	if c.endpoint != "" {
		s.endpoint = c.endpoint
	}
	if c.region != "" {
		s.region = c.region
	}
	return s
}

// credentialsData is the composed Secret's content, in plain text:
//
//   - AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_FORCE_PATH_STYLE and,
//     when known, AWS_ENDPOINT_URL and AWS_REGION: the AWS CLI, SDKs and the
//     storage browser read these.
//   - remote, remotePath, configData: what csi-rclone reads from the Secret
//     named like the bucket PVC. configData holds exactly one section (the
//     driver rejects more).
//   - RCLONE_CONFIG_DATALAB_*: the same remote for the rclone CLI in a
//     session, through environment variables, so `rclone ls datalab:` works
//     without a config file. It authenticates with env_auth (the AWS_*
//     variables above), so the secret values exist once per session
//     environment, not twice.
//
// Empty endpoint, region and provider are left out rather than written
// empty (an empty AWS_ENDPOINT_URL is not "unset" for every client).
func credentialsData(c credentials, s settings) map[string]string {
	fps := strconv.FormatBool(s.forcePathStyle)
	data := map[string]string{
		"AWS_ACCESS_KEY_ID":       c.accessKey,
		"AWS_SECRET_ACCESS_KEY":   c.secretKey,
		"AWS_S3_FORCE_PATH_STYLE": fps,
		"remote":                  Remote,
		"remotePath":              remotePath,
		"configData":              rcloneConfig(c, s),
	}
	env := "RCLONE_CONFIG_" + strings.ToUpper(Remote) + "_"
	data[env+"TYPE"] = s.storageType
	data[env+"ENV_AUTH"] = "true"
	data[env+"FORCE_PATH_STYLE"] = fps
	if s.endpoint != "" {
		data["AWS_ENDPOINT_URL"] = s.endpoint
		data[env+"ENDPOINT"] = s.endpoint
	}
	if s.region != "" {
		data["AWS_REGION"] = s.region
		data[env+"REGION"] = s.region
	}
	if s.provider != "" {
		data[env+"PROVIDER"] = s.provider
	}
	return data
}

// rcloneConfig is the INI configuration of the remote, one option per
// line in a fixed order. Every value is a single token (validated), so no
// value can start a line of its own.
func rcloneConfig(c credentials, s settings) string {
	var b strings.Builder
	line := func(k, v string) {
		if v != "" {
			b.WriteString(k + " = " + v + "\n")
		}
	}
	b.WriteString("[" + Remote + "]\n")
	line("type", s.storageType)
	line("provider", s.provider)
	line("endpoint", s.endpoint)
	line("region", s.region)
	line("access_key_id", c.accessKey)
	line("secret_access_key", c.secretKey)
	line("force_path_style", strconv.FormatBool(s.forcePathStyle))
	return b.String()
}

// credentialsSecret is the composed Secret <datalab>-storage in the
// Datalab's namespace (composed directly: a namespaced Secret in the XR's
// namespace). Values are written base64-encoded in data, as the API server
// returns them, so the desired and the observed Secret compare equal.
func credentialsSecret(in *pipeline.Input, data map[string]string) map[string]any {
	labels := compose.TenantLabels(in.Datalab.Namespace, in.Datalab.Name)
	labels[compose.LabelComponent] = compose.ComponentStorage
	m := compose.Manifest("v1", "Secret", in.Datalab.Namespace, names.StorageSecret(in.Datalab.Name), labels)
	enc := make(map[string]any, len(data))
	for k, v := range data {
		enc[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	m["type"] = "Opaque"
	m["data"] = enc
	return m
}
