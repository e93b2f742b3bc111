package step

import (
	"fmt"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// storeCredentials composes a store's credentials Secret. Every value is
// random (crypto/rand), created once and reused from the observed Secret
// on every later reconcile: never derived from names, never regenerated
// while the Secret holds it. A value missing from the Secret (deleted by
// hand) is generated anew. It returns the values known to exist in the
// cluster, the only ones the services Secret publishes.
func storeCredentials(o *output, svc *service, key resource.Name, keys []string) (map[string]string, error) {
	values := make(map[string]string, len(keys))
	known := map[string]string{}
	for _, k := range keys {
		if v := credentials.Observed(o.in.Observed, key, k); v != "" {
			values[k] = v
			known[k] = v
			continue
		}
		id := fmt.Sprintf("%s/%s/%s/%s/%s", o.in.Datalab.Namespace, o.in.Datalab.Name, svc.kind, svc.name, k)
		v, err := credentials.Password(id)
		if err != nil {
			return nil, err
		}
		values[k] = v
	}
	m := o.manifest("v1", "Secret", names.CredentialsSecret(svc.cr), svc)
	m["metadata"].(map[string]any)["annotations"] = map[string]any{compose.AnnotationCredentials: "generated"}
	m["type"] = "Opaque"
	m["data"] = credentials.Encode(values)
	o.put(key, svc, m, true, healthExists)
	return known, nil
}

// missing reports whether any of want is not known.
func missing(known map[string]string, want ...string) bool {
	for _, k := range want {
		if known[k] == "" {
			return true
		}
	}
	return false
}
