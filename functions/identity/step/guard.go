package step

import (
	"fmt"
	"sort"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/desired"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// guardSessions refuses to let a new session start unauthenticated. In
// credentials mode the runtime renders a session only once the login
// Secret exists; should a runtime (a swapped or misordered step) emit a new
// WorkshopSession with Educates' login turned off (user "*") or without a
// password anyway, the pipeline stops here before anything is applied.
// Sessions that already exist are never touched. It reads the received
// desired state directly, without converting other steps' resources.
func guardSessions(in *pipeline.Input, mode string) error {
	if mode != environment.AuthCredentials {
		return nil
	}
	var bad []string
	for _, e := range desired.List(in.Request.GetDesired()) {
		name, ok := compose.SessionOf(e.Name, compose.SessionKey)
		if !ok {
			continue
		}
		if in.Observed.Has(e.Name) {
			continue
		}
		r := e.Resource()
		session := r.GetResource().GetFields()["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue().
			GetFields()["manifest"].GetStructValue().GetFields()["spec"].GetStructValue().GetFields()["session"].GetStructValue()
		user := session.GetFields()["username"].GetStringValue()
		password := session.GetFields()["password"].GetStringValue()
		if user == "" || user == "*" || password == "" {
			bad = append(bad, name)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("refusing to start sessions %s without authentication: auth.type is credentials but the runtime step rendered them without a login (no user name, user \"*\" or no password); use a runtime step that waits for the session login Secret", strings.Join(bad, ", "))
}
