package step

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
)

// TestGoldenSecretsOnlyInSecrets proves for every render golden that no
// credential (generated, or read from an operator's Secret) appears
// anywhere but in Secrets: not in status, conditions, results, Objects or
// other manifests, neither plain nor base64-encoded.
func TestGoldenSecretsOnlyInSecrets(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "*"))
	checked := 0
	for _, dir := range dirs {
		out, err := os.ReadFile(filepath.Join(dir, "expected.yaml"))
		if err != nil {
			continue
		}
		var secrets []string
		var others []string
		collect := func(text string, fromSecrets bool) {
			for _, raw := range strings.Split("\n"+text, "\n---") {
				var m map[string]any
				if err := yaml.Unmarshal([]byte(raw), &m); err != nil || m == nil {
					others = append(others, raw)
					continue
				}
				if m["kind"] != "Secret" {
					others = append(others, raw)
					continue
				}
				md, _ := m["metadata"].(map[string]any)
				ann, _ := md["annotations"].(map[string]any)
				data, _ := m["data"].(map[string]any)
				for k, v := range data {
					s, _ := v.(string)
					b, _ := base64.StdEncoding.DecodeString(s)
					secret := fromSecrets && (k == "password" || k == "uri") ||
						ann[compose.AnnotationCredentials] == "generated" ||
						strings.HasSuffix(k, "_PASSWORD") || strings.HasSuffix(k, "_API_KEY")
					if secret && len(b) >= 8 {
						secrets = append(secrets, string(b))
					}
				}
			}
		}
		collect(string(out), false)
		if req, err := os.ReadFile(filepath.Join(dir, "required.yaml")); err == nil {
			collect(string(req), true)
		}
		for _, s := range secrets {
			for _, o := range others {
				if strings.Contains(o, s) || strings.Contains(o, base64.StdEncoding.EncodeToString([]byte(s))) {
					t.Errorf("%s: a credential appears outside a Secret:\n%s", dir, o)
				}
			}
		}
		checked += len(secrets)
	}
	if checked == 0 {
		t.Fatal("no credentials found in the goldens: the check proves nothing")
	}
}
