package api

import (
	"encoding/json"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// FromComposite reads the Datalab spec out of the observed composite
// resource. It accepts exactly the shapes the XRD does (the predecessor's
// plain-string sessions and running/paused states are refused, as the API
// server refuses them), so a claim that bypassed the XRD is no different.
func FromComposite(xr *unstructured.Unstructured) (*Datalab, error) {
	d := &Datalab{
		Name:        xr.GetName(),
		Namespace:   xr.GetNamespace(),
		Labels:      xr.GetLabels(),
		Annotations: xr.GetAnnotations(),
	}
	spec, _ := xr.Object["spec"].(map[string]any)
	if spec == nil {
		return d, nil
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("spec: cannot encode: %w", err)
	}
	if err := json.Unmarshal(b, &d.Spec); err != nil {
		return nil, fmt.Errorf("spec: does not match the %s schema: %w", APIVersion, err)
	}
	if files, ok := spec["files"].([]any); ok {
		for i := range d.Spec.Files {
			if m, ok := files[i].(map[string]any); ok {
				d.Spec.Files[i].Raw = m
			}
		}
	}
	for i := range d.Spec.Sessions {
		d.Spec.Sessions[i].State = NormaliseState(d.Spec.Sessions[i].State)
	}
	return d, nil
}

// NormaliseState gives an unset state its default, started; any other
// value is kept as written, so validation names what the XRD refuses.
func NormaliseState(s string) string {
	if s == "" {
		return StateStarted
	}
	return s
}

// Started reports whether the session should be running.
func (s Session) Started() bool { return s.State == StateStarted }

// DataEnabled reports whether the storage browser is on (default on).
func (s Spec) DataEnabled() bool { return s.Data == nil || s.Data.Enabled == nil || *s.Data.Enabled }

// DataReadOnly reports whether the bucket is mounted read-only.
func (s Spec) DataReadOnly() bool { return s.Data != nil && s.Data.ReadOnlyMount }

// RegistryEnabled reports whether sessions get a Docker registry.
func (s Spec) RegistryEnabled() bool { return s.Registry != nil && s.Registry.Enabled }

// Services is the number of data services the spec requests (databases,
// document, cache and vector stores), which run in the Datalab's namespace.
func (s Spec) Services() int {
	return len(s.Databases) + len(s.DocumentStores) + len(s.CacheStores) + len(s.VectorStores)
}

// SessionVCluster resolves a session's vcluster choice: the session's own
// setting, else the Datalab-wide spec.vcluster.
func (s Spec) SessionVCluster(sess Session) bool {
	if sess.VCluster != nil {
		return *sess.VCluster
	}
	return s.VCluster
}

// EffectiveSecretName is the tenant's storage Secret name (default: the
// Datalab's name).
func (d *Datalab) EffectiveSecretName() string {
	if s := strings.TrimSpace(d.Spec.SecretName); s != "" {
		return s
	}
	return d.Name
}

// Fields returns a file source as written in the claim, or, for one built
// in code, its typed fields.
func (f File) Fields() map[string]any {
	if f.Raw != nil {
		return f.Raw
	}
	var m map[string]any
	if b, err := json.Marshal(f); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}
