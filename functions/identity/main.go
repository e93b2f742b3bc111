// Command function-identity is the Datalab identity step: who may enter a
// Datalab's sessions. It composes the session login (credentials mode), the
// Keycloak client, roles, groups and memberships (Keycloak-managed access),
// the runtime OAuth Secret, and the descriptor the ingress layer's policies
// read (delegated mode).
package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/server"

	"github.com/versioneer-tech/provider-datalab/functions/identity/step"
)

func main() {
	server.Main("function-identity", "Datalab identity: who may enter the sessions.", step.Run)
}
