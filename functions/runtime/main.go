// Command function-runtime is the Datalab runtime step: Educates workshops,
// environments and sessions, workspace volumes, vclusters and the storage
// browser.
package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/server"
)

func main() {
	server.Main("function-runtime", "Datalab runtime: sessions and their isolation.", run)
}
