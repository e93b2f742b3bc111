package environment

import "k8s.io/apimachinery/pkg/runtime"

// The tools every session is promised: awscli and rclone, installed as
// Educates extension packages. The storage step configures both for the
// Datalab's object storage (AWS_* and RCLONE_CONFIG_DATALAB_* variables).
var defaultTools = []map[string]any{
	{"name": "awscli", "files": []any{map[string]any{"image": map[string]any{"url": "ghcr.io/versioneer-tech/educates-extension-packages/awscli:v2.29.0"}}}},
	{"name": "rclone", "files": []any{map[string]any{"image": map[string]any{"url": "ghcr.io/versioneer-tech/educates-extension-packages/rclone:v1.71.0"}}}},
}

// SessionPackages are the Educates packages every session installs: the
// operator's `packages`, and the default tools (awscli, rclone) unless
// `runtime.defaultTools` is false or the operator lists a package of the
// same name (to pin another version).
func (c *Config) SessionPackages() []any {
	out := make([]any, 0, len(c.Packages)+len(defaultTools))
	listed := map[string]bool{}
	for _, p := range c.Packages {
		out = append(out, p)
		if n, ok := p["name"].(string); ok {
			listed[n] = true
		}
	}
	if c.Runtime.DefaultTools != nil && !bool(*c.Runtime.DefaultTools) {
		return out
	}
	for _, p := range defaultTools {
		if !listed[p["name"].(string)] {
			// A copy: a later step editing one Workshop's packages must
			// not change the defaults.
			out = append(out, runtime.DeepCopyJSON(p))
		}
	}
	return out
}
