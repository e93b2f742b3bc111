package main

import (
	"context"
	"fmt"
	"time"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// ConditionType is the identity step's condition on the Datalab.
const ConditionType = "IdentityReady"

// Function is the identity step.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log logging.Logger
	ttl time.Duration
}

func newFunction(log logging.Logger, ttl time.Duration) fnv1.FunctionRunnerServiceServer {
	return &Function{log: log, ttl: ttl}
}

// RunFunction composes who may enter one Datalab: parse, validate, build,
// emit, report.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	in, rsp, ok := pipeline.Start(req, f.ttl)
	if !ok {
		return rsp, nil
	}
	log := f.log.WithValues("datalab", in.Datalab.Name, "namespace", in.Datalab.Namespace)

	if pipeline.Reject(rsp, validation.Identity(in.Datalab, in.Env)) {
		return rsp, nil
	}
	mode := in.Settings.AuthType
	if mode != environment.AuthCredentials && mode != environment.AuthDelegated {
		// Validation rejects it too; never treat an unknown mode as "no auth".
		response.Fatal(rsp, fmt.Errorf("EnvironmentConfig.data.auth.type: unsupported value %q: use credentials or delegated", mode))
		return rsp, nil
	}
	if err := guardSessions(in, mode); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}

	st := state{mode: mode, keycloak: in.Env.KeycloakManaged()}
	desired := map[resource.Name]*resource.DesiredComposed{}
	put := func(key resource.Name, obj map[string]any) { desired[key] = desiredOf(obj) }

	switch mode {
	case environment.AuthCredentials:
		login, err := loginSecret(in)
		if err != nil {
			response.Fatal(rsp, err)
			return rsp, nil
		}
		put(compose.LoginSecretKey, login)
	case environment.AuthDelegated:
		put(compose.IngressAuthKey, ingressAuth(in, st.keycloak))
	}

	if st.keycloak {
		conn, err := clientConnection(in, rsp)
		if err != nil {
			response.Fatal(rsp, err)
			return rsp, nil
		}
		if conn.pending {
			// The connection Secret requirement is new: Crossplane resolves
			// it and calls again before anything is rendered.
			return rsp, nil
		}
		kc := newKeycloak(in)
		for key, obj := range kc.objects() {
			put(key, obj)
		}
		st.kc = kc
		st.clientSecretSeen = conn.secret != ""
		if obj := oauthSecret(in, kc, conn); obj != nil {
			put(compose.OAuthSecretKey, obj)
		}
	}

	health.Apply(desired, in.Observed, readinessChecks)
	if err := pipeline.Emit(rsp, desired); err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}
	st.report(rsp, in, desired)
	log.Debug("rendered identity", "mode", mode, "keycloak", st.keycloak, "resources", len(desired))
	return rsp, nil
}

// readinessChecks: Secrets and ConfigMaps are ready once they exist; the
// Keycloak managed resources report Ready themselves.
var readinessChecks = map[resource.Name]func(map[resource.Name]resource.ObservedComposed, resource.Name) resource.Ready{
	compose.LoginSecretKey: health.Exists,
	compose.OAuthSecretKey: health.Exists,
	compose.IngressAuthKey: health.Exists,
}
