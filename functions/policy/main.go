// Command function-policy is the Datalab policy step: the operator's
// guardrails on everything the pipeline emits. It runs last, injects
// NetworkPolicies into every namespace where tenant code runs, composes the
// quota, limit range and ingress policy of the Datalab's own namespace,
// checks caps, allowlists and storage classes, and vetoes what breaks the
// operator contract.
package main

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/server"

	"github.com/versioneer-tech/provider-datalab/functions/policy/step"
)

func main() {
	server.Main("function-policy", "Datalab policy: the operator's guardrails on everything the pipeline emits.", step.Run)
}
