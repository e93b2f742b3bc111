// Package credentials makes the random credentials steps compose (session
// logins, service passwords) and reads them back from observed state, so a
// credential is created once and reused on every later reconcile.
package credentials

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// PasswordBytes is the randomness of a password: 24 bytes (192 bits), 32
// URL-safe characters.
const PasswordBytes = 24

// renderSeed, when set, makes Password deterministic. server.CLI sets it
// only together with --insecure, which a real Crossplane never uses (it
// always dials functions with mTLS): it exists so that local renders and
// render goldens are byte-stable.
var renderSeed []byte

// SetRenderSeed makes every later Password a function of the seed and the
// credential's id. Call it only at start-up, only for local rendering.
func SetRenderSeed(seed string) { renderSeed = []byte(seed) }

// Password returns a new password of 32 URL-safe characters from
// crypto/rand. id names the credential (for example
// "<namespace>/<datalab>/session-login"); it only matters in render mode.
func Password(id string) (string, error) {
	b := make([]byte, PasswordBytes)
	if renderSeed != nil {
		m := hmac.New(sha256.New, renderSeed)
		m.Write([]byte(id))
		copy(b, m.Sum(nil))
	} else if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("cannot read random bytes for %s: %w", id, err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Observed returns the decoded value of key in the data of the observed
// composed Secret composed under name, or "" when the Secret was not
// observed, lacks the key or holds no valid base64 there.
func Observed(obs *observed.Resources, name resource.Name, key string) string {
	oc, ok := obs.Get(name)
	if !ok || oc.Resource == nil {
		return ""
	}
	data, _ := oc.Resource.Object["data"].(map[string]any)
	return Decode(data, key)
}

// Decode returns the base64-decoded value of key in a Secret's data, or "".
func Decode(data map[string]any, key string) string {
	s, _ := data[key].(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return ""
	}
	return string(b)
}

// Encode returns a Secret's data map for the given plain values.
func Encode(values map[string]string) map[string]any {
	out := make(map[string]any, len(values))
	for k, v := range values {
		out[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	return out
}
