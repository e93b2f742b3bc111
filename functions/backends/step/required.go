package step

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/required"
)

// operatorSecret is a Secret a database operator generates (the
// application role's password), read as a required resource: never copied
// into a non-Secret object.
type operatorSecret struct {
	name  string
	found bool
	data  map[string]any
}

// value is the decoded value of key, or "".
func (s operatorSecret) value(key string) string {
	if !s.found {
		return ""
	}
	return credentials.Decode(s.data, key)
}

// waiting says why the password is not known.
func (s operatorSecret) waiting() string {
	if !s.found {
		return fmt.Sprintf("Secret %s (created by the database operator; not found)", s.name)
	}
	return fmt.Sprintf("Secret %s (created by the database operator; no password in it yet)", s.name)
}

// requirementKey keys a host's operator Secret in required resources.
func requirementKey(host string) string { return "postgres-app-" + host }

// operatorSecrets requires the application-role Secret of every declared
// database host. pending is true while Crossplane has not resolved a new
// requirement: the function then returns only its requirements and is
// called again.
func operatorSecrets(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, p plan) (map[string]operatorSecret, bool, error) {
	out := map[string]operatorSecret{}
	pending := false
	for _, svc := range p.services {
		if svc.kind != names.KindPostgreSQL {
			continue
		}
		name := names.PostgresAppSecret(svc.engine, svc.cr)
		key := requirementKey(svc.name)
		ns := in.Datalab.Namespace
		secret, resolved := required.Secret(in.Request, rsp, key, ns, name)
		if !resolved {
			pending = true
			continue
		}
		s := operatorSecret{name: name}
		if secret != nil {
			s.found = true
			s.data, _ = secret.Object["data"].(map[string]any)
		}
		out[svc.name] = s
	}
	return out, pending, nil
}
