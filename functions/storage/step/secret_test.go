package step

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

func boolish(b bool) *environment.Boolish { v := environment.Boolish(b); return &v }

func TestEffectiveSecretOverridesEnvironment(t *testing.T) {
	env := &environment.Config{Storage: environment.Storage{Endpoint: "https://env", Region: "env-region", Provider: "Ceph"}}
	cases := map[string]struct {
		creds credentials
		want  settings
	}{
		"environment": {credentials{}, settings{storageType: "s3", provider: "Ceph", endpoint: "https://env", region: "env-region", forcePathStyle: true}},
		"secret wins": {credentials{endpoint: "https://own", region: "own-region"},
			settings{storageType: "s3", provider: "Ceph", endpoint: "https://own", region: "own-region", forcePathStyle: true}},
		"only region": {credentials{region: "own-region"},
			settings{storageType: "s3", provider: "Ceph", endpoint: "https://env", region: "own-region", forcePathStyle: true}},
	}
	for name, c := range cases {
		if d := cmp.Diff(c.want, effective(env, c.creds), cmp.AllowUnexported(settings{})); d != "" {
			t.Errorf("%s: %s", name, d)
		}
	}
	off := &environment.Config{Storage: environment.Storage{ForcePathStyle: boolish(false)}}
	if effective(off, credentials{}).forcePathStyle {
		t.Error("force_path_style false was not honoured (the predecessor's bug)")
	}
}

func TestCredentialsData(t *testing.T) {
	c := credentials{accessKey: "AK", secretKey: "SK"}
	full := credentialsData(c, settings{storageType: "s3", provider: "Other", endpoint: "https://s3", region: "r1", forcePathStyle: true})
	want := map[string]string{
		"AWS_ACCESS_KEY_ID":                      "AK",
		"AWS_SECRET_ACCESS_KEY":                  "SK",
		"AWS_ENDPOINT_URL":                       "https://s3",
		"AWS_REGION":                             "r1",
		"AWS_S3_FORCE_PATH_STYLE":                "true",
		"remote":                                 "datalab",
		"remotePath":                             "/",
		"configData":                             "[datalab]\ntype = s3\nprovider = Other\nendpoint = https://s3\nregion = r1\naccess_key_id = AK\nsecret_access_key = SK\nforce_path_style = true\n",
		"RCLONE_CONFIG_DATALAB_TYPE":             "s3",
		"RCLONE_CONFIG_DATALAB_PROVIDER":         "Other",
		"RCLONE_CONFIG_DATALAB_ENV_AUTH":         "true",
		"RCLONE_CONFIG_DATALAB_ENDPOINT":         "https://s3",
		"RCLONE_CONFIG_DATALAB_REGION":           "r1",
		"RCLONE_CONFIG_DATALAB_FORCE_PATH_STYLE": "true",
	}
	if d := cmp.Diff(want, full); d != "" {
		t.Error(d)
	}

	// Unknown endpoint, region and provider are left out, not blank.
	bare := credentialsData(c, settings{storageType: "s3", forcePathStyle: false})
	for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_REGION", "RCLONE_CONFIG_DATALAB_ENDPOINT", "RCLONE_CONFIG_DATALAB_REGION", "RCLONE_CONFIG_DATALAB_PROVIDER"} {
		if v, ok := bare[k]; ok {
			t.Errorf("%s=%q written although unknown", k, v)
		}
	}
	if bare["AWS_S3_FORCE_PATH_STYLE"] != "false" || !strings.Contains(bare["configData"], "force_path_style = false\n") {
		t.Error("force_path_style false not written")
	}
	if strings.Contains(bare["configData"], "endpoint") || strings.Contains(bare["configData"], "provider") {
		t.Errorf("empty options in configData:\n%s", bare["configData"])
	}
}

// TestRemoteIsNotASecret: the remote name is the fixed, non-secret
// "datalab", whatever the credentials; csi-rclone needs exactly one
// section, named like the remote.
func TestRemoteIsNotASecret(t *testing.T) {
	for _, c := range []credentials{{accessKey: "AKIAEXAMPLE", secretKey: "s"}, {accessKey: "other", secretKey: "t"}} {
		d := credentialsData(c, settings{storageType: "s3"})
		if d["remote"] != Remote || strings.Contains(d["remote"], c.accessKey) {
			t.Errorf("remote %q", d["remote"])
		}
		if n := strings.Count(d["configData"], "["); n != 1 || !strings.HasPrefix(d["configData"], "["+Remote+"]\n") {
			t.Errorf("configData must hold exactly the one section [%s]:\n%s", Remote, d["configData"])
		}
	}
}

func TestCredentialsSecret(t *testing.T) {
	in := &pipeline.Input{Datalab: &api.Datalab{Name: "lab", Namespace: "team"}}
	s := credentialsSecret(in, map[string]string{"AWS_ACCESS_KEY_ID": "AK", "configData": "[datalab]\n"})
	md := s["metadata"].(map[string]any)
	if s["apiVersion"] != "v1" || s["kind"] != "Secret" || s["type"] != "Opaque" || md["name"] != "lab-storage" || md["namespace"] != "team" {
		t.Fatalf("identity: %v", s)
	}
	labels := md["labels"].(map[string]any)
	if labels[compose.LabelDatalab] != "lab" || labels[compose.LabelNamespace] != "team" || labels[compose.LabelComponent] != compose.ComponentStorage {
		t.Errorf("labels: %v", labels)
	}
	d := s["data"].(map[string]any)
	for k, want := range map[string]string{"AWS_ACCESS_KEY_ID": "AK", "configData": "[datalab]\n"} {
		b, err := base64.StdEncoding.DecodeString(d[k].(string))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", k, b, err)
		}
	}
	if _, ok := s["stringData"]; ok {
		t.Error("stringData is write-only: keys removed from it would linger in data under server-side apply")
	}
}
