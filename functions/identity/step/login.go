package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// defaultLoginUser is the session login's user name when the Datalab has no
// users when the login is created.
const defaultLoginUser = "datalab"

// loginSecret is the session login of credentials mode: the Secret
// <datalab>-session-login (keys username, password) in the Datalab's
// namespace, which the runtime reads before it renders any session. The
// password is random and made once: while the composed Secret exists its
// user name and password are reused exactly, so running sessions (whose
// login Educates reads only at creation) and new ones agree. It is never
// derived from the storage credentials.
func loginSecret(in *pipeline.Input) (map[string]any, error) {
	user := credentials.Observed(in.Observed, compose.LoginSecretKey, "username")
	if user == "" {
		user = defaultLoginUser
		if len(in.Datalab.Spec.Users) > 0 {
			user = in.Datalab.Spec.Users[0]
		}
	}
	password := credentials.Observed(in.Observed, compose.LoginSecretKey, "password")
	if password == "" {
		var err error
		if password, err = credentials.Password(in.Datalab.Namespace + "/" + in.Datalab.Name + "/session-login"); err != nil {
			return nil, err
		}
	}
	m := compose.Manifest("v1", "Secret", "", names.SessionLoginSecret(in.Datalab.Name), labels(in))
	m["type"] = "Opaque"
	m["data"] = credentials.Encode(map[string]string{"username": user, "password": password})
	return m, nil
}
