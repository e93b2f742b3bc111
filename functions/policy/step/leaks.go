package step

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// minCredential is the shortest value treated as a credential: shorter
// values (ports, flags) would match by accident.
const minCredential = 8

// credentialKeyWords mark Secret keys whose values are credentials (as
// opposed to host names, regions or user names that Secrets also carry).
// A URL or configuration that embeds a credential contains its value, so
// it is found through the credential's own key.
var credentialKeyWords = []string{"password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "credential", "private"}

// credential is where a credential value came from (never the value).
type credential struct {
	value       string
	secret, key string
}

// credentials collects the credential values of every Secret the pipeline
// composes (directly or wrapped in an Object), so that the gate can look
// for them anywhere else.
func credentials(desired map[resource.Name]*resource.DesiredComposed) []credential {
	seen := map[string]credential{}
	for _, key := range slices.Sorted(maps.Keys(desired)) {
		for _, nm := range nestedManifests(desired[key].Resource.Object, path{}) {
			m := nm.m
			if str(m, "kind") != "Secret" || groupOf(str(m, "apiVersion")) != "" {
				continue
			}
			name := str(m, "metadata", "name")
			add := func(k, v string) {
				lk := strings.ToLower(k)
				for _, w := range credentialKeyWords {
					if strings.Contains(lk, w) && len(v) >= minCredential {
						if _, ok := seen[v]; !ok {
							seen[v] = credential{value: v, secret: name, key: k}
						}
						return
					}
				}
			}
			for k, v := range asMap(m["data"]) {
				if s, ok := v.(string); ok {
					if b, err := base64.StdEncoding.DecodeString(s); err == nil {
						add(k, string(b))
					}
				}
			}
			for k, v := range asMap(m["stringData"]) {
				if s, ok := v.(string); ok {
					add(k, s)
				}
			}
		}
	}
	out := make([]credential, 0, len(seen))
	for _, c := range seen {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].secret+out[i].key < out[j].secret+out[j].key })
	return out
}

// leaks finds credential values outside Secrets. The WorkshopSession's
// spec.session.password is the one documented exception: Educates takes
// the session login only as plain fields.
func leaks(key resource.Name, obj map[string]any, creds []credential) field.ErrorList {
	if len(creds) == 0 {
		return nil
	}
	var errs field.ErrorList
	var walk func(v any, p path, inSecret, inSession bool)
	walk = func(v any, p path, inSecret, inSession bool) {
		switch t := v.(type) {
		case map[string]any:
			if k, ok := t["kind"].(string); ok {
				if av, ok := t["apiVersion"].(string); ok {
					inSecret = k == "Secret" && groupOf(av) == ""
					inSession = k == "WorkshopSession" && groupOf(av) == educatesGroup
				}
			}
			if inSecret {
				return
			}
			for k, x := range t {
				walk(x, append(p, k), inSecret, inSession)
			}
		case []any:
			for i, it := range t {
				walk(it, append(p, i), inSecret, inSession)
			}
		case string:
			if inSession && endsWith(p, "spec", "session", "password") {
				return
			}
			for _, c := range creds {
				if strings.Contains(t, c.value) {
					errs = append(errs, field.Forbidden(p.field(key), fmt.Sprintf("carries the credential of Secret %s key %s; reference the Secret (valueFrom.secretKeyRef, envFrom) instead of copying its value", c.secret, c.key)))
					return
				}
			}
		}
	}
	walk(obj, make(path, 0, 16), false, false)
	return errs
}

func endsWith(p path, tail ...string) bool {
	if len(p) < len(tail) {
		return false
	}
	for i, s := range tail {
		if p[len(p)-len(tail)+i] != s {
			return false
		}
	}
	return true
}
