package main

import (
	"encoding/base64"
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// loginRequirement keys the session login Secret in required resources.
const loginRequirement = "session-login"

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

// resolveAuth decides the login of new sessions from the documented
// contracts only: delegated mode hands authentication to the ingress layer
// (Educates' own gateway check is turned off with user "*"); credentials
// mode needs the login Secret the identity step maintains.
func resolveAuth(in *pipeline.Input, rsp *fnv1.RunFunctionResponse) (sessionAuth, error) {
	switch in.Settings.AuthType {
	case environment.AuthDelegated:
		return sessionAuth{mode: environment.AuthDelegated, resolved: true, username: "*"}, nil
	case environment.AuthCredentials:
	default:
		return sessionAuth{}, fmt.Errorf("EnvironmentConfig.data.auth.type: unsupported value %q: use credentials or delegated", in.Settings.AuthType)
	}

	name := names.SessionLoginSecret(in.Datalab.Name)
	if rsp.Requirements == nil {
		rsp.Requirements = &fnv1.Requirements{}
	}
	if rsp.Requirements.Resources == nil {
		rsp.Requirements.Resources = map[string]*fnv1.ResourceSelector{}
	}
	rsp.Requirements.Resources[loginRequirement] = &fnv1.ResourceSelector{
		ApiVersion: "v1",
		Kind:       "Secret",
		Namespace:  ptr(in.Datalab.Namespace),
		Match:      &fnv1.ResourceSelector_MatchName{MatchName: name},
	}
	found, resolved, err := request.GetRequiredResource(in.Request, loginRequirement)
	if err != nil {
		return sessionAuth{}, fmt.Errorf("cannot read the session login Secret %q: %w", name, err)
	}
	a := sessionAuth{mode: environment.AuthCredentials}
	if !resolved {
		a.pending = true
		return a, nil
	}
	if len(found) == 0 {
		a.reason = fmt.Sprintf("session login Secret %s/%s does not exist yet (the identity step creates it)", in.Datalab.Namespace, name)
		return a, nil
	}
	data, _ := found[0].Resource.Object["data"].(map[string]any)
	a.username = decoded(data, "username")
	a.password = decoded(data, "password")
	if a.username == "" || a.password == "" {
		a.reason = fmt.Sprintf("session login Secret %s/%s lacks the keys username and password", in.Datalab.Namespace, name)
		a.username, a.password = "", ""
		return a, nil
	}
	a.resolved = true
	return a, nil
}

func decoded(data map[string]any, key string) string {
	s, _ := data[key].(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return ""
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }
