// Command function-storage is the Datalab storage step: the tenant's
// object-storage credentials, read from a Secret made elsewhere, composed
// into the credentials Secret every session imports and the bucket mount
// reads.
package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/server"

	"github.com/versioneer-tech/provider-datalab/functions/storage/step"
)

func main() {
	server.Main("function-storage", "Datalab storage: object-storage credentials for every session.", step.Run)
}
