package step

import (
	"fmt"
	"unicode/utf8"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/required"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// sessionAuth is how new sessions authenticate. A session is only rendered
// once this is resolved, so no session is ever created unauthenticated.
type sessionAuth struct {
	mode     string
	resolved bool
	pending  bool
	username string
	password string
	// reason says what is missing while unresolved.
	reason string
}

// awaiting is the RuntimeReady reason while new sessions wait for their
// authentication: the login (credentials) or the ingress protection
// (delegated).
func (a sessionAuth) awaiting() string {
	if a.mode == environment.AuthDelegated {
		return "AwaitingProtection"
	}
	return "AwaitingAuthentication"
}

// resolveAuth decides the login of new sessions from the documented
// contracts only: delegated mode hands authentication to the ingress layer
// (Educates' own gateway check is turned off with user "*"); credentials
// mode needs the login Secret the identity step maintains.
func resolveAuth(in *pipeline.Input, rsp *fnv1.RunFunctionResponse) (sessionAuth, error) {
	switch in.Settings.AuthType {
	case environment.AuthDelegated:
		return delegated(in, rsp)
	case environment.AuthCredentials:
	default:
		return sessionAuth{}, fmt.Errorf("EnvironmentConfig.data.auth.type: unsupported value %q: use credentials or delegated", in.Settings.AuthType)
	}

	name := names.SessionLoginSecret(in.Datalab.Name)
	a := sessionAuth{mode: environment.AuthCredentials}
	data, exists := loginData(in, name)
	if !exists {
		a.reason = fmt.Sprintf("session login Secret %s/%s does not exist yet (the identity step creates it)", in.Datalab.Namespace, name)
		return a, nil
	}
	a.username = credentials.Decode(data, "username")
	a.password = credentials.Decode(data, "password")
	if a.username == "" || a.password == "" {
		a.reason = fmt.Sprintf("session login Secret %s/%s lacks the keys username and password", in.Datalab.Namespace, name)
		a.username, a.password = "", ""
		return a, nil
	}
	if !usableLogin(a.username) || !usableLogin(a.password) {
		// Never echo the value: it would reach results and events.
		a.reason = fmt.Sprintf("session login Secret %s/%s holds a username or password that is not one line of valid UTF-8; delete the Secret and the identity step makes a new one", in.Datalab.Namespace, name)
		a.username, a.password = "", ""
		return a, nil
	}
	a.resolved = true
	return a, nil
}

// loginData is the data of the session login Secret as this pipeline
// composed it (compose.LoginSecretKey, written by the identity step after
// this one), read from observed state: nil until it exists. Reading it
// from observed state, not as a required resource, costs no second call
// and never trusts a Secret of that name that the pipeline did not
// compose (a tenant's own, say).
func loginData(in *pipeline.Input, name string) (data map[string]any, exists bool) {
	s := in.Observed.Raw(compose.LoginSecretKey)
	if s.GetFields()["kind"].GetStringValue() != "Secret" || observed.Path(s, "metadata").GetFields()["name"].GetStringValue() != name {
		return nil, false
	}
	return in.Observed.Part(compose.LoginSecretKey, "data"), true
}

// usableLogin: the login goes into a WorkshopSession as a string, which
// must be valid UTF-8 (the wire format refuses anything else) and one line.
func usableLogin(v string) bool {
	return utf8.ValidString(v) && validation.SingleToken(v)
}

// delegated: the ingress layer authenticates (Educates' gateway check is
// turned off with user "*"), so a session is rendered only while the
// object the operator named in auth.protection is in place: it exists
// and, when it reports a Ready condition, that condition is True.
func delegated(in *pipeline.Input, rsp *fnv1.RunFunctionResponse) (sessionAuth, error) {
	a := sessionAuth{mode: environment.AuthDelegated, username: "*"}
	p := in.Env.Auth.Protection
	if p == nil {
		// Validation requires it in delegated mode.
		return a, fmt.Errorf("EnvironmentConfig.data.auth.protection: required with auth.type delegated")
	}
	obj, resolved := required.Object(in.Request, rsp, environment.ProtectionRequirement, p.APIVersion, p.Kind, p.Namespace, p.Name)
	switch {
	case !resolved:
		a.pending = true
	case obj == nil:
		a.reason = fmt.Sprintf("the ingress protection %s (EnvironmentConfig.data.auth.protection) does not exist; sessions start once the operator installs it", p)
	case health.ReadyCondition(obj.Object) == resource.ReadyFalse:
		a.reason = fmt.Sprintf("the ingress protection %s (EnvironmentConfig.data.auth.protection) is not Ready", p)
	default:
		a.resolved = true
	}
	return a, nil
}
