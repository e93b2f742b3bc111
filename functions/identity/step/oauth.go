package step

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/required"
)

// connectionRequirement keys the client's connection Secret in required
// resources.
const connectionRequirement = "oauth-client-connection"

// clientSecretKeys are where provider-keycloak (upjet) and older providers
// put the client secret in the connection Secret, in order of preference.
var clientSecretKeys = []string{"attribute.client_secret", "client_secret", "clientSecret"}

// connection is what the client's connection Secret says.
type connection struct {
	pending bool
	secret  string
}

// clientConnection reads the connection Secret provider-keycloak writes for
// the Datalab's client, as a required resource in the Datalab's namespace
// (it is not composed, so it is not in observed state). The value is
// never logged or reported.
func clientConnection(in *pipeline.Input, rsp *fnv1.RunFunctionResponse) (connection, error) {
	name := names.OAuthClientSecret(in.Datalab.Name)
	ns := in.Datalab.Namespace
	secret, resolved := required.Secret(in.Request, rsp, connectionRequirement, ns, name)
	if !resolved {
		return connection{pending: true}, nil
	}
	if secret == nil {
		return connection{}, nil
	}
	data, _ := secret.Object["data"].(map[string]any)
	for _, k := range clientSecretKeys {
		if v := credentials.Decode(data, k); v != "" {
			return connection{secret: v}, nil
		}
	}
	return connection{}, nil
}

// oauthSecret is the runtime OAuth Secret {client_id, client_secret} for
// ingress-layer consumers (APISIX OIDC, oauth2-proxy, client-credentials
// automation), in the Datalab's namespace. It is composed once the client's
// connection Secret carries the secret; while that Secret is transiently
// unreadable, an OAuth Secret that already exists stays exactly as observed.
func oauthSecret(in *pipeline.Input, kc *keycloak, conn connection) map[string]any {
	if conn.secret == "" {
		return compose.FromObserved(in.Observed, compose.OAuthSecretKey)
	}
	m := compose.Manifest("v1", "Secret", "", names.OAuthSecret(in.Datalab.Name), labels(in))
	m["type"] = "Opaque"
	m["data"] = credentials.Encode(map[string]string{"client_id": kc.clientID, "client_secret": conn.secret})
	return m
}
