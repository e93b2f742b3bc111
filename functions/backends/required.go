package main

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
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
		if rsp.Requirements == nil {
			rsp.Requirements = &fnv1.Requirements{}
		}
		if rsp.Requirements.Resources == nil {
			rsp.Requirements.Resources = map[string]*fnv1.ResourceSelector{}
		}
		ns := in.Datalab.Namespace
		rsp.Requirements.Resources[key] = &fnv1.ResourceSelector{
			ApiVersion: "v1",
			Kind:       "Secret",
			Namespace:  &ns,
			Match:      &fnv1.ResourceSelector_MatchName{MatchName: name},
		}
		found, resolved, err := request.GetRequiredResource(in.Request, key)
		if err != nil {
			return nil, false, fmt.Errorf("cannot read the operator Secret %s/%s of database host %s: %w", ns, name, svc.name, err)
		}
		if !resolved {
			pending = true
			continue
		}
		s := operatorSecret{name: name}
		if len(found) > 0 && found[0].Resource != nil {
			s.found = true
			s.data, _ = found[0].Resource.Object["data"].(map[string]any)
		}
		out[svc.name] = s
	}
	return out, pending, nil
}
