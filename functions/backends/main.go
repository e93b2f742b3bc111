// Command function-backends is the Datalab backends step: PostgreSQL,
// MongoDB, Redis and Qdrant run by the platform's operators in the
// Datalab's namespace, their credentials (random, persisted) and the
// services Secret every session imports.
package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/server"

	"github.com/versioneer-tech/provider-datalab/functions/backends/step"
)

func main() {
	server.Main("function-backends", "Datalab backends: PostgreSQL, MongoDB, Redis and Qdrant with data that survives.", step.Run)
}
