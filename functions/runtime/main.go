// Command function-runtime is the Datalab runtime step: Educates workshops,
// environments and sessions, workspace volumes, vclusters and the storage
// browser.
package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/server"

	"github.com/versioneer-tech/provider-datalab/functions/runtime/step"
)

func main() {
	server.Main("function-runtime", "Datalab runtime: sessions and their isolation.", step.Run)
}
