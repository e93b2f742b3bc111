package step

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Reasons of the IdentityReady condition.
const (
	ReasonAvailable            = "Available"
	ReasonAwaitingLogin        = "AwaitingLogin"
	ReasonCreating             = "Creating"
	ReasonAwaitingClientSecret = "AwaitingClientSecret"
)

// state is what this reconcile decided, for the condition.
type state struct {
	mode             string
	keycloak         bool
	kc               *keycloak
	clientSecretSeen bool
}

// report sets IdentityReady: False with every reason sessions or ingress
// consumers still wait for (the most blocking first), True once sessions
// can authenticate and every identity object is ready. Messages name
// objects, never values.
func (s state) report(rsp *fnv1.RunFunctionResponse, in *pipeline.Input, desired map[resource.Name]*resource.DesiredComposed) {
	ns, dl := in.Datalab.Namespace, in.Datalab.Name
	var reasons, msgs []string
	wait := func(reason, msg string) {
		reasons = append(reasons, reason)
		msgs = append(msgs, msg)
	}

	// What the API server, Keycloak or an admission controller refused
	// comes first: it does not go away by waiting.
	for _, k := range slices.Sorted(maps.Keys(desired)) {
		if f, ok := health.Failure(in.Observed, k); ok {
			wait(f.Reason, string(k)+": "+f.Message)
		}
	}
	if s.mode == environment.AuthCredentials && desired[compose.LoginSecretKey].Ready != resource.ReadyTrue {
		wait(ReasonAwaitingLogin, fmt.Sprintf("creating the session login Secret %s/%s; no session starts before it exists", ns, names.SessionLoginSecret(dl)))
	}
	var unready []string
	for k, dc := range desired {
		if k != compose.LoginSecretKey && dc.Ready != resource.ReadyTrue {
			unready = append(unready, string(k))
		}
	}
	if len(unready) > 0 {
		wait(ReasonCreating, "waiting for "+summary(unready))
	}
	if s.keycloak {
		if _, ok := desired[compose.OAuthSecretKey]; !ok {
			wait(ReasonAwaitingClientSecret, fmt.Sprintf("waiting for provider-keycloak to write the client's connection Secret %s/%s; the OAuth Secret %s/%s follows",
				ns, names.OAuthClientSecret(dl), ns, names.OAuthSecret(dl)))
		} else if !s.clientSecretSeen {
			wait(ReasonAwaitingClientSecret, fmt.Sprintf("the client's connection Secret %s/%s is missing or lacks the client secret; the OAuth Secret %s/%s is kept as it was",
				ns, names.OAuthClientSecret(dl), ns, names.OAuthSecret(dl)))
		}
	}
	if len(reasons) > 0 {
		pipeline.Blocked(in.Request, rsp, ConditionType, reasons[0], strings.Join(msgs, "; "))
		return
	}

	var msg string
	switch s.mode {
	case environment.AuthCredentials:
		msg = fmt.Sprintf("sessions log in with the user name and password in Secret %s/%s", ns, names.SessionLoginSecret(dl))
	case environment.AuthDelegated:
		msg = fmt.Sprintf("sessions are protected by the ingress layer (auth.type delegated); ConfigMap %s/%s describes them to its policies", ns, names.IngressAuth(dl))
	}
	if s.keycloak {
		msg += fmt.Sprintf("; Keycloak client %s in realm %s for %s (%s); OAuth Secret %s/%s",
			s.kc.clientID, s.kc.realm, count(len(s.kc.users), "user"), count(len(s.kc.admins), "admin"), ns, names.OAuthSecret(dl))
	}
	pipeline.Condition(rsp, ConditionType, true, ReasonAvailable, msg)
}

// maxListed bounds how many objects one message names.
const maxListed = 5

// summary lists sorted keys, at most maxListed of them.
func summary(keys []string) string {
	sort.Strings(keys)
	if len(keys) > maxListed {
		return strings.Join(keys[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(keys)-maxListed)
	}
	return strings.Join(keys, ", ")
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
