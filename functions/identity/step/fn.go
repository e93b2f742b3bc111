package step

import (
	"fmt"
	"maps"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/response"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// ConditionType is the identity step's condition on the Datalab.
const ConditionType = "IdentityReady"

// Run composes who may enter one Datalab: parse, validate, build,
// emit, report.
func Run(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, log logging.Logger) {

	if pipeline.Reject(rsp, validation.Identity(in.Datalab, in.Env)) {
		return
	}
	mode := in.Settings.AuthType
	if mode != environment.AuthCredentials && mode != environment.AuthDelegated {
		// Validation rejects it too; never treat an unknown mode as "no auth".
		response.Fatal(rsp, fmt.Errorf("EnvironmentConfig.data.auth.type: unsupported value %q: use credentials or delegated", mode))
		return
	}
	if err := guardSessions(in, mode); err != nil {
		response.Fatal(rsp, err)
		return
	}

	st := state{mode: mode, keycloak: in.Env.KeycloakManaged()}
	readiness := maps.Clone(readinessChecks)
	desired := map[resource.Name]*resource.DesiredComposed{}
	put := func(key resource.Name, obj map[string]any) { desired[key] = desiredOf(obj) }

	switch mode {
	case environment.AuthCredentials:
		login, err := loginSecret(in)
		if err != nil {
			response.Fatal(rsp, err)
			return
		}
		put(compose.LoginSecretKey, login)
	case environment.AuthDelegated:
		put(compose.IngressAuthKey, ingressAuth(in, st.keycloak))
	}

	if st.keycloak {
		conn, err := clientConnection(in, rsp)
		if err != nil {
			response.Fatal(rsp, err)
			return
		}
		if conn.pending {
			// The connection Secret requirement is new: Crossplane resolves
			// it and calls again before anything is rendered.
			return
		}
		kc := newKeycloak(in)
		for key, obj := range kc.objects() {
			put(key, obj)
		}
		agents, err := kc.agentObjects()
		if err != nil {
			response.Fatal(rsp, err)
			return
		}
		for key, obj := range agents {
			put(key, obj)
			if obj["kind"] == "Secret" {
				readiness[key] = health.Exists
			}
		}
		st.kc = kc
		st.clientSecretSeen = conn.secret != ""
		if obj := oauthSecret(in, kc, conn); obj != nil {
			put(compose.OAuthSecretKey, obj)
		}
	}

	health.Apply(desired, in.Observed, readiness)
	if err := pipeline.Emit(in, rsp, desired); err != nil {
		response.Fatal(rsp, err)
		return
	}
	st.report(rsp, in, desired)
	log.Debug("rendered identity", "mode", mode, "keycloak", st.keycloak, "resources", len(desired))
}

// readinessChecks: Secrets and ConfigMaps are ready once they exist; the
// Keycloak managed resources report Ready themselves.
var readinessChecks = map[resource.Name]func(*observed.Resources, resource.Name) resource.Ready{
	compose.LoginSecretKey: health.Exists,
	compose.OAuthSecretKey: health.Exists,
	compose.IngressAuthKey: health.Exists,
}
